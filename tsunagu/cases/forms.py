from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.core.models import Organisation

from .models import (
    Activity,
    Case,
    CaseOrganisation,
    CasePerson,
    ConsultationCategory,
    Intake,
    Registration,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A clock a few minutes fast on the worker's PC is not a visit in the future.
FUTURE_TOLERANCE = timedelta(minutes=5)


class OrganisationChoiceField(forms.ModelChoiceField):
    """Organisations sorted by reading and name, each with its kind, so that two of the same
    name (a school and its PTA) are told apart; a long list gets a search box."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs["data-searchable"] = "名称で絞り込み"

    def label_from_instance(self, obj) -> str:
        return f"{obj.name}({obj.get_kind_display()})"


def _organisation_choices(municipality_id):
    return (
        Organisation.objects.filter(municipality_id=municipality_id, is_active=True)
        .exclude(kind__in=[Organisation.Kind.CENTER, *Organisation.CENTER_UNITS])
        .order_by("name_kana", "name", "kind")
    )


class Plain:
    """Labels without the colon, as on the people forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class IntakeForm(Plain, forms.ModelForm):
    class Meta:
        model = Intake
        fields = [
            "received_at",
            "channel",
            "source",
            "source_organisation",
            "caller_name",
            "category",
            "abuse_physical",
            "abuse_sexual",
            "abuse_psychological",
            "abuse_neglect",
            "urgency",
            "summary",
        ]
        widgets = {"received_at": DATETIME, "summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["category"].queryset = ConsultationCategory.objects.filter(is_current=True)
        self.fields["source_organisation"] = OrganisationChoiceField(
            label=self.fields["source_organisation"].label,
            queryset=_organisation_choices(municipality_id),
            required=False,
        )

    def clean(self):
        data = super().clean()
        category = data.get("category")
        any_type = any(data.get(field) for field in Intake.ABUSE_FIELDS)
        if category and category.is_abuse and not any_type:
            raise forms.ValidationError("児童虐待相談では、虐待の種類を1つ以上選んでください。")
        return data


class PersonRoleForm(Plain, forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("立場"), choices=CasePerson.Role.choices)


PersonRoleFormSet = forms.formset_factory(PersonRoleForm, extra=0)


def people_rows(chosen, data=None):
    """The role rows (立場) of the persons chosen for an intake."""
    initial = [{"person": person.pk, "role": role} for person, role in chosen]
    if data is None:
        return PersonRoleFormSet(initial=initial)
    return PersonRoleFormSet(data, initial=initial)


class OpenCaseForm(Plain, forms.Form):
    title = forms.CharField(
        label=_("ケース名"), max_length=100, help_text=_("例: 桑名 花子さん世帯")
    )


class JoinCaseForm(Plain, forms.Form):
    number = forms.CharField(label=_("ケース番号"), max_length=20)


class AdviceForm(Plain, forms.Form):
    note = forms.CharField(label=_("対応の内容"), widget=forms.Textarea(attrs={"rows": 3}))


class ActivityForm(Plain, forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "occurred_at",
            "participants",
            "persons_met",
            "child_seen",
            "content",
            "next_action",
            "next_action_due",
        ]
        widgets = {
            "occurred_at": DATETIME,
            "next_action_due": DATE,
            "content": forms.Textarea(attrs={"rows": 6}),
            "participants": forms.CheckboxSelectMultiple,
            "persons_met": forms.CheckboxSelectMultiple,
            "child_seen": forms.NullBooleanSelect,
        }

    # Required when editing (the stale check); a new record has no version yet.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: Case, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = bool(self.instance.pk)
        self.fields["version"].error_messages["required"] = (
            "画面の情報が不足しています。画面を開き直してから、もう一度入力してください。"
        )
        if not self.instance.pk:
            self.fields["occurred_at"].initial = timezone.localtime().replace(
                second=0, microsecond=0
            )
        self.fields["participants"].queryset = staff
        self.fields["persons_met"].queryset = case.persons_queryset()

    def clean_occurred_at(self):
        """Not in the future (a visit is recorded after it happened); the page shows minutes
        only, so an unchanged time keeps its seconds."""
        value = self.cleaned_data["occurred_at"]
        saved = self.instance.occurred_at if self.instance.pk else None
        if saved and value == saved.replace(second=0, microsecond=0):
            return saved
        if value > timezone.now() + FUTURE_TOLERANCE:
            raise forms.ValidationError(
                "未来の日時は記録できません。予定は「次の対応」に入力してください。"
            )
        return value


OPEN_STATUSES = [(value, label) for value, label in Case.Status.choices if value != "closed"]


class CaseStatusForm(Plain, forms.Form):
    """The status of an open case; closing is a request to the supervisor (ClosureForm)."""

    status = forms.ChoiceField(label=_("状況"), choices=OPEN_STATUSES)
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ClosureForm(Plain, forms.Form):
    reason = forms.CharField(
        label=_("終結の理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("統括支援員が承認すると終結します。未完了の対応やプランも閉じます。"),
    )


class ReopenForm(Plain, forms.Form):
    reason = forms.CharField(label=_("再開の理由"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ClosureDecisionForm(Plain, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("決定"),
        choices=[("yes", _("承認する(終結)")), ("no", _("承認しない"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("コメント"),
        required=False,
        help_text=_("承認しないときは理由を書いてください。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CaseRankForm(Plain, forms.Form):
    # A case may have no rank yet: the empty choice keeps it so (without it the first choice,
    # A, was saved when only the lead agency changed).
    rank = forms.ChoiceField(
        label=_("リスクランク"), choices=[("", "未評価"), *Case.Rank.choices], required=False
    )
    lead_agency = forms.ChoiceField(
        label=_("主担当機関"), choices=[("", "未定"), *Case.LeadAgency.choices], required=False
    )
    reason = forms.CharField(label=_("理由"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class UnitForm(Plain, forms.Form):
    unit = forms.ModelChoiceField(label=_("係"), queryset=Organisation.objects.none())

    def __init__(self, *args, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organisation.objects.filter(
            municipality_id=municipality_id, kind__in=Organisation.CENTER_UNITS
        )


class OrganisationForm(Plain, forms.Form):
    organisation = OrganisationChoiceField(label=_("機関"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("役割"), choices=[])

    def __init__(self, *args, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisation_choices(municipality_id)
        self.fields["role"].choices = CaseOrganisation.Role.choices


class RegistrationForm(Plain, forms.Form):
    person = forms.ModelChoiceField(label=_("対象者"), queryset=None)
    category = forms.ChoiceField(label=_("区分"), choices=Registration.Category.choices)
    registered_on = forms.DateField(label=_("登録日"), widget=DATE)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = case.persons_queryset()
        self.fields["registered_on"].initial = timezone.localdate()


class AssignmentForm(Plain, forms.Form):
    worker = forms.ModelChoiceField(label=_("担当者"), queryset=None)
    key_person = forms.BooleanField(label=_("キーパーソンにする"), required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = staff


class RestrictedNoteForm(Plain, forms.Form):
    text = forms.CharField(
        label=_("閲覧制限付きメモ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例: DV避難先の住所。選んだ職員と記入者だけが読めます。"),
    )
    readers = forms.ModelMultipleChoiceField(
        label=_("読める職員"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readers"].queryset = staff


class ReviewForm(Plain, forms.Form):
    reviewed_on = forms.DateField(label=_("進行管理の実施日"), widget=DATE)
    next_review_on = forms.DateField(label=_("次回の進行管理"), widget=DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["reviewed_on"].initial = today
        self.fields["next_review_on"].initial = municipality.next_review_after(today)


class ContinueRegistrationForm(Plain, forms.Form):
    registration = forms.ModelChoiceField(label=_("引き継ぐ登録"), queryset=None)
    person = forms.ModelChoiceField(label=_("引継ぎ後の対象者"), queryset=None)
    category = forms.ChoiceField(label=_("引継ぎ後の区分"), choices=Registration.Category.choices)
    on = forms.DateField(label=_("引継ぎ日"), widget=DATE)
    reason = forms.CharField(
        label=_("理由"), help_text=_("例: 出産により、特定妊婦から要支援児童へ")
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = case.registrations.filter(
            ended_on=None
        ).select_related("person")
        self.fields["person"].queryset = case.persons_queryset()
        self.fields["on"].initial = timezone.localdate()


class BreakGlassForm(Plain, forms.Form):
    reason = forms.CharField(
        label=_("閲覧が必要な理由"),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("理由と閲覧は記録され、統括支援員に一覧で示されます。"),
    )


def assessment_form_class(form_definition):
    """A Django form for one assessment form's items (yes/no or rated)."""
    fields = {}
    definition = form_definition.definition
    if definition["type"] == "yes_no":
        for item in definition["items"]:
            fields[item["code"]] = forms.BooleanField(label=item["text"], required=False)
    else:
        choices = list(enumerate(definition["scale"]))
        for domain in definition["domains"]:
            for item in domain["items"]:
                fields[f"{domain['code']}.{item['code']}"] = forms.TypedChoiceField(
                    label=f"{domain['title']}: {item['text']}", choices=choices, coerce=int
                )
    fields["notes"] = forms.CharField(
        label=_("所見(心配なこと・強み)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    return type("AssessmentAnswersForm", (Plain, forms.Form), fields)


class DueFilterForm(Plain, forms.Form):
    """The due list's filters: a kind, a worker, a unit (all optional)."""

    kind = forms.ChoiceField(label=_("種類"), required=False)
    worker = forms.ModelChoiceField(label=_("担当者"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=_("係"), queryset=None, required=False)

    def __init__(self, *args, staff, municipality_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_counts({})
        self.fields["worker"].queryset = staff
        self.fields["worker"].empty_label = _("すべて")
        self.fields["unit"].queryset = Organisation.objects.filter(
            municipality_id=municipality_id, kind__in=Organisation.CENTER_UNITS
        ).order_by("kind")
        self.fields["unit"].empty_label = _("すべて")

    def show_counts(self, counts: dict[str, int]) -> None:
        """Each kind with how many are open (known once the list is read)."""
        from .selectors import due_kinds

        self.fields["kind"].choices = [("", _("すべて"))] + [
            (kind, f"{label}({counts.get(kind, 0)})") for kind, label in due_kinds().items()
        ]
