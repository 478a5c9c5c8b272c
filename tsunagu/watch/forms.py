from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.cases.forms import DATE, Plain
from tsunagu.cases.models import Case, CasePerson
from tsunagu.core.models import Organisation

from .models import (
    PARTNER_KINDS,
    Donation,
    Need,
    NetworkMember,
    Referral,
    WatchAssignment,
    WatchReport,
)

TEXT = forms.Textarea(attrs={"rows": 3})
EVERY_WEEKS = [(1, _("毎週")), (2, _("2週ごと")), (3, _("3週ごと")), (4, _("4週ごと"))]
YES_NO = [("1", _("はい")), ("0", _("いいえ"))]


class Radios:
    """Radio buttons without the empty "---------" choice a model field's select would have."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.choices = [choice for choice in field.choices if choice[0] != ""]


class AssignmentForm(Plain, forms.ModelForm):
    every_weeks = forms.TypedChoiceField(label=_("頻度"), choices=EVERY_WEEKS, coerce=int)

    class Meta:
        model = WatchAssignment
        fields = [
            "partner",
            "method",
            "recipient_name",
            "delivery_address",
            "contact_phone",
            "look_for",
            "every_weeks",
            "starts_on",
            "ends_on",
        ]
        widgets = {"look_for": TEXT, "starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Organisation.objects.filter(
            municipality=case.municipality_id, kind__in=PARTNER_KINDS, is_active=True
        ).order_by("kind", "name_kana", "name")
        if not self.is_bound:
            self.initial |= _delivery_of(case)


def _delivery_of(case: Case) -> dict:
    """What a partner needs to deliver, from the case's first guardian (or child): the family
    name with 様, the address and the phone. The worker edits it before saving."""
    link = (
        case.persons.filter(role__in=[CasePerson.Role.GUARDIAN, CasePerson.Role.CHILD])
        .select_related("person")
        .order_by("-role", "person__birth_date")  # guardians ("guardian" > "child") first
        .first()
    )
    if link is None:
        return {}
    person = link.person
    return {
        "recipient_name": f"{person.family_name}様",
        "delivery_address": person.address,
        "contact_phone": person.phone,
    }


class EndForm(Plain, forms.Form):
    ends_on = forms.DateField(label=_("終了日"), widget=DATE)
    reason = forms.CharField(label=_("終了の理由"), max_length=200)


class ReportForm(Radios, Plain, forms.ModelForm):
    """The visit report, short enough to fill in under a minute on a phone. ``key`` is the
    phone's idempotency key (a new one with each blank form)."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    written_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    visited = forms.TypedChoiceField(
        label=_("訪問できましたか"),
        choices=YES_NO,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    child_seen = forms.TypedChoiceField(
        label=_("子どもの姿を確認できましたか"),
        choices=YES_NO,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        required=False,
        empty_value=False,
    )

    class Meta:
        model = WatchReport
        fields = [
            "visit_on",
            "visited",
            "not_visited_reason",
            "child_seen",
            *WatchReport.CHECKS,
            "concern",
            "note",
        ]
        widgets = {
            "visit_on": DATE,
            "concern": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 2}),
            "not_visited_reason": forms.RadioSelect,
        }

    def check_fields(self) -> list:
        """The condition checks (けが・あざ, 衛生・服装 …), as bound fields."""
        return [self[name] for name in WatchReport.CHECKS]


class HandleForm(Plain, forms.Form):
    note = forms.CharField(label=_("対応の内容"), widget=TEXT, max_length=2000)


class ReferralForm(Radios, Plain, forms.ModelForm):
    """What a partner writes to connect a family (つなぐ), with the guardian's consent."""

    consent_given = forms.BooleanField(
        label=_("保護者に、センターに伝えることの同意を得ました"), required=True
    )

    class Meta:
        model = Referral
        fields = [
            "window",
            "guardian_name",
            "children",
            "contact_phone",
            "contact_when",
            "what_was_said",
            "consent_given",
            "consent",
            "consent_on",
            "contact_by",
        ]
        widgets = {
            "what_was_said": TEXT,
            "consent_on": DATE,
            "window": forms.RadioSelect,
            "consent": forms.RadioSelect,
            "contact_by": forms.RadioSelect,
        }


class CloseReferralForm(Radios, Plain, forms.Form):
    reached = forms.TypedChoiceField(
        label=_("家族とつながりましたか"),
        choices=[("1", _("つながった")), ("0", _("つながらなかった"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("日付"), widget=DATE)
    note = forms.CharField(label=_("メモ(センター内)"), widget=TEXT, required=False)


class DonationForm(Plain, forms.ModelForm):
    class Meta:
        model = Donation
        fields = ["item", "quantity", "unit", "donor", "expires_on", "claim_until", "pick_up"]
        widgets = {"expires_on": DATE, "claim_until": DATE}


class ClaimForm(Plain, forms.Form):
    quantity = forms.IntegerField(label=_("希望する数量"), min_value=1)


class NeedForm(Plain, forms.ModelForm):
    class Meta:
        model = Need
        fields = ["what", "until"]
        widgets = {"until": DATE}


class ProfileForm(Plain, forms.ModelForm):
    class Meta:
        model = NetworkMember
        fields = ["profile", "contact"]
        widgets = {"profile": TEXT}
