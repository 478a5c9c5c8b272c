"""Forms of the administrator's pages (users, organisations, the municipality's settings)."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.core.models import Municipality, Organisation
from tsunagu.core.roles import Role

# The operator is made on the server (tsunagu createoperator), never by a municipality.
MUNICIPAL_ROLES = [(r.value, r.label) for r in Role if r != Role.OPERATOR]


class _Versioned(forms.ModelForm):
    """An edit form carries the version it was opened at; a save from a stale screen is
    refused by the service."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class _UserFields(forms.ModelForm):
    role = forms.ChoiceField(label=_("役割"), choices=[("", "---------"), *MUNICIPAL_ROLES])

    class Meta:
        model = User
        fields = ["display_name", "display_name_kana", "organisation", "role"]

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        organisations = policy.scope(viewer, Organisation.objects.filter(is_active=True))
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].required = True
        self.fields["display_name"].required = True


class UserCreateForm(_UserFields):
    password1 = forms.CharField(
        label=_("初期パスワード"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("12文字以上。本人に別の方法で伝えてください。"),
    )
    password2 = forms.CharField(
        label=_("初期パスワード(確認)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta(_UserFields.Meta):
        fields = ["username", *_UserFields.Meta.fields]
        labels = {"username": _("利用者ID")}
        help_texts = {"username": _("半角英数字と @ . + - _ で150文字以内。ログインに使います。")}

    def clean(self):
        return _checked_password(self, super().clean(), self.instance)


class UserEditForm(_Versioned, _UserFields):
    class Meta(_UserFields.Meta):
        fields = [*_UserFields.Meta.fields, "is_active"]


def _checked_password(form, data, user):
    """Both entries match and the password passes the validators (as field errors)."""
    if data.get("password1") != data.get("password2"):
        form.add_error("password2", _("パスワードが一致しません。"))
    elif data.get("password1"):
        try:
            validate_password(data["password1"], user)
        except ValidationError as error:
            form.add_error("password1", error)
    return data


class PasswordForm(forms.Form):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.user = user

    password1 = forms.CharField(
        label=_("新しいパスワード"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("新しいパスワード(確認)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        return _checked_password(self, super().clean(), self.user)


class _OrganisationFields(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "name_kana", "kind", "parent", "address", "phone"]

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["parent"].queryset = policy.scope(viewer, Organisation.objects.all())


class OrganisationCreateForm(_OrganisationFields):
    pass


class OrganisationEditForm(_Versioned, _OrganisationFields):
    class Meta(_OrganisationFields.Meta):
        fields = [*_OrganisationFields.Meta.fields, "is_active"]


class MunicipalityForm(_Versioned):
    class Meta:
        model = Municipality
        fields = [
            "name",
            "name_kana",
            "review_interval_months",
            "alert_ack_minutes",
            "referral_reach_days",
        ]

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
