from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tsunagu.core.models import Area

from . import finder, geo, openings, schedules
from .models import OPERATOR_FIELDS, Category, Grade, Location, Schedule, Service

WHEN_CHOICES = [
    ("", _("いつでも")),
    ("now", _("いま あいている")),
    ("today", _("きょう")),
    ("week", _("こんしゅう(7にちかん)")),
    ("date", _("ひにちを えらぶ")),
]
RADIUS_CHOICES = [
    (str(geo.WALK_M), _("あるいて いける(1km)")),
    (str(geo.CYCLE_M), _("じてんしゃで いける(3km)")),
]


class FinderForm(forms.Form):
    """The public finder's questions, in words a child reads."""

    what = forms.MultipleChoiceField(
        label=_("なにを する?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    # Plain choices read in one query: a model choice field reads each list through its own
    # server-side cursor on PostgreSQL, and the chosen area once more.
    region = forms.TypedChoiceField(label=_("ちいき"), coerce=int, required=False, empty_value=None)
    district = forms.TypedChoiceField(
        label=_("しょうがっこうく"), coerce=int, required=False, empty_value=None
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    radius = forms.TypedChoiceField(
        label=_("どのくらい ちかく?"),
        choices=RADIUS_CHOICES,
        coerce=int,
        required=False,
        initial=str(geo.CYCLE_M),
        widget=forms.RadioSelect,
    )
    when = forms.ChoiceField(
        label=_("いつ?"), choices=WHEN_CHOICES, required=False, widget=forms.RadioSelect
    )
    on = forms.DateField(
        label=_("ひにち"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    age = forms.IntegerField(label=_("なんさい?"), required=False, min_value=0, max_value=22)
    grade = forms.ChoiceField(
        label=_("なんねんせい?"), choices=[("", "—"), *Grade.choices], required=False
    )
    free = forms.BooleanField(label=_("むりょう(0えん)の ところだけ"), required=False)
    ruby = forms.BooleanField(label=_("ふりがな"), required=False)

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        categories = Category.objects.all()
        self.fields["what"].choices = [(c.code, c.simple_label) for c in categories]
        self.audiences = {c.code: c.audience for c in categories}
        areas = list(
            Area.objects.filter(
                municipality=municipality,
                kind__in=[Area.Kind.REGION, Area.Kind.ELEMENTARY_DISTRICT],
            ).values_list("pk", "name", "kind")
        )
        for name, kind in (
            ("region", Area.Kind.REGION),
            ("district", Area.Kind.ELEMENTARY_DISTRICT),
        ):
            self.fields[name].choices = [("", _("ぜんぶ"))] + [
                (pk, label) for pk, label, of_kind in areas if of_kind == kind
            ]

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise ValidationError(_("ばしょが わかりませんでした。もういちど えらんでください。"))
        if data.get("lat") is not None:
            problem = geo.point_problem(data["lat"], data["lon"])
            if problem:
                raise ValidationError(problem)
        if data.get("when") == "date" and not data.get("on"):
            self.add_error("on", _("ひにちを えらんでください。"))
        reach = timedelta(days=openings.FARTHEST_DAYS)
        if data.get("on") and data["on"] > date.today() + reach:
            self.add_error("on", _("1ねんより さきの ひにちは えらべません。"))
        elif data.get("on") and data["on"] < date.today() - reach:
            # The openings of the days between would all be computed: a year back at most.
            self.add_error("on", _("1ねんより まえの ひにちは えらべません。"))
        return data

    def query(self, municipality, moment) -> finder.Query:
        data = self.cleaned_data
        point = (data["lat"], data["lon"]) if data.get("lat") is not None else None
        return finder.Query(
            municipality=municipality,
            categories=data.get("what") or [],
            region=data.get("region"),
            school_district=data.get("district"),
            point=point,
            radius_m=data.get("radius") or geo.CYCLE_M,
            when=data.get("when") or "",
            on_date=data.get("on"),
            age=data.get("age"),
            grade=data.get("grade") or "",
            free_only=bool(data.get("free")),
            moment=moment,
        )


# The languages a place may speak with families, as pickers (stored as codes: ja,en,pt).
LANGUAGES = [
    ("ja", _("日本語")),
    ("en", _("英語")),
    ("zh", _("中国語")),
    ("ko", _("韓国語")),
    ("pt", _("ポルトガル語")),
    ("es", _("スペイン語")),
    ("vi", _("ベトナム語")),
    ("tl", _("タガログ語")),
    ("ne", _("ネパール語")),
    ("id", _("インドネシア語")),
]


class _WebAddress(forms.ModelForm):
    """A web address typed without a scheme is taken as https (Django 6's default); the
    languages as pickers, keeping any code an imported file gave that the pickers lack."""

    url = forms.URLField(label=_("ウェブサイト"), required=False, assume_scheme="https")
    languages = forms.MultipleChoiceField(
        label=_("対応言語"),
        required=False,
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "pickers"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = [c.strip() for c in (self.instance.languages or "").split(",") if c.strip()]
        known = dict(LANGUAGES)
        self.fields["languages"].choices = LANGUAGES + [(c, c) for c in codes if c not in known]
        self.initial["languages"] = codes

    def clean_languages(self) -> str:
        return ",".join(self.cleaned_data["languages"])


class ServiceForm(_WebAddress):
    class Meta:
        model = Service
        fields = [
            "name",
            "name_kana",
            "categories",
            "visibility",
            *OPERATOR_FIELDS,
            "name_ruby",
            "description_ruby",
        ]
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_ruby": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "name_ruby": "空欄なら自動で付けます。直すときは「｜漢字《よみ》」の形で。",
            "description_ruby": "空欄なら自動で付けます。",
        }


class OperatorServiceForm(_WebAddress):
    """What an operator changes on its own entry (models.OPERATOR_FIELDS)."""

    class Meta:
        model = Service
        fields = list(OPERATOR_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = [
            "name",
            "postal_code",
            "prefecture",
            "city",
            "town",
            "block",
            "building",
            "latitude",
            "longitude",
            "region",
            "school_district",
            "accessibility",
            "transportation",
            "address_ruby",
        ]

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(municipality=municipality)
        self.fields["region"].queryset = areas.filter(kind=Area.Kind.REGION)
        self.fields["school_district"].queryset = areas.filter(kind=Area.Kind.ELEMENTARY_DISTRICT)


class ScheduleForm(forms.ModelForm):
    """One schedule in pickers and plain words (曜日, 第○週, 毎週・隔週), never in codes; the
    rule's other fields (from an imported file) are kept as they are."""

    weekdays = forms.MultipleChoiceField(
        label=_("曜日"),
        required=False,
        choices=list(schedules.WEEKDAY_NAMES.items()),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "pickers"}),
    )
    weeks = forms.TypedMultipleChoiceField(
        label=_("毎月の場合: 第何週"),
        required=False,
        coerce=int,
        choices=[(n, f"第{n}") for n in range(1, 6)] + [(-1, "最終")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "pickers"}),
    )
    every = forms.TypedChoiceField(
        label=_("毎週・隔週"),
        coerce=int,
        choices=[(1, _("毎週")), (2, _("隔週(1週おき)"))],
        initial=1,
        required=False,
    )

    class Meta:
        model = Schedule
        fields = [
            "kind",
            "dtstart",
            "date",
            "end_date",
            "opens_at",
            "closes_at",
            "valid_from",
            "valid_to",
            "note",
        ]
        widgets = {
            "dtstart": forms.DateInput(attrs={"type": "date"}),
            "date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "opens_at": forms.TimeInput(attrs={"type": "time"}),
            "closes_at": forms.TimeInput(attrs={"type": "time"}),
        }
        labels = {"dtstart": _("隔週の場合: 最初の開催日")}
        help_texts = {
            "closes_at": _("夜中の0時を過ぎる場合は翌日の時刻(例: 2:00)。24時間なら 0:00〜0:00。"),
            "date": _("臨時の開催日・休みの日"),
            "end_date": _("休みが何日か続く場合の最後の日"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parts = schedules.byday_parts(self.instance.byday)
        self.initial.setdefault("weekdays", schedules.weekdays_of(self.instance))
        self.initial.setdefault("weeks", sorted({n for n, _ in parts if n}))
        self.initial.setdefault("every", self.instance.interval or 1)
        self.order_fields(["kind", "weekdays", "weeks", "every", "dtstart"])

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        weeks = data.get("weeks") or [] if kind == "monthly" else []
        unchanged = not ({"weekdays", "weeks"} & set(self.changed_data))
        if not (unchanged and self.instance.pk):
            self.instance.byday = schedules.byday_of(data.get("weekdays") or [], weeks)
        self.instance.interval = data.get("every") or 1 if kind == "weekly" else 1
        fields = {k: data.get(k) for k in self.Meta.fields}
        fields.update({k: getattr(self.instance, k) for k in schedules.FIELDS if k not in fields})
        problem = schedules.problem(schedules.View(fields))
        if problem and not self.errors:
            raise ValidationError(problem)
        return data


ScheduleFormSet = forms.modelformset_factory(
    Schedule, form=ScheduleForm, extra=1, can_delete=True, max_num=30
)


class ClosureForm(forms.Form):
    """An operator's day off (きょうは休み), or days off: it only narrows when the place is
    shown open, so it takes effect at once."""

    date = forms.DateField(label=_("休みの日"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("休みが続く場合の最後の日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=_("ひとこと(例: 台風のため)"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("date"), data.get("end_date")
        if first and last and last < first:
            raise ValidationError(_("最後の日が休みの日より前です。"))
        return data
