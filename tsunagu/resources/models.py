"""Community resources (地域資源), shaped on Open Referral HSDS 3: an organisation offers
services at locations (service_at_location), each with its schedules.

Codes are text. A service is public or staff only (an informal helper such as a neighbour is
never shown to the public); an organisation or a location is public through its public services.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.models import Area, Municipality, Organisation
from tsunagu.core.validators import NAME_VALIDATORS

from . import geo, schedules


class Category(models.Model):
    """A taxonomy term (eat, study, play …), kept as data. ``simple_name`` is what a child reads
    in the finder (たべる); ``audience`` says whom the finder offers it to."""

    class Audience(models.TextChoices):
        CHILDREN = "children", _("こども")
        PARENTS = "parents", _("保護者")

    code = models.CharField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    simple_name = models.CharField(_("やさしい名前"), max_length=30)
    # The same in English, for pages shown in English (blank: the Japanese is shown).
    name_en = models.CharField(_("名称(英語)"), max_length=60, blank=True)
    simple_name_en = models.CharField(_("やさしい名前(英語)"), max_length=30, blank=True)
    description = models.CharField(_("説明"), max_length=200, blank=True)
    audience = models.CharField(_("対象"), max_length=10, choices=Audience.choices)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("分類")
        verbose_name_plural = _("分類")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language."""
        return _in_language(self.name, self.name_en)

    @property
    def simple_label(self) -> str:
        """What a child reads, in the page's language."""
        return _in_language(self.simple_name, self.simple_name_en)


def _in_language(japanese: str, english: str) -> str:
    return english if english and get_language() == "en" else japanese


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公開")
    STAFF = "staff", _("職員のみ")


class ExternalIdentity(models.Model):
    """Where a row came from, so that importing the same file again changes nothing; and its
    identifier in open data (HSDS ids are UUIDs)."""

    uid = models.UUIDField(_("公開ID"), default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(_("出典"), max_length=100, blank=True)
    external_id = models.CharField(_("出典のID"), max_length=100, blank=True)

    class Meta:
        abstract = True


class ResourceOrganisation(ExternalIdentity):
    """The body that runs a resource (HSDS organization): an NPO, a council, a volunteer group,
    a neighbour. ``operator`` is the partner organisation whose users may edit its entries."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    name = models.CharField(_("名称"), max_length=150, validators=NAME_VALIDATORS)
    name_kana = models.CharField(_("名称(カナ)"), max_length=300, blank=True)
    description = models.TextField(_("説明"), blank=True)
    email = models.EmailField(_("メール"), blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    operator = models.ForeignKey(
        Organisation,
        verbose_name=_("運営団体(ログインする団体)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resource_organisations",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("運営主体")
        verbose_name_plural = _("運営主体")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Grade(models.TextChoices):
    """School years, in order; stored as text codes."""

    PRESCHOOL = "P", _("未就学")
    E1 = "E1", _("小1")
    E2 = "E2", _("小2")
    E3 = "E3", _("小3")
    E4 = "E4", _("小4")
    E5 = "E5", _("小5")
    E6 = "E6", _("小6")
    J1 = "J1", _("中1")
    J2 = "J2", _("中2")
    J3 = "J3", _("中3")
    H1 = "H1", _("高1")
    H2 = "H2", _("高2")
    H3 = "H3", _("高3")

    @classmethod
    def rank(cls, code: str) -> int:
        return list(cls.values).index(code)


# What an operator may change on its own entry; the rest (name, categories, visibility, the
# place) is the editors'.
OPERATOR_FIELDS = (
    "description",
    "status",
    "minimum_age",
    "maximum_age",
    "grade_from",
    "grade_to",
    "eligibility_description",
    "admission",
    "is_free",
    "child_fee",
    "adult_fee",
    "meal_tickets",
    "fees_description",
    "contact_name",
    "phone",
    "email",
    "url",
    "languages",
    "capacity",
)


class Service(ExternalIdentity):
    class Status(models.TextChoices):
        ACTIVE = "active", _("実施中")
        TEMPORARILY_CLOSED = "temporarily closed", _("休止中")
        INACTIVE = "inactive", _("終了")

    class Admission(models.TextChoices):
        ANYONE = "anyone", _("だれでも")
        REGISTERED = "registered", _("登録した人")
        REFERRAL = "referral", _("紹介のみ")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    organisation = models.ForeignKey(
        ResourceOrganisation,
        verbose_name=_("運営主体"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    name = models.CharField(_("名称"), max_length=150, validators=NAME_VALIDATORS)
    name_kana = models.CharField(_("名称(カナ)"), max_length=300, blank=True)
    description = models.TextField(_("説明"), blank=True)
    status = models.CharField(_("状況"), max_length=20, choices=Status.choices, default="active")
    categories = models.ManyToManyField(Category, verbose_name=_("分類"), related_name="services")
    visibility = models.CharField(
        _("公開範囲"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # Eligibility (HSDS 3: minimum/maximum age and a description), with school grades and who
    # may come.
    minimum_age = models.PositiveSmallIntegerField(_("対象年齢(下限)"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("対象年齢(上限)"), null=True, blank=True)
    grade_from = models.CharField(
        _("対象学年(から)"), max_length=2, choices=Grade.choices, blank=True
    )
    grade_to = models.CharField(
        _("対象学年(まで)"), max_length=2, choices=Grade.choices, blank=True
    )
    eligibility_description = models.CharField(_("対象の説明"), max_length=300, blank=True)
    admission = models.CharField(
        _("利用できる人"), max_length=10, choices=Admission.choices, default=Admission.ANYONE
    )
    # Cost
    is_free = models.BooleanField(_("無料"), default=False)
    child_fee = models.PositiveIntegerField(_("こどもの料金(円)"), null=True, blank=True)
    adult_fee = models.PositiveIntegerField(_("おとなの料金(円)"), null=True, blank=True)
    meal_tickets = models.BooleanField(_("食事券が使える"), default=False)
    fees_description = models.CharField(_("料金の説明"), max_length=300, blank=True)
    # Contact
    contact_name = models.CharField(_("担当者"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("メール"), blank=True)
    url = models.URLField(_("ウェブサイト"), blank=True)
    languages = models.CharField(
        _("対応言語"),
        max_length=100,
        blank=True,
        help_text=_("言語コードをカンマ区切りで(例: ja,en,pt)"),
    )
    capacity = models.PositiveIntegerField(_("定員"), null=True, blank=True)
    # Furigana of what the finder shows, in 青空文庫 notation (｜漢字《かんじ》), generated and
    # correctable by an editor.
    name_ruby = models.CharField(_("名称のふりがな"), max_length=600, blank=True)
    description_ruby = models.TextField(_("説明のふりがな"), blank=True)
    last_verified_on = models.DateField(_("最終確認日"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[categories])

    class Meta:
        verbose_name = _("地域資源")
        verbose_name_plural = _("地域資源")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["municipality", "visibility", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ages_text(self) -> str:
        low, high = self.minimum_age, self.maximum_age
        if low is None and high is None:
            return ""
        return f"{'' if low is None else f'{low}さい'}〜{'' if high is None else f'{high}さい'}"

    @property
    def grades_text(self) -> str:
        if not (self.grade_from or self.grade_to):
            return ""
        return f"{self.get_grade_from_display() if self.grade_from else ''}〜" + (
            self.get_grade_to_display() if self.grade_to else ""
        )

    @property
    def cost_text(self) -> str:
        if self.is_free:
            return "無料"
        parts = []
        if self.child_fee is not None:
            parts.append(f"こども {self.child_fee:,}円")
        if self.adult_fee is not None:
            parts.append(f"おとな {self.adult_fee:,}円")
        return "、".join(parts) or self.fees_description

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC and self.status != self.Status.INACTIVE

    def clean(self) -> None:
        grades = self.grade_from and self.grade_to
        if grades and Grade.rank(self.grade_from) > Grade.rank(self.grade_to):
            raise ValidationError({"grade_to": "対象学年の「まで」が「から」より前です。"})
        if self.is_free and (self.child_fee or self.adult_fee):
            raise ValidationError({"is_free": "無料なのに料金が入力されています。"})


class Location(ExternalIdentity):
    """A place (HSDS location) with the address split of the municipal open-data standard."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    organisation = models.ForeignKey(
        ResourceOrganisation,
        verbose_name=_("運営主体"),
        on_delete=models.PROTECT,
        related_name="locations",
    )
    name = models.CharField(_("場所の名称"), max_length=150, validators=NAME_VALIDATORS)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    prefecture = models.CharField(_("都道府県"), max_length=10, blank=True)
    city = models.CharField(_("市区町村"), max_length=50, blank=True)
    town = models.CharField(_("町字"), max_length=100, blank=True)
    block = models.CharField(_("番地以下"), max_length=100, blank=True)
    building = models.CharField(_("建物名等(方書)"), max_length=100, blank=True)
    latitude = models.FloatField(_("緯度"), null=True, blank=True)
    longitude = models.FloatField(_("経度"), null=True, blank=True)
    region = models.ForeignKey(
        Area,
        verbose_name=_("地域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Area.Kind.REGION},
    )
    school_district = models.ForeignKey(
        Area,
        verbose_name=_("小学校区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Area.Kind.ELEMENTARY_DISTRICT},
    )
    accessibility = models.CharField(_("バリアフリー"), max_length=300, blank=True)
    transportation = models.CharField(_("交通"), max_length=300, blank=True)
    address_ruby = models.CharField(_("住所のふりがな"), max_length=600, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("場所")
        verbose_name_plural = _("場所")
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return f"{self.prefecture}{self.city}{self.town}{self.block}{self.building_part}"

    @property
    def building_part(self) -> str:
        return f" {self.building}" if self.building else ""

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def clean(self) -> None:
        geo.check_point(self.latitude, self.longitude)


class ServiceAtLocation(models.Model):
    """A service offered at one place: what the finder lists and the map marks."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="places")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="places")
    description = models.CharField(_("説明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("実施場所")
        verbose_name_plural = _("実施場所")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="one_place_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Schedule(models.Model):
    """When a service is open at a place, or closed: one RFC 5545 recurrence (HSDS 3 schedule)
    with closures and extra dates; see schedules.py, which evaluates it.

    weekly / monthly: ``byday`` (MO,WE; in a month 2SA,4SA or -1FR), ``bymonthday`` …, every
    ``interval`` weeks or months from ``dtstart``, within ``valid_from``–``valid_to``;
    opening: one extra ``date``; closed: from ``date`` to ``end_date``; holidays: closed on
    national holidays; year_end: closed 12/29–1/3; irregular: only the words say when.
    ``description`` keeps the publisher's own words; ``note`` is HSDS's notes.
    """

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("毎週")
        MONTHLY = "monthly", _("毎月(第○曜日)")
        OPENING = "opening", _("臨時の開催日")
        CLOSED = "closed", _("休み")
        HOLIDAYS = "holidays", _("祝日は休み")
        YEAR_END = "year_end", _("年末年始は休み")
        IRREGULAR = "irregular", _("不定期")

    place = models.ForeignKey(ServiceAtLocation, on_delete=models.CASCADE, related_name="schedules")
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    byday = models.CharField(_("曜日"), max_length=100, blank=True)
    interval = models.PositiveSmallIntegerField(_("間隔"), default=1)
    bymonthday = models.CharField(_("日(毎月)"), max_length=100, blank=True)
    byweekno = models.CharField(_("週番号(年)"), max_length=100, blank=True)
    byyearday = models.CharField(_("日番号(年)"), max_length=100, blank=True)
    dtstart = models.DateField(_("最初の開催日"), null=True, blank=True)
    until = models.DateField(_("最後の開催日"), null=True, blank=True)
    count = models.PositiveIntegerField(_("回数"), null=True, blank=True)
    wkst = models.CharField(_("週の始まり"), max_length=2, blank=True)
    date = models.DateField(_("日付"), null=True, blank=True)
    end_date = models.DateField(_("終了日"), null=True, blank=True)
    opens_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    closes_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    valid_from = models.DateField(_("有効期間(から)"), null=True, blank=True)
    valid_to = models.DateField(_("有効期間(まで)"), null=True, blank=True)
    timezone = models.FloatField(_("時差(UTC)"), null=True, blank=True)
    description = models.TextField(_("日程の説明(原文)"), blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    schedule_link = models.URLField(_("日程のページ"), max_length=500, blank=True)
    attending_type = models.CharField(_("参加のしかた"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("開催日程")
        verbose_name_plural = _("開催日程")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return schedules.describe(self)

    def save(self, *args, **kwargs):
        # One spelling of the codes (2SA,4SA), as files and forms compare them.
        self.byday = ",".join(schedules.codes(self.byday))
        super().save(*args, **kwargs)

    def clean(self) -> None:
        problem = schedules.problem(self)
        if problem:
            raise ValidationError(problem)


class Opening(models.Model):
    """A day a place opens, computed from its schedules for the weeks ahead: the finder's index
    of "open today / this week / now" (the schedules stay the truth; see openings.py)."""

    place = models.ForeignKey(ServiceAtLocation, on_delete=models.CASCADE, related_name="openings")
    day = models.DateField(_("日付"))
    opens_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    closes_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("開催日(計算済み)")
        verbose_name_plural = _("開催日(計算済み)")
        indexes = [
            models.Index(fields=["day", "place"]),
            models.Index(fields=["place", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.day}"


class OpeningHorizon(models.Model):
    """The days for which a municipality's openings are computed."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE)
    first_day = models.DateField()
    last_day = models.DateField()

    def __str__(self) -> str:
        return f"{self.municipality} {self.first_day}〜{self.last_day}"


class ChangeRequest(models.Model):
    """An operator's change to a public entry, waiting for a resource editor's approval."""

    class Status(models.TextChoices):
        PENDING = "pending", _("承認待ち")
        APPROVED = "approved", _("承認")
        REJECTED = "rejected", _("差し戻し")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="change_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申請日時"), auto_now_add=True)
    changes = models.JSONField(_("変更内容"))
    status = models.CharField(
        _("状況"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("判断日時"), null=True, blank=True)
    decision_note = models.CharField(_("コメント"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("変更申請")
        verbose_name_plural = _("変更申請")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.service}({self.get_status_display()})"


class DirectoryImport(models.Model):
    """A file uploaded on the staff import page: checked first (in the background, reading
    only), applied only when an editor confirms (in the background, in short transactions that
    an undo log makes one: a failed or killed import leaves nothing applied). The row keeps the
    file and the outcome, so the city can see who loaded what."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("確認待ち")
        CHECKING = "checking", _("確認中")
        CHECKED = "checked", _("確認済み(未反映)")
        APPLY_QUEUED = "apply_queued", _("反映待ち")
        APPLYING = "applying", _("反映中")
        APPLIED = "applied", _("反映済み")
        FAILED = "failed", _("失敗(何も反映していません)")

    RUNNING = (Status.QUEUED, Status.CHECKING, Status.APPLY_QUEUED, Status.APPLYING)

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("ファイル名"), max_length=200)
    dataset = models.CharField(_("データセット"), max_length=40, blank=True)
    data = models.BinaryField(_("ファイル"))
    file_format = models.CharField(_("形式"), max_length=20, blank=True)
    report = models.JSONField(_("確認結果"), default=dict)
    category_map = models.JSONField(_("種別と分類の対応"), default=dict, blank=True)
    status = models.CharField(
        _("状況"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("行数"), default=0)
    done = models.PositiveIntegerField(_("処理済みの行"), default=0)
    heartbeat_at = models.DateTimeField(_("最後の進捗"), null=True, blank=True)
    skip_bad = models.BooleanField(_("エラーの行を除く"), default=False)
    failure = models.TextField(_("失敗の理由"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("取込日時"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(_("反映日時"), null=True, blank=True)
    outcome = models.CharField(_("反映結果"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("地域資源の取込み")
        verbose_name_plural = _("地域資源の取込み")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename}({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


class ImportChange(models.Model):
    """What undoes one step of an import: {"created": ids of the rows it made} or
    {"record": the entry as it was, "verified": its date}. Deleted once the import has applied
    fully; left behind by a failed or killed one, and used to undo it (importing.undo)."""

    staged = models.ForeignKey(DirectoryImport, on_delete=models.CASCADE, related_name="changes")
    undo = models.JSONField(encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("取込みの変更(取消用)")
        verbose_name_plural = _("取込みの変更(取消用)")

    def __str__(self) -> str:
        return f"{self.staged} #{self.pk}"
