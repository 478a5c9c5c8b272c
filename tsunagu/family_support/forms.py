"""The forms of family support services: one per page that posts."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.cases.forms import DATE, Plain
from tsunagu.cases.models import Case, CasePerson
from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.people.models import Person
from tsunagu.plans.models import PlanItem

from .models import (
    Application,
    Decision,
    MenuItem,
    Monitoring,
    Offering,
    Provider,
    Tier,
    Unit,
    Usage,
)

TEXT = forms.Textarea(attrs={"rows": 3})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        born = f"({person.birth_date:%Y-%m-%d}生)" if person.birth_date else ""
        return f"{person}{born}"


class OfferingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, offering: Offering) -> str:
        return f"{offering.public_name}({offering.fiscal_year}年度)"


def children_of(case: Case):
    """The persons of the case in the child's role, the eldest first."""
    return Person.objects.filter(
        case_roles__case=case, case_roles__role=CasePerson.Role.CHILD
    ).order_by("birth_date", "pk")


def _offerings(case: Case):
    year = fiscal_year_of(timezone.localdate())
    return Offering.objects.filter(
        municipality=case.municipality_id, fiscal_year__in=(year, year + 1)
    ).order_by("-fiscal_year", "legal_category", "public_name")


class ApplicationForm(Plain, forms.Form):
    child = PersonChoiceField(label=_("対象の子ども"), queryset=Person.objects.none())
    offering = OfferingChoiceField(label=_("事業"), queryset=Offering.objects.none())
    route = forms.ChoiceField(label=_("経路"), choices=Application.Route.choices)
    received_on = forms.DateField(label=_("受付日"), widget=DATE)
    interview_on = forms.DateField(label=_("面談日"), widget=DATE, required=False)
    note = forms.CharField(label=_("内容"), widget=TEXT, required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children_of(case)
        self.fields["offering"].queryset = _offerings(case)
        self.initial.setdefault("received_on", timezone.localdate())


class DecisionForm(Plain, forms.Form):
    """The decision (利用決定). Limits left empty take the service's standard ones."""

    child = PersonChoiceField(label=_("対象の子ども"), queryset=Person.objects.none())
    offering = OfferingChoiceField(label=_("事業"), queryset=Offering.objects.none())
    provider = forms.ModelChoiceField(label=_("提供事業者"), queryset=Provider.objects.none())
    starts_on = forms.DateField(label=_("開始日"), widget=DATE)
    ends_on = forms.DateField(label=_("終了日"), widget=DATE)
    tier = forms.ChoiceField(
        label=_("世帯区分"),
        choices=[("", "---------"), *Tier.choices],
        help_text=_("課税状況を確認した区分。利用者負担額は料金表から決まります。"),
    )
    per_use_limit = forms.DecimalField(
        label=_("1回あたりの上限"),
        required=False,
        min_value=0,
        decimal_places=1,
        help_text=_("空欄: 事業の標準"),
    )
    uses_limit = forms.IntegerField(
        label=_("利用回数の上限"), required=False, min_value=1, help_text=_("空欄: 事業の標準")
    )
    extendable = forms.BooleanField(
        label=_("上限を超える記録を承認待ちで受け付ける"), required=False
    )
    asks_provider = forms.CharField(
        label=_("事業者にお願いすること"),
        widget=TEXT,
        required=False,
        help_text=_("事業者に見える内容です。この支援に必要な範囲だけ書きます。"),
    )
    plan_item = forms.ModelChoiceField(
        label=_("プランの支援内容"), queryset=PlanItem.objects.none(), required=False
    )
    application = forms.ModelChoiceField(
        label=_("もとの申請"),
        queryset=Application.objects.none(),
        required=False,
        help_text=_("申請にもとづく決定なら選びます(申請は決定済みになります)。"),
    )

    def __init__(self, *args, case: Case, application: Application | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(
            case=case, status=Application.Status.RECEIVED
        ).select_related("offering")
        if application is not None:
            self.initial |= {
                "application": application.pk,
                "child": application.child_id,
                "offering": application.offering_id,
            }
        self.fields["child"].queryset = children_of(case)
        self.fields["offering"].queryset = _offerings(case)
        self.fields["provider"].queryset = Provider.objects.filter(
            municipality=case.municipality_id, is_active=True
        )
        self.fields["plan_item"].queryset = PlanItem.objects.filter(
            plan__case=case, kind=PlanItem.Kind.CATALOGUE
        ).select_related("service")
        children = list(self.fields["child"].queryset[:2])
        if len(children) == 1:
            self.initial.setdefault("child", children[0].pk)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "終了日は開始日より後にしてください。")
        return data


class ConsentForm(Plain, forms.Form):
    consented_on = forms.DateField(label=_("同意日"), widget=DATE)
    how = forms.ChoiceField(label=_("同意の方法"), choices=Decision.ConsentHow.choices)
    sharing = forms.BooleanField(label=_("関係機関との情報共有にも同意"), required=False)


class MeetingForm(Plain, forms.Form):
    met_on = forms.DateField(label=_("初回顔合わせの日"), widget=DATE)


class MonitoringForm(Plain, forms.Form):
    held_on = forms.DateField(label=_("実施日"), widget=DATE)
    outcome = forms.ChoiceField(label=_("結果"), choices=Monitoring.Outcome.choices)
    extend_to = forms.DateField(label=_("延長後の終了日"), widget=DATE, required=False)
    extend_uses = forms.IntegerField(label=_("延長後の利用回数"), required=False, min_value=1)
    note = forms.CharField(label=_("内容"), widget=TEXT, required=False)

    def __init__(self, *args, ended: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ended:  # after the end, only after-care contacts
            after_care = Monitoring.Outcome.AFTER_CARE
            self.fields["outcome"].choices = [(after_care.value, after_care.label)]
            for name in ("extend_to", "extend_uses"):
                del self.fields[name]


class UseForm(Plain, forms.Form):
    """One use, as the provider's staff enter it on a phone."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    used_on = forms.DateField(label=_("利用日"), widget=DATE)
    starts_at = forms.TimeField(label=_("開始"), widget=TIME, required=False)
    ends_at = forms.TimeField(label=_("終了"), widget=TIME, required=False)
    menu_item = forms.ModelChoiceField(
        label=_("支援メニュー"), queryset=MenuItem.objects.none(), required=False
    )
    attended = forms.TypedChoiceField(
        label=_("利用"),
        choices=[("1", _("利用あり")), ("0", _("欠席・不在"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    nights = forms.IntegerField(label=_("泊数"), min_value=0, initial=0, required=False)
    children = forms.IntegerField(label=_("子どもの人数"), min_value=0, initial=1)
    guardians = forms.IntegerField(label=_("保護者の人数"), min_value=0, initial=0)
    concern = forms.ChoiceField(
        label=_("気づき"),
        choices=Usage.Concern.choices,
        widget=forms.RadioSelect,
        initial=Usage.Concern.NONE,
    )
    observation = forms.CharField(
        label=_("気づいたこと"),
        widget=TEXT,
        required=False,
        help_text=_("子どもや保護者の様子、話したこと。緊急のときはすぐセンターに届きます。"),
    )

    def __init__(self, *args, decision: Decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["menu_item"].queryset = decision.offering.menu.all()
        if decision.offering.unit != Unit.NIGHT:
            del self.fields["nights"]
        if not self.is_bound:
            self.initial |= {"key": uuid.uuid4(), "used_on": timezone.localdate()}

    def clean(self):
        data = super().clean()
        if data.get("concern") == Usage.Concern.URGENT and not data.get("observation"):
            self.add_error("observation", "緊急のときは、気づいたことを書いてください。")
        return data
