"""After intake: support plans (サポートプラン), conferences (会議) with their decisions and
action items, and hand-offs (送致・指導委託・援助依頼・移管) with the child guidance center and
other municipalities."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.cases.models import Case, Intake
from tsunagu.core.models import Municipality, Organisation
from tsunagu.people.models import Person
from tsunagu.resources.models import Service as DirectoryService


class ServiceKind(models.Model):
    """One entry of the catalogue of services a plan may name, kept as data: the family
    support services (家庭支援事業) of DOMAIN.md and the city's own."""

    class Category(models.TextChoices):
        FAMILY_SUPPORT = "family_support", _("家庭支援事業")
        MATERNAL = "maternal", _("母子保健")
        WELFARE = "welfare", _("福祉サービス")
        LOCAL = "local", _("市の独自事業")

    code = models.CharField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    category = models.CharField(_("区分"), max_length=20, choices=Category.choices)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    is_current = models.BooleanField(_("現行"), default=True)

    class Meta:
        verbose_name = _("サービス(カタログ)")
        verbose_name_plural = _("サービス(カタログ)")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class SupportPlan(models.Model):
    """One version of a case's support plan (サポートプラン), made with the family.

    A new version starts as a copy of the last; the supervisor approves a version before it
    is in force, and an approved version never changes (the next version supersedes it)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("作成中")
        SUBMITTED = "submitted", _("承認待ち")
        APPROVED = "approved", _("実施中(承認済み)")
        SUPERSEDED = "superseded", _("改訂済み")
        CLOSED = "closed", _("終了")

    class Agreement(models.TextChoices):
        INTERVIEW = "interview", _("面接で説明し同意")
        VISIT = "visit", _("家庭訪問で説明し同意")
        PHONE = "phone", _("電話で説明し同意")
        WRITTEN = "written", _("書面で同意")

    OPEN = (Status.DRAFT, Status.SUBMITTED)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField(_("版"))
    based_on = models.OneToOneField(
        "self",
        verbose_name=_("元の版"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
    )
    status = models.CharField(
        _("状況"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    child_wishes = models.TextField(_("子どもの思い・願い(本人の言葉で)"), blank=True)
    guardian_wishes = models.TextField(_("保護者の思い・願い(本人の言葉で)"), blank=True)
    needs = models.TextField(_("支援が必要なこと"), blank=True)
    strengths = models.TextField(_("家族の強み・できていること"), blank=True)
    goal_short = models.TextField(_("短期目標"), blank=True)
    goal_long = models.TextField(_("長期目標"), blank=True)
    staff_notes = models.TextField(_("職員用メモ(家族用控えには印刷しません)"), blank=True)
    review_on = models.DateField(_("見直し予定日"), null=True, blank=True)
    agreed_on = models.DateField(_("家族の同意日"), null=True, blank=True)
    agreement = models.CharField(
        _("同意の方法"), max_length=20, choices=Agreement.choices, blank=True
    )
    agreed_by = models.CharField(
        _("同意した人"), max_length=100, blank=True, help_text=_("例: 母 髙橋 美咲")
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("承認申請日時"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承認者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    return_note = models.TextField(_("差し戻しのコメント"), blank=True)
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("サポートプラン")
        verbose_name_plural = _("サポートプラン")
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="plan_version_once"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["draft", "submitted"]),
                name="one_open_plan_version",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="approved"), name="one_plan_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} サポートプラン 第{self.version}版"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class PlanItem(models.Model):
    """A service or resource of the plan: from the catalogue, the community directory, or a
    local one by name; who provides it, how often, from–to."""

    class Kind(models.TextChoices):
        CATALOGUE = "catalogue", _("家庭支援事業などのサービス")
        DIRECTORY = "directory", _("地域資源(こども食堂・居場所など)")
        OTHER = "other", _("その他の支援")

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("順"), default=0)
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    service = models.ForeignKey(
        ServiceKind,
        verbose_name=_("サービス"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    resource = models.ForeignKey(
        DirectoryService,
        verbose_name=_("地域資源"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=150, blank=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("対象者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    provider = models.CharField(_("提供者"), max_length=150, blank=True)
    frequency = models.CharField(_("頻度"), max_length=100, blank=True, help_text=_("例: 週1回"))
    starts_on = models.DateField(_("開始日"), null=True, blank=True)
    ends_on = models.DateField(_("終了日"), null=True, blank=True)
    note = models.TextField(_("内容"), blank=True)
    staff_only = models.BooleanField(
        _("職員用のみ"),
        default=False,
        help_text=_("家族用控えに載せない項目(他の家族員に知らせない支援など)。"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("プランの支援内容")
        verbose_name_plural = _("プランの支援内容")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.name or str(self.service or self.resource or "")


class PlanTask(models.Model):
    """Who does what (役割分担): maternal health, child welfare, partners, the family."""

    class Party(models.TextChoices):
        MATERNAL_HEALTH = "maternal_health", _("母子保健")
        CHILD_WELFARE = "child_welfare", _("児童福祉")
        PARTNER = "partner", _("関係機関")
        FAMILY = "family", _("家族")
        CHILD = "child", _("子ども本人")

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(_("順"), default=0)
    party = models.CharField(_("担い手"), max_length=20, choices=Party.choices)
    who = models.CharField(_("担当"), max_length=100, blank=True, help_text=_("例: 〇〇小学校"))
    what = models.TextField(_("役割"))
    staff_only = models.BooleanField(_("職員用のみ"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("役割分担")
        verbose_name_plural = _("役割分担")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_party_display()}: {self.what[:30]}"


class Conference(models.Model):
    """A meeting (会議) of the center or the council: many cases, attendees, minutes."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("個別ケース検討会議")
        JOINT = "joint", _("合同ケース会議")
        PRACTITIONERS = "practitioners", _("実務者会議")
        ASSESSMENT = "assessment", _("アセスメント力向上委員会")
        REPRESENTATIVES = "representatives", _("代表者会議")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    kind = models.CharField(_("会議の種類"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("開催日"))
    starts_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    place = models.CharField(_("場所"), max_length=100, blank=True)
    summary = models.TextField(_("全体の記録"), blank=True)
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会議")
        verbose_name_plural = _("会議")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}({self.held_on:%Y-%m-%d})"


class Attendee(models.Model):
    """Someone at the conference: a user of tsunagu (staff, a cgc liaison), or a person of an
    outside organisation by name. A user outside the center sees only the conferences they
    attended."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("利用者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conferences_attended",
    )
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    organisation = models.CharField(_("所属"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("出席者")
        verbose_name_plural = _("出席者")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "user"],
                condition=Q(user__isnull=False),
                name="attendee_user_once",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="attendee_named"
            ),
        ]
        indexes = [models.Index(fields=["user", "conference"])]

    def __str__(self) -> str:
        who = str(self.user) if self.user_id else self.name
        return f"{who}({self.organisation})" if self.organisation else who


class Discussion(models.Model):
    """A case discussed at a conference, and what was decided for it. Each decision is applied
    to the case through the cases app's own service, so the case's history names it."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="discussions")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="discussions")
    order = models.PositiveSmallIntegerField(_("順"), default=0)
    why = models.CharField(_("議題とした理由"), max_length=200, blank=True)
    notes = models.TextField(_("協議の内容"), blank=True)
    policy = models.TextField(_("支援方針"), blank=True)
    rank = models.CharField(_("リスクランク"), max_length=2, choices=Case.Rank.choices, blank=True)
    lead_agency = models.CharField(
        _("主担当機関"), max_length=10, choices=Case.LeadAgency.choices, blank=True
    )
    plan_change = models.TextField(_("プランの変更"), blank=True)
    next_review_on = models.DateField(_("次回の進行管理"), null=True, blank=True)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("協議したケース")
        verbose_name_plural = _("協議したケース")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "case"], name="case_once_per_conference")
        ]
        indexes = [models.Index(fields=["case", "conference"])]

    def __str__(self) -> str:
        return f"{self.conference}: {self.case.number}"


class ActionItem(models.Model):
    """Something a conference asked someone to do by a date (e.g. 学校に出席状況を確認). It is on
    its owner's due list until done, and closes with its case."""

    class Status(models.TextChoices):
        OPEN = "open", _("未完了")
        DONE = "done", _("完了")
        CANCELLED = "cancelled", _("取消")

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="action_items"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="action_items")
    what = models.CharField(_("対応事項"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    owner_name = models.CharField(
        _("担当(機関・氏名)"),
        max_length=100,
        blank=True,
        help_text=_("利用者でない出席者のとき: 例 〇〇小学校 教頭"),
    )
    due_on = models.DateField(_("期限"))
    status = models.CharField(_("状況"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("完了日"), null=True, blank=True)
    result = models.TextField(_("結果"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会議の対応事項")
        verbose_name_plural = _("会議の対応事項")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(status="open"), name="open_action_items"),
            models.Index(fields=["owner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_name=""), name="action_item_owned"
            )
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name


class HandOff(models.Model):
    """A transfer or referral between the center and the child guidance center or another
    municipality (送致, 指導委託, 援助依頼, 移管): requested → accepted or returned → done.

    The side that did not ask answers: the cgc for what the center sends it; the center for
    what comes in. Access follows: a 送致 the cgc accepts makes it the case's lead."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("送致(市→児童相談所)")
        DELEGATION = "delegation", _("指導委託(児童相談所→市)")
        ASSISTANCE = "assistance", _("援助依頼")
        TRANSFER_OUT = "transfer_out", _("移管(転出先の市区町村へ)")
        TRANSFER_IN = "transfer_in", _("移管(転入元の市区町村から)")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("依頼中")
        ACCEPTED = "accepted", _("受理")
        RETURNED = "returned", _("返戻")
        DONE = "done", _("完了")

    class Direction(models.TextChoices):
        OUT = "out", _("市から")
        IN = "in", _("市へ")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="handoffs"
    )
    intake = models.ForeignKey(
        Intake, on_delete=models.PROTECT, null=True, blank=True, related_name="handoffs"
    )
    counterpart = models.ForeignKey(
        Organisation,
        verbose_name=_("相手の機関"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handoffs",
    )
    counterpart_municipality = models.CharField(
        _("相手の市区町村"), max_length=100, blank=True, help_text=_("例: 静岡県浜松市")
    )
    status = models.CharField(
        _("状況"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    reason = models.TextField(_("依頼の内容・理由"))
    requested_on = models.DateField(_("依頼日"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_on = models.DateField(_("回答日"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("回答"), blank=True)
    done_on = models.DateField(_("完了日"), null=True, blank=True)
    received_summary = models.JSONField(
        _("受け取ったケース概要"), null=True, blank=True, help_text=_("転入元の市区町村から")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("引継ぎ(送致・移管など)")
        verbose_name_plural = _("引継ぎ(送致・移管など)")
        ordering = ["-requested_on", "-pk"]
        indexes = [
            models.Index(fields=["counterpart", "status"]),
            models.Index(fields=["case", "-requested_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}({self.requested_on:%Y-%m-%d})"

    @property
    def counterpart_label(self) -> str:
        return str(self.counterpart) if self.counterpart_id else self.counterpart_municipality

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.ACCEPTED)


class HandOffDocument(models.Model):
    """A document that went with the hand-off (送致書, 援助依頼書, ケース概要): its title and
    date, and the file when there is one."""

    handoff = models.ForeignKey(HandOff, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("文書名"), max_length=150)
    dated = models.DateField(_("日付"))
    content = models.BinaryField(_("ファイル"), null=True, blank=True, editable=False)
    filename = models.CharField(_("ファイル名"), max_length=150, blank=True)
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("引継ぎの文書")
        verbose_name_plural = _("引継ぎの文書")
        ordering = ["dated", "pk"]

    def __str__(self) -> str:
        return self.title
