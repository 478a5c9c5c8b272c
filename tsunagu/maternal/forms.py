"""The forms of the maternal line: one per page that posts."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.cases.forms import DATE, Plain
from tsunagu.family_support.models import Provider
from tsunagu.people.models import Sex

from . import questionnaires
from .models import (
    Benefit,
    Birth,
    Checkup,
    Contact,
    FollowStep,
    NewbornVisit,
    PostnatalCare,
    PostnatalCareUse,
    Pregnancy,
)

TEXT = forms.Textarea(attrs={"rows": 3})


class NotificationForm(Plain, forms.ModelForm):
    """The notification (妊娠届出) and what the nurse learned in the interview."""

    class Meta:
        model = Pregnancy
        fields = [
            "notified_on",
            "weeks_at_notification",
            "expected_on",
            "parity",
            "multiple",
            "prenatal_checkups",
            "partner",
            "partner_supports",
            "feelings",
            "support_after_birth",
            "money",
            "physical_history",
            "mental_history",
            "interview_minutes",
            "interview_notes",
            "checkup_vouchers",
            "postnatal_vouchers",
        ]
        widgets = {"notified_on": DATE, "expected_on": DATE, "interview_notes": TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("notified_on", timezone.localdate())
        self.fields["weeks_at_notification"].max_value = 45
        for name in ("partner", "feelings", "support_after_birth", "money"):
            self.fields[name].choices = self.fields[name].choices[1:]
            self.fields[name].widget = forms.RadioSelect(choices=self.fields[name].choices)


class ContactForm(Plain, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["kind", "method", "on", "notes"]
        widgets = {"on": DATE, "notes": TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())
        self.initial.setdefault("kind", Contact.Kind.EIGHT_MONTHS)


class BenefitForm(Plain, forms.ModelForm):
    class Meta:
        model = Benefit
        fields = ["kind", "amount_yen", "paid_on"]
        widgets = {"paid_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("paid_on", timezone.localdate())
        self.initial.setdefault("amount_yen", 50_000)


class BirthForm(Plain, forms.ModelForm):
    """The birth and the child's name as registered (出生届)."""

    given_name = forms.CharField(label=_("子どもの名"), max_length=50, required=False)
    given_kana = forms.CharField(label=_("子どもの名(ふりがな)"), max_length=50, required=False)
    sex = forms.ChoiceField(label=_("性別"), choices=Sex.choices)

    class Meta:
        model = Birth
        fields = ["born_on", "weeks", "weight_g", "place"]
        widgets = {"born_on": DATE}


class VisitForm(Plain, forms.Form):
    """The newborn visit's outcome and, when visited, the questionnaires' item scores."""

    status = forms.ChoiceField(
        label=_("結果"),
        choices=NewbornVisit.Status.choices[1:],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("訪問日(試みた日)"), widget=DATE)
    reason = forms.CharField(label=_("訪問できなかった理由"), max_length=200, required=False)
    weight_g = forms.IntegerField(
        label=_("体重(g)"), min_value=500, max_value=15000, required=False
    )
    notes = forms.CharField(label=_("記録"), widget=TEXT, required=False)

    SCORE = forms.Select(choices=[("", "—"), (0, "0"), (1, "1"), (2, "2"), (3, "3")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())
        self.questionnaires = []
        for questionnaire in questionnaires.SETS.values():
            names = []
            for number, text in enumerate(questionnaire.items, start=1):
                name = f"{questionnaire.code}_{number}"
                self.fields[name] = forms.IntegerField(
                    label=f"{number}. {text}",
                    min_value=0,
                    max_value=3,
                    required=False,
                    widget=self.SCORE,
                )
                names.append(name)
            self.questionnaires.append((questionnaire, names))

    def answers(self) -> dict[str, list[int]]:
        """The item scores of each questionnaire filled in (all of its items, or none)."""
        answered = {}
        for questionnaire, names in self.questionnaires:
            scores = [self.cleaned_data.get(name) for name in names]
            if all(score is None for score in scores):
                continue
            if any(score is None for score in scores):
                raise forms.ValidationError(
                    f"{questionnaire.title}はすべての項目に点数を入れてください。"
                )
            answered[questionnaire.code] = scores
        return answered

    def outcome_fields(self):
        return [self[name] for name in ("status", "on", "reason", "weight_g", "notes")]

    def score_rows(self):
        """Each questionnaire with its item fields, for the template."""
        return [(q, [self[name] for name in names]) for q, names in self.questionnaires]


class CheckupForm(Plain, forms.ModelForm):
    seen_on = forms.DateField(label=_("受診日"), widget=DATE)
    field_order = ["seen_on"]

    class Meta:
        model = Checkup
        fields = ["height_cm", "weight_g", "growth", "development", "follow_up_needed", "notes"]
        widgets = {"notes": TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("seen_on", timezone.localdate())


class FollowStepForm(Plain, forms.ModelForm):
    class Meta:
        model = FollowStep
        fields = ["kind", "result", "on", "notes"]
        widgets = {"on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class DoneForm(Plain, forms.Form):
    note = forms.CharField(label=_("対応の記録"), max_length=300, widget=TEXT)


class InviteForm(Plain, forms.Form):
    on = forms.DateField(label=_("基準日"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class PostnatalApplicationForm(Plain, forms.ModelForm):
    class Meta:
        model = PostnatalCare
        fields = ["kind", "applied_on", "reason"]
        widgets = {"applied_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("applied_on", timezone.localdate())


class PostnatalDecisionForm(Plain, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("決定"),
        choices=[("1", _("承認する")), ("0", _("承認しない"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("決定日"), widget=DATE)
    provider = forms.ModelChoiceField(
        label=_("実施機関"), queryset=Provider.objects.none(), required=False
    )
    days_allowed = forms.IntegerField(
        label=_("利用できる日数"), min_value=1, max_value=30, required=False
    )
    fee_per_day = forms.IntegerField(
        label=_("1日あたりの利用者負担額(円)"), min_value=0, max_value=100_000, required=False
    )
    note = forms.CharField(label=_("決定の理由・備考"), max_length=300, required=False)

    def __init__(self, *args, municipality_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())
        self.initial.setdefault("approve", "1")
        self.fields["provider"].queryset = Provider.objects.filter(
            municipality=municipality_id, is_active=True
        ).order_by("name")


class PostnatalUseForm(Plain, forms.ModelForm):
    class Meta:
        model = PostnatalCareUse
        fields = ["used_on", "note"]
        widgets = {"used_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("used_on", timezone.localdate())


class EndForm(Plain, forms.Form):
    status = forms.ChoiceField(
        label=_("区分"),
        choices=[
            (Pregnancy.Status.ENDED, Pregnancy.Status.ENDED.label),
            (Pregnancy.Status.MOVED_OUT, Pregnancy.Status.MOVED_OUT.label),
        ],
    )
    on = forms.DateField(label=_("終了日"), widget=DATE)
    reason = forms.CharField(label=_("終了の理由"), max_length=200)
