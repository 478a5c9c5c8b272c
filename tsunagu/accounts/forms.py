from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("利用者ID"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("パスワード"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("利用者IDまたはパスワードが正しくありません。"),
        "inactive": _("この利用者は無効になっています。管理者に連絡してください。"),
    }


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("確認コード(6桁)"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("確認コードは6桁の数字で入力してください。")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )
