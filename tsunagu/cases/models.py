"""Consultations and reports (相談受付・通告), the case file, council registration (要対協),
activities (支援記録) and assessments (アセスメント)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.models import Municipality, Organisation
from tsunagu.people.models import NameKeyColumns, Person

SAFETY_CHECK_HOURS = 48  # national rule: sight the child within 48 hours of a report


class ConsultationCategory(models.Model):
    """One entry of the national statistics list of consultation kinds (相談の種類), as data.

    The list is versioned: a new edition adds rows with a new ``edition`` and retires the old
    ones, so every intake keeps the category it was recorded under.
    """

    edition = models.CharField(_("版"), max_length=20)
    code = models.CharField(_("コード"), max_length=40)
    group = models.CharField(_("大分類"), max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    is_abuse = models.BooleanField(_("児童虐待相談"), default=False)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    is_current = models.BooleanField(_("現行"), default=True)

    class Meta:
        verbose_name = _("相談種別")
        verbose_name_plural = _("相談種別")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="category_code_per_edition")
        ]

    def __str__(self) -> str:
        return self.name if self.name == self.group else f"{self.group} — {self.name}"


class Case(models.Model):
    """One family's file."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("受理")
        ASSESSING = "assessing", _("調査・アセスメント")
        SUPPORTING = "supporting", _("支援中")
        CLOSED = "closed", _("終結")

    class LeadAgency(models.TextChoices):
        CITY = "city", _("市")
        CGC = "cgc", _("児童相談所")
        JOINT = "joint", _("共同")

    class Rank(models.TextChoices):
        A = "A", _("A(最重度・重度)")
        B = "B", _("B(中度)")
        C = "C", _("C(軽度)")
        D = "D", _("D(見守り)")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    number = models.CharField(_("ケース番号"), max_length=20)
    NUMBER_PREFIX = "C"  # C2026-00007: never mistaken for an intake's 2026-00007
    title = models.CharField(_("ケース名"), max_length=100, help_text=_("例: 桑名 花子さん世帯"))
    status = models.CharField(
        _("状況"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    opened_on = models.DateField(_("受理日"))
    closed_on = models.DateField(_("終結日"), null=True, blank=True)
    lead_agency = models.CharField(
        _("主担当機関"), max_length=10, choices=LeadAgency.choices, blank=True
    )
    risk_rank = models.CharField(_("リスクランク"), max_length=2, choices=Rank.choices, blank=True)
    next_review_on = models.DateField(_("次回の進行管理"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ケース")
        verbose_name_plural = _("ケース")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="case_number_once")
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "-updated_at"]),
            models.Index(fields=["municipality", "next_review_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def persons_queryset(self):
        return Person.objects.filter(case_roles__case=self).order_by("birth_date")


class CaseStatusChange(models.Model):
    """Each move of a case's status, with its reason (closing and re-opening included)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("状況"), max_length=20, choices=Case.Status.choices)
    reason = models.TextField(_("理由"), blank=True)
    changed_at = models.DateTimeField(_("日時"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("状況の変更")
        verbose_name_plural = _("状況の変更")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()}({self.changed_at:%Y-%m-%d})"


class ClosureRequest(models.Model):
    """A request to close a case (終結), with its reason, and the supervisor's decision on it.

    A case closes only through an approved request; a refused one leaves the case open."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closure_requests")
    reason = models.TextField(_("終結の理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申請日時"))
    approved = models.BooleanField(_("承認"), null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("決定日時"), null=True)
    decision_note = models.TextField(_("決定のコメント"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("終結の申請")
        verbose_name_plural = _("終結の申請")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(decided_at=None), name="one_pending_closure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} 終結の申請({self.requested_at:%Y-%m-%d})"


class RiskRankChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rank_changes")
    rank = models.CharField(_("リスクランク"), max_length=2, choices=Case.Rank.choices)
    reason = models.TextField(_("理由"), blank=True)
    changed_at = models.DateTimeField(_("日時"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("リスクランクの変更")
        verbose_name_plural = _("リスクランクの変更")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.rank}({self.changed_at:%Y-%m-%d})"


def _keys_of(persons: models.QuerySet) -> dict:
    return {key: models.Subquery(persons.values(key)[:1]) for key in NameKeyColumns.KEYS}


class CasePersonQuerySet(models.QuerySet):
    def refresh_name_keys(self) -> int:
        """Copy the persons' current name keys onto these rows (after a bulk load, when a
        person's name changes, or when records are merged).

        A record merged into another carries the keys of the person it was merged into, so that
        the case search finds its cases by the person's current name."""
        own = Person.objects.filter(pk=models.OuterRef("person_id"))
        kept = Person.objects.filter(merged_records=models.OuterRef("person_id"))
        updated = self.filter(person__merged_into=None).update(**_keys_of(own))
        return updated + self.exclude(person__merged_into=None).update(**_keys_of(kept))


class CasePerson(NameKeyColumns):
    """A person concerned by a case, with a copy of the person's name keys: the case search
    then reads a few thousand case persons instead of every person of a city."""

    class Role(models.TextChoices):
        CHILD = "child", _("子ども")
        EXPECTANT_MOTHER = "expectant_mother", _("妊婦")
        GUARDIAN = "guardian", _("保護者")
        OTHER = "other", _("その他の関係者")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_roles")
    role = models.CharField(_("立場"), max_length=20, choices=Role.choices)

    objects = CasePersonQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=list(NameKeyColumns.KEYS))

    class Meta:
        verbose_name = _("ケースの関係者")
        verbose_name_plural = _("ケースの関係者")
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="case_person_once")]
        indexes = [
            models.Index(fields=[key], name=f"case_person_{key}") for key in NameKeyColumns.KEYS
        ]

    def __str__(self) -> str:
        return f"{self.person}({self.get_role_display()})"

    def save(self, *args, **kwargs):
        for key in self.KEYS:
            setattr(self, key, getattr(self.person, key))
        super().save(*args, **kwargs)


class CaseUnit(models.Model):
    """A unit of the center working on the case (母子保健, 児童福祉, 発達支援)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Organisation, verbose_name=_("担当"), on_delete=models.PROTECT)
    since = models.DateField(_("関与開始日"))
    until = models.DateField(_("関与終了日"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("担当部署")
        verbose_name_plural = _("担当部署")
        constraints = [models.UniqueConstraint(fields=["case", "unit"], name="case_unit_once")]

    def __str__(self) -> str:
        return str(self.unit)


class Assignment(models.Model):
    """A worker assigned to the case; one of them may be the key person (キーパーソン)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("担当者"), on_delete=models.PROTECT
    )
    is_key_person = models.BooleanField(_("キーパーソン"), default=False)
    since = models.DateField(_("担当開始日"))
    until = models.DateField(_("担当終了日"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("担当者")
        verbose_name_plural = _("担当者")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(is_key_person=True, until=None),
                name="one_key_person",
            )
        ]
        indexes = [models.Index(fields=["worker", "until"])]

    def __str__(self) -> str:
        return str(self.worker)


class CaseOrganisation(models.Model):
    """An organisation involved in the case, with its role."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主担当")
        CO_WORKER = "co_worker", _("協働")
        INFORMANT = "informant", _("情報提供")
        PARTNER = "partner", _("協力")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey(Organisation, verbose_name=_("機関"), on_delete=models.PROTECT)
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)
    since = models.DateField(_("開始日"))
    until = models.DateField(_("終了日"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("関係機関")
        verbose_name_plural = _("関係機関")

    def __str__(self) -> str:
        return f"{self.organisation}({self.get_role_display()})"


class Intake(models.Model):
    """A consultation or report received (相談受付・通告)."""

    class Channel(models.TextChoices):
        VISIT = "visit", _("来所")
        PHONE = "phone", _("電話")
        SNS = "sns", _("SNS・LINE")
        LETTER = "letter", _("文書")
        PARTNER_REPORT = "partner_report", _("関係機関からの連絡")
        OTHER = "other", _("その他")

    class Source(models.TextChoices):
        FAMILY = "family", _("家族・親戚")
        SELF = "self", _("本人")
        NEIGHBOUR = "neighbour", _("近隣・知人")
        SCHOOL = "school", _("学校")
        NURSERY = "nursery", _("保育所・幼稚園等")
        HOSPITAL = "hospital", _("医療機関")
        POLICE = "police", _("警察")
        CGC = "cgc", _("児童相談所")
        WELFARE_OFFICE = "welfare_office", _("福祉事務所・他部署")
        CAFETERIA = "cafeteria", _("こども食堂・協力団体")
        PREGNANCY_LINE = "pregnancy_line", _("妊娠相談窓口")
        ANONYMOUS = "anonymous", _("匿名")
        OTHER = "other", _("その他")

    class Urgency(models.TextChoices):
        IMMEDIATE = "immediate", _("直ちに対応")
        TODAY = "today", _("当日中")
        SOON = "soon", _("数日内")
        ROUTINE = "routine", _("通常")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("未処理")
        NEW_CASE = "new_case", _("新規ケース")
        JOINED = "joined", _("既存ケースに追加")
        ADVICE = "advice", _("助言のみで終了")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    number = models.CharField(_("受付番号"), max_length=20)
    NUMBER_PREFIX = ""
    received_at = models.DateTimeField(_("受付日時"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受付者"),
        on_delete=models.PROTECT,
        related_name="intakes_received",
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("受付部署"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("経路"), max_length=20, choices=Channel.choices)
    source = models.CharField(_("相談者・通告者"), max_length=20, choices=Source.choices)
    source_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("連絡元の機関"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    caller_name = models.CharField(_("相談者の氏名・連絡先"), max_length=100, blank=True)
    category = models.ForeignKey(
        ConsultationCategory, verbose_name=_("相談種別"), on_delete=models.PROTECT
    )
    is_abuse_report = models.BooleanField(_("虐待通告"), default=False)
    abuse_physical = models.BooleanField(_("身体的虐待"), default=False)
    abuse_sexual = models.BooleanField(_("性的虐待"), default=False)
    abuse_psychological = models.BooleanField(_("心理的虐待"), default=False)
    abuse_neglect = models.BooleanField(_("ネグレクト"), default=False)
    urgency = models.CharField(_("緊急度"), max_length=20, choices=Urgency.choices)
    summary = models.TextField(_("内容"))
    outcome = models.CharField(
        _("処理"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("ケース"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intakes",
    )
    safety_check_due = models.DateTimeField(_("安全確認の期限"), null=True, blank=True)
    safety_checked_at = models.DateTimeField(_("安全確認の日時"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("相談受付")
        verbose_name_plural = _("相談受付")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="intake_number_once")
        ]
        indexes = [
            models.Index(fields=["case", "-received_at"], name="intake_case_time"),
            # The due list reads only the open safety checks: a small partial index.
            models.Index(
                fields=["safety_check_due"],
                condition=Q(is_abuse_report=True, safety_checked_at=None),
                name="intake_open_safety_checks",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}({self.received_at:%Y-%m-%d})"

    ABUSE_FIELDS = ("abuse_physical", "abuse_sexual", "abuse_psychological", "abuse_neglect")

    @property
    def abuse_types(self) -> list[str]:
        return [
            str(self._meta.get_field(field).verbose_name)
            for field in self.ABUSE_FIELDS
            if getattr(self, field)
        ]

    def due_for_safety_check(self):
        return self.received_at + timedelta(hours=SAFETY_CHECK_HOURS)


class IntakePerson(models.Model):
    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="intake_roles")
    role = models.CharField(_("立場"), max_length=20, choices=CasePerson.Role.choices)

    class Meta:
        verbose_name = _("受付の関係者")
        verbose_name_plural = _("受付の関係者")
        constraints = [
            models.UniqueConstraint(fields=["intake", "person"], name="intake_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.person}({self.get_role_display()})"


class Registration(models.Model):
    """Registration with the council (要対協) of one person, for one period in one category.

    A change of category is a new row that ``continues`` the previous one, so the history stays:
    an expectant mother's registration continues as her child's support registration.
    """

    class Category(models.TextChoices):
        PROTECTION = "protection", _("要保護児童")
        SUPPORT = "support", _("要支援児童")
        EXPECTANT_MOTHER = "expectant_mother", _("特定妊婦")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="registrations")
    category = models.CharField(_("区分"), max_length=20, choices=Category.choices)
    registered_on = models.DateField(_("登録日"))
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    end_reason = models.CharField(_("終了理由"), max_length=200, blank=True)
    continues = models.OneToOneField(
        "self",
        verbose_name=_("引き継いだ登録"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continued_by",
    )
    last_reviewed_on = models.DateField(_("前回の進行管理"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("要対協登録")
        verbose_name_plural = _("要対協登録")
        ordering = ["registered_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on=None), name="one_open_registration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_category_display()}({self.registered_on})"


class Activity(models.Model):
    """An entry of the support record (支援記録).

    Its author may edit it for 24 hours; after that a correction is a new activity that
    ``amends`` it, and the original stays as it was.
    """

    class Kind(models.TextChoices):
        VISIT = "visit", _("家庭訪問")
        JOINT_VISIT = "joint_visit", _("同行訪問")
        INTERVIEW = "interview", _("面接")
        CALL = "call", _("電話")
        LIAISON = "liaison", _("関係機関との連絡")
        MEETING = "meeting", _("会議")

    EDITABLE_HOURS = 24

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("日時"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.PROTECT,
        related_name="activities_written",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("対応した職員"),
        related_name="activities",
        blank=True,
    )
    persons_met = models.ManyToManyField(Person, verbose_name=_("会った人"), blank=True)
    child_seen = models.BooleanField(_("子どもの姿を確認"), null=True, blank=True)
    content = models.TextField(_("内容"))
    next_action = models.CharField(_("次の対応"), max_length=200, blank=True)
    next_action_due = models.DateField(_("次の対応の期限"), null=True, blank=True)
    next_action_done = models.BooleanField(_("次の対応済み"), default=False)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("訂正元"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("支援記録")
        verbose_name_plural = _("支援記録")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["case", "-occurred_at"]),
            models.Index(
                fields=["next_action_due"],
                condition=Q(next_action_done=False, next_action_due__isnull=False),
                name="activity_open_next_actions",
            ),
            # The due list of a worker or a unit: the open next actions of the cases they may
            # see, read case by case (a designated city holds thousands of open ones).
            models.Index(
                fields=["case", "next_action_due"],
                condition=Q(next_action_done=False, next_action_due__isnull=False),
                name="activity_open_next_by_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def editable_until(self):
        return self.created_at + timedelta(hours=self.EDITABLE_HOURS)

    @property
    def is_editable(self) -> bool:
        """Still within its author's 24 hours of direct correction."""
        return timezone.now() <= self.editable_until


class AssessmentForm(models.Model):
    """A versioned item set (as data): yes/no items or domains, and the levels they lead to."""

    class Kind(models.TextChoices):
        URGENCY = "urgency", _("緊急度アセスメント")
        HOME_SUPPORT = "home_support", _("在宅支援アセスメント")

    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    version = models.CharField(_("版"), max_length=20)
    title = models.CharField(_("名称"), max_length=100)
    definition = models.JSONField(_("項目と判定"))
    is_current = models.BooleanField(_("現行"), default=True)

    class Meta:
        verbose_name = _("アセスメント様式")
        verbose_name_plural = _("アセスメント様式")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="assessment_form_version")
        ]

    def __str__(self) -> str:
        return f"{self.title}({self.version})"

    def item_codes(self) -> list[str]:
        definition = self.definition
        if definition["type"] == "yes_no":
            return [item["code"] for item in definition["items"]]
        return [
            f"{domain['code']}.{item['code']}"
            for domain in definition["domains"]
            for item in domain["items"]
        ]

    def level_for(self, answers: dict) -> str:
        """The level the answers lead to: the first rule that holds, else ``otherwise``.

        Yes/no forms hold answers as booleans; rated forms as 0..len(scale)-1 per item.
        """
        definition = self.definition
        highest = max((int(answers.get(code) or 0) for code in self.item_codes()), default=0)
        for rule in definition["levels"]:
            if "if_any" in rule and any(answers.get(code) is True for code in rule["if_any"]):
                return rule["level"]
            if "if_max_at_least" in rule and highest >= rule["if_max_at_least"]:
                return rule["level"]
        return definition["otherwise"]


class Assessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    form = models.ForeignKey(AssessmentForm, verbose_name=_("様式"), on_delete=models.PROTECT)
    person = models.ForeignKey(
        Person, verbose_name=_("対象者"), on_delete=models.PROTECT, null=True, blank=True
    )
    answers = models.JSONField(_("回答"))
    level = models.CharField(_("判定"), max_length=40)
    notes = models.TextField(_("所見"), blank=True)
    assessed_on = models.DateField(_("実施日"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("アセスメント")
        verbose_name_plural = _("アセスメント")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.form.title}: {self.level}"


class RestrictedNote(models.Model):
    """A sensitive note (e.g. a DV shelter address) that only the named workers may read."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="restricted_notes")
    text = models.TextField(_("内容"))
    readers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("閲覧できる職員"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("閲覧制限付きメモ")
        verbose_name_plural = _("閲覧制限付きメモ")

    def __str__(self) -> str:
        return f"閲覧制限付きメモ({self.written_at:%Y-%m-%d})"


class BreakGlass(models.Model):
    """Access to one case outside the worker's own, given a reason, for a limited time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    reason = models.TextField(_("理由"))
    started_at = models.DateTimeField(_("開始"))
    expires_at = models.DateTimeField(_("終了"))

    class Meta:
        verbose_name = _("緊急閲覧")
        verbose_name_plural = _("緊急閲覧")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "case", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.case}({self.started_at:%Y-%m-%d %H:%M})"
