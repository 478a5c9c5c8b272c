from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.access import policy
from tsunagu.cases.forms import DATE, Plain
from tsunagu.cases.models import Case, CasePerson
from tsunagu.core.models import Organisation
from tsunagu.resources.models import Service as DirectoryService

from .models import Conference, HandOff, PlanItem, PlanTask, SupportPlan
from .selectors import catalogue

TEXT = forms.Textarea(attrs={"rows": 3})


class PlanForm(Plain, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = SupportPlan
        fields = [
            "child_wishes",
            "guardian_wishes",
            "needs",
            "strengths",
            "goal_short",
            "goal_long",
            "review_on",
            "agreed_on",
            "agreement",
            "agreed_by",
            "staff_notes",
        ]
        widgets = {
            **{name: TEXT for name in ("child_wishes", "guardian_wishes", "needs", "strengths")},
            **{name: TEXT for name in ("goal_short", "goal_long", "staff_notes")},
            "review_on": DATE,
            "agreed_on": DATE,
        }


class PersonOfCase(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.person}({obj.get_role_display()})"


def _persons_of(case: Case):
    return case.persons.select_related("person").order_by("person__birth_date")


class PlanItemForm(Plain, forms.ModelForm):
    """One service or resource: pick the kind, then the service, the directory entry, or a
    name."""

    for_whom = PersonOfCase(label=_("対象者"), queryset=CasePerson.objects.none(), required=False)

    class Meta:
        model = PlanItem
        fields = [
            "kind",
            "service",
            "resource",
            "name",
            "provider",
            "frequency",
            "starts_on",
            "ends_on",
            "note",
            "staff_only",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, case: Case, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = catalogue()
        resources = DirectoryService.objects.filter(status="active").order_by("name_kana", "name")
        self.fields["resource"].queryset = policy.scope(viewer, resources)
        self.fields["resource"].widget.attrs["data-searchable"] = "名称で絞り込み"
        self.fields["resource"].help_text = _(
            "地域資源の名簿(こども食堂・居場所など)から選びます。"
        )
        self.fields["for_whom"].queryset = _persons_of(case)
        self.order_fields(["kind", "service", "resource", "name", "for_whom"])

    def clean(self):
        data = super().clean()
        link = data.get("for_whom")
        self.instance.person = link.person if link else None
        return data


class PlanTaskForm(Plain, forms.ModelForm):
    class Meta:
        model = PlanTask
        fields = ["party", "who", "what", "staff_only"]
        widgets = {"what": forms.Textarea(attrs={"rows": 2})}


class ReturnForm(Plain, forms.Form):
    note = forms.CharField(label=_("差し戻す理由"), widget=forms.Textarea(attrs={"rows": 2}))


class FamilyCopyForm(Plain, forms.Form):
    recipient = PersonOfCase(
        label=_("渡す相手"),
        queryset=CasePerson.objects.none(),
        required=False,
        help_text=_("この人の住所・電話番号だけを印刷します。"),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = _persons_of(case).exclude(role=CasePerson.Role.CHILD)
        self.fields["recipient"].empty_label = _("(だれの住所・電話番号も載せない)")


class ConferenceForm(Plain, forms.ModelForm):
    attendees = forms.ModelMultipleChoiceField(
        label=_("出席者(利用者)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outsiders = forms.CharField(
        label=_("出席者(利用者以外)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("1行に1人、「所属 氏名」の形で。例: 本町小学校 教頭 山田一郎"),
    )

    class Meta:
        model = Conference
        fields = ["kind", "held_on", "starts_at", "place", "summary"]
        widgets = {
            "held_on": DATE,
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "summary": TEXT,
        }

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = staff

    def outsider_rows(self) -> list[tuple[str, str]]:
        """(organisation, name) per line: the last word is the name, the rest its
        organisation."""
        rows = []
        for line in self.cleaned_data["outsiders"].splitlines():
            words = line.replace("\u3000", " ").split()
            if words:
                rows.append((" ".join(words[:-1]), words[-1]))
        return rows


class AttendeeForm(Plain, forms.Form):
    user = forms.ModelChoiceField(label=_("利用者"), queryset=None, required=False)
    name = forms.CharField(label=_("氏名(利用者以外)"), required=False, max_length=100)
    organisation = forms.CharField(label=_("所属"), required=False, max_length=100)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff


class DiscussionForm(Plain, forms.Form):
    case = forms.CharField(label=_("ケース番号"), max_length=20, help_text=_("例: C2026-00007"))
    why = forms.CharField(label=_("議題とした理由"), required=False, max_length=200)


class DecisionForm(Plain, forms.Form):
    """What the conference decided for one case, with up to three action items."""

    ACTIONS = 3

    notes = forms.CharField(label=_("協議の内容"), required=False, widget=TEXT)
    policy = forms.CharField(label=_("支援方針"), required=False, widget=TEXT)
    rank = forms.ChoiceField(
        label=_("リスクランク"), choices=[("", _("変更なし")), *Case.Rank.choices], required=False
    )
    lead_agency = forms.ChoiceField(
        label=_("主担当機関"),
        choices=[("", _("変更なし")), *Case.LeadAgency.choices],
        required=False,
    )
    plan_change = forms.CharField(
        label=_("プランの変更"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("書くと、プランの新しい版(作成中)が作られます。"),
    )
    next_review_on = forms.DateField(
        label=_("次回の進行管理"),
        required=False,
        widget=DATE,
        help_text=_("空欄のときは市の設定の間隔(例: 3か月後)になります。"),
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, self.ACTIONS + 1):
            self.fields[f"action{i}_what"] = forms.CharField(
                label=_("対応事項 %(n)s") % {"n": i}, required=False, max_length=200
            )
            self.fields[f"action{i}_owner"] = forms.ModelChoiceField(
                label=_("担当者"), queryset=staff, required=False
            )
            self.fields[f"action{i}_owner_name"] = forms.CharField(
                label=_("担当(利用者以外)"), required=False, max_length=100
            )
            self.fields[f"action{i}_due_on"] = forms.DateField(
                label=_("期限"), required=False, widget=DATE
            )

    def clean(self):
        data = super().clean()
        for i in range(1, self.ACTIONS + 1):
            what = data.get(f"action{i}_what")
            owner = data.get(f"action{i}_owner") or data.get(f"action{i}_owner_name")
            if what and not (owner and data.get(f"action{i}_due_on")):
                self.add_error(f"action{i}_what", _("担当と期限も入力してください。"))
        return data


class ActionDoneForm(Plain, forms.Form):
    result = forms.CharField(label=_("結果"), required=False, max_length=500)


class AgendaForm(Plain, forms.Form):
    held_on = forms.DateField(label=_("実務者会議の開催日"), widget=DATE)
    place = forms.CharField(label=_("場所"), required=False, max_length=100)


class HandOffForm(Plain, forms.ModelForm):
    class Meta:
        model = HandOff
        fields = ["kind", "counterpart", "counterpart_municipality", "reason"]
        widgets = {"reason": TEXT}

    def __init__(self, *args, municipality_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label)
            for value, label in HandOff.Kind.choices
            if value != HandOff.Kind.TRANSFER_IN
        ]
        self.fields["counterpart"].queryset = Organisation.objects.filter(
            municipality_id=municipality_id, kind=Organisation.Kind.CGC, is_active=True
        )
        self.fields["counterpart"].label = _("相手の児童相談所")
        self.fields["counterpart"].help_text = _("送致・指導委託・援助依頼のとき")
        self.fields["counterpart_municipality"].help_text = _("移管(転出)のとき。例: 静岡県浜松市")


class AnswerForm(Plain, forms.Form):
    accept = forms.TypedChoiceField(
        label=_("回答"),
        choices=[("yes", _("受理する")), ("no", _("返戻する"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("回答の内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("返戻するときは理由を書いてください。"),
    )


class DocumentForm(Plain, forms.Form):
    MAX_BYTES = 10 * 1024 * 1024

    title = forms.CharField(label=_("文書名"), max_length=150)
    dated = forms.DateField(label=_("日付"), widget=DATE)
    file = forms.FileField(label=_("ファイル"), required=False, help_text=_("10MBまで"))

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and file.size > self.MAX_BYTES:
            raise forms.ValidationError("ファイルが大きすぎます(10MBまで)。")
        return file


class TransferInForm(Plain, forms.Form):
    summary = forms.FileField(
        label=_("転入元のケース概要(JSON)"),
        help_text=_("転入元の市区町村から受け取った移管用ファイルです。"),
    )
    category = forms.ModelChoiceField(label=_("相談種別"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tsunagu.cases.models import ConsultationCategory

        self.fields["category"].queryset = ConsultationCategory.objects.filter(is_current=True)
