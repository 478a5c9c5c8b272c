"""The forms of short-stay matching: the search on a case, the request to one place found,
and the coordinating agency's answer. Errors in Japanese, for the worker at the form."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.cases.forms import DATE, Plain
from tsunagu.cases.models import Case
from tsunagu.core.models import Area
from tsunagu.people.models import Person

from . import matching
from .forms import PersonChoiceField, children_of
from .models import Provider, StayRequest

TEXT = forms.Textarea(attrs={"rows": 3})


def _districts(case: Case):
    return Area.objects.filter(
        municipality=case.municipality_id, kind=Area.Kind.ELEMENTARY_DISTRICT
    ).order_by("code", "name")


class StaySearchForm(Plain, forms.Form):
    """Who stays, when and with what needs: what the matching reads. The school district is
    filled from the child's address (町丁目) when it is left empty."""

    child = PersonChoiceField(label=_("対象の子ども"), queryset=Person.objects.none())
    starts_on = forms.DateField(label=_("開始日(預ける日)"), widget=DATE)
    ends_on = forms.DateField(
        label=_("終了日(迎えに行く日)"),
        widget=DATE,
        help_text=_("金曜に預けて日曜に迎えに行くなら、金・土の2泊です。"),
    )
    needs_medical_care = forms.BooleanField(label=_("医療的ケアが必要"), required=False)
    needs_development_support = forms.BooleanField(
        label=_("発達特性への配慮が必要"), required=False
    )
    district = forms.ModelChoiceField(
        label=_("通学する小学校区"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("同じ小学校区の受入先なら、学校を変えずに通えます。空欄なら住所から補います。"),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["child"].queryset = children_of(case)
        self.fields["district"].queryset = _districts(case)
        if not self.is_bound and "child" not in self.initial:
            child = self.fields["child"].queryset.first()
            if child is not None:
                self.initial["child"] = child.pk
                self.initial.setdefault("district", matching.school_district_of(child))

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "終了日は開始日と同じ日か、それより後にしてください。")
        child = data.get("child")
        if child is not None and starts_on and child.birth_date and child.birth_date > starts_on:
            self.add_error("starts_on", "開始日が子どもの生年月日より前です。")
        if child is not None and not data.get("district"):
            data["district"] = matching.school_district_of(child)
        return data

    def candidates(self) -> list[matching.Candidate]:
        """The places for the search (a valid form)."""
        data = self.cleaned_data
        return matching.candidates(
            self.case.municipality,
            child_age_years=matching.age_on(data["child"].birth_date, data["starts_on"]),
            sex=data["child"].sex,
            needs_medical_care=data["needs_medical_care"],
            needs_development_support=data["needs_development_support"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            district=data["district"],
        )


SEARCH_FIELDS = list(StaySearchForm.base_fields)


class StayRequestForm(StaySearchForm):
    """The request to one place found: the search again (hidden), the place, the
    coordinating agency and a note. A place that no longer fits the search is refused, with
    the reasons."""

    provider = forms.ModelChoiceField(
        label=_("依頼先"), queryset=Provider.objects.none(), widget=forms.HiddenInput
    )
    agency = forms.CharField(
        label=_("調整機関"),
        max_length=100,
        required=False,
        help_text=_("受入先との調整を頼む機関(例: 里親支援センター)。市が直接調整するなら空欄。"),
    )
    note = forms.CharField(label=_("備考"), widget=TEXT, required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(
            municipality=case.municipality_id, is_active=True
        )
        for name in SEARCH_FIELDS:
            self.fields[name].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        provider = data.get("provider")
        if self.errors or provider is None:
            return data
        found = next((c for c in self.candidates() if c.provider.pk == provider.pk), None)
        if found is None:
            raise forms.ValidationError(f"「{provider}」はショートステイの受入先ではありません。")
        if not found.fits:
            raise forms.ValidationError(
                f"「{provider}」はこの条件では受け入れられません: {''.join(found.against)}"
            )
        return data

    def request_data(self) -> dict:
        """The keyword arguments of ``services.request_stay``."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "child",
                "provider",
                "starts_on",
                "ends_on",
                "agency",
                "needs_medical_care",
                "needs_development_support",
                "district",
                "note",
            )
        }


class StayAnswerForm(Plain, forms.Form):
    """The coordinating agency's answer: the place can take the child, or cannot."""

    answer = forms.ChoiceField(
        label=_("回答"),
        choices=[
            (StayRequest.Answer.ACCEPTED, StayRequest.Answer.ACCEPTED.label),
            (StayRequest.Answer.DECLINED, StayRequest.Answer.DECLINED.label),
        ],
        widget=forms.RadioSelect,
    )
    answered_on = forms.DateField(label=_("回答日"), widget=DATE)
    note = forms.CharField(
        label=_("備考"),
        widget=TEXT,
        required=False,
        help_text=_("受入不可の理由や、送迎・持ち物など受入の条件。"),
    )

    def __init__(self, *args, stay: StayRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.stay = stay
        self.initial.setdefault("answered_on", timezone.localdate())

    def clean_answered_on(self) -> date:
        answered_on = self.cleaned_data["answered_on"]
        if answered_on < self.stay.requested_on:
            raise forms.ValidationError(
                f"回答日は依頼日({self.stay.requested_on:%Y-%m-%d})より前にはできません。"
            )
        if answered_on > timezone.localdate():
            raise forms.ValidationError("まだ来ていない日の回答は記録できません。")
        return answered_on
