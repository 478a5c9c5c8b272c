"""Family support services (家庭支援事業): the city's catalogue by fiscal year, the providers
and their contracts, and for a family the way from application to decision (利用決定),
usage recorded by the provider, monitoring and after-care; short-stay requests.

Sources: the national guidebook (seed 002), its municipal cases — fee tiers with the
所得割 77,101円 threshold, 2 hours a visit × about 4 visits extendable, short stay by the
child's age (under 2 → 乳児院) and foster carers who take weekends only."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.cases.models import Case
from tsunagu.core.models import Area, Municipality, Organisation
from tsunagu.people.models import Person
from tsunagu.plans.models import PlanItem, ServiceKind


class Unit(models.TextChoices):
    """What a service is counted in (the unit of its limits, fees and figures)."""

    VISIT = "visit", _("回(訪問)")
    HOUR = "hour", _("時間")
    DAY = "day", _("日")
    NIGHT = "night", _("泊")
    PERSON_DAY = "person_day", _("人日")
    SESSION = "session", _("回(講座)")
    COURSE = "course", _("クール")


class Tier(models.TextChoices):
    """Household tiers of the fee table (世帯区分)."""

    PUBLIC_ASSISTANCE = "public_assistance", _("生活保護世帯")
    SINGLE_PARENT_EXEMPT = "single_parent_exempt", _("ひとり親・住民税非課税世帯")
    TAX_EXEMPT = "tax_exempt", _("住民税非課税世帯")
    LOW_INCOME_LEVY = "low_income_levy", _("所得割課税額が基準未満の世帯")
    OTHER = "other", _("その他の世帯")


class AgeBand(models.TextChoices):
    ALL = "all", _("年齢によらない")
    UNDER_2 = "under_2", _("2歳未満")
    FROM_2 = "from_2", _("2歳以上")


class Offering(models.Model):
    """One service of the city's catalogue in one fiscal year (事業): what it is in law, how it
    is delivered, its unit, eligibility and standard limits. Its fees are ``FeeRate`` rows."""

    class LegalCategory(models.TextChoices):
        HOME_VISIT_SUPPORT = "home_visit_support", _("子育て世帯訪問支援事業")
        CHILD_HUB = "child_hub", _("児童育成支援拠点事業")
        PARENTING_PROGRAM = "parenting_program", _("親子関係形成支援事業")
        SHORT_STAY = "short_stay", _("子育て短期支援事業")
        NURTURING_VISIT = "nurturing_visit", _("養育支援訪問事業")
        TEMPORARY_CARE = "temporary_care", _("一時預かり事業")
        WATCH_PROGRAM = "watch_program", _("支援対象児童等見守り強化事業")
        PREGNANT_LIFE_SUPPORT = "pregnant_life_support", _("妊産婦等生活援助事業")
        LOCAL = "local", _("独自事業")

    class Delivery(models.TextChoices):
        DIRECT = "direct", _("直営")
        CONTRACTED = "contracted", _("委託")
        REGISTERED = "registered", _("登録事業者")
        INDIVIDUAL = "individual", _("個人契約")
        DISPATCHED = "dispatched", _("講師派遣")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), help_text=_("例: 2026(令和8年度)"))
    kind = models.ForeignKey(
        ServiceKind, verbose_name=_("サービス(カタログ)"), on_delete=models.PROTECT
    )
    legal_category = models.CharField(_("法定区分"), max_length=30, choices=LegalCategory.choices)
    delivery = models.CharField(_("実施方法"), max_length=20, choices=Delivery.choices)
    public_name = models.CharField(_("名称(住民向け)"), max_length=100)
    internal_name = models.CharField(_("名称(庁内)"), max_length=100, blank=True)
    unit = models.CharField(_("単位"), max_length=20, choices=Unit.choices)
    # Eligibility (対象者)
    min_age = models.PositiveSmallIntegerField(_("対象年齢(下限)"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("対象年齢(上限)"), null=True, blank=True)
    needs_registration = models.BooleanField(
        _("要対協登録が必要"), default=False, help_text=_("要保護・要支援・特定妊婦のみ")
    )
    residents_only = models.BooleanField(_("市内在住者のみ"), default=True)
    # Standard limits (標準の上限): e.g. 2 hours a visit, 4 visits.
    per_use_limit = models.DecimalField(
        _("1回あたりの上限"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("単位が時間なら 1回あたりの時間(例: 2)"),
    )
    uses_limit = models.PositiveSmallIntegerField(
        _("利用回数の上限"), null=True, blank=True, help_text=_("決定期間中の回数(例: 4)")
    )
    extendable = models.BooleanField(_("延長できる"), default=False)
    over_limit_rate = models.PositiveIntegerField(
        _("基準超過の料金(円/単位)"),
        default=0,
        help_text=_("1回あたりの上限を超えた分に、世帯区分によらずかかる料金"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭支援事業")
        verbose_name_plural = _("家庭支援事業")
        ordering = ["-fiscal_year", "legal_category", "public_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "fiscal_year", "public_name"], name="offering_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return self.public_name

    def fee_for(self, tier: str, age_band: str = AgeBand.ALL) -> int:
        """Yen per unit for a household tier and the child's age band; the age-independent
        rate when the table has no row for the band. Raises ValidationError when the table
        has no rate for the tier."""
        rates = {(r.tier, r.age_band): r.amount for r in self.fees.all()}
        for key in ((tier, age_band), (tier, AgeBand.ALL)):
            if key in rates:
                return rates[key]
        raise ValidationError(f"「{self}」の料金表に「{Tier(tier).label}」の料金がありません。")


class MenuItem(models.Model):
    """What a visit or a day may be used for (家事支援, 育児支援, 登校支援, 除雪補助 …)."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="menu")
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("支援メニュー")
        verbose_name_plural = _("支援メニュー")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class FeeRate(models.Model):
    """One cell of the fee table: yen per unit for a household tier and a child-age band."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="fees")
    tier = models.CharField(_("世帯区分"), max_length=30, choices=Tier.choices)
    age_band = models.CharField(
        _("年齢区分"), max_length=10, choices=AgeBand.choices, default=AgeBand.ALL
    )
    amount = models.PositiveIntegerField(_("利用者負担額(円/単位)"))

    class Meta:
        verbose_name = _("利用者負担額")
        verbose_name_plural = _("利用者負担額")
        constraints = [
            models.UniqueConstraint(fields=["offering", "tier", "age_band"], name="fee_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} {self.get_age_band_display()} {self.amount}円"


class Provider(models.Model):
    """Who delivers services (委託先・登録事業者): an organisation, whose staff sign in to
    the provider portal, or an individual such as a foster carer (養育里親) under contract."""

    class Kind(models.TextChoices):
        CHILDRENS_HOME = "childrens_home", _("児童養護施設")
        INFANT_HOME = "infant_home", _("乳児院")
        FOSTER_CARER = "foster_carer", _("養育里親")
        NPO = "npo", _("NPO法人・社会福祉法人")
        COMPANY = "company", _("民間事業者")
        PROFESSIONAL = "professional", _("専門職(個人)")
        MATERNITY = "maternity", _("病院・診療所・助産所")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    # The organisation whose provider-staff users see this provider's decisions.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("ログインする団体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="providers",
    )
    # Short stay (ショートステイ): what a place can take.
    district = models.ForeignKey(
        Area,
        verbose_name=_("所在の小学校区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    min_age = models.PositiveSmallIntegerField(_("受入年齢(下限)"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("受入年齢(上限)"), null=True, blank=True)
    accepts_sex = models.CharField(
        _("受入の性別"), max_length=10, blank=True, help_text=_("空欄: 問わない")
    )
    medical_care = models.BooleanField(_("医療的ケアに対応"), default=False)
    development_support = models.BooleanField(_("発達特性への対応"), default=False)
    weekends_only = models.BooleanField(_("週末のみ"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("定員"), default=1, help_text=_("他市町村・一時保護と共用の枠を含む")
    )
    current_placements = models.PositiveSmallIntegerField(
        _("現在の受入数"), default=0, help_text=_("委託・一時保護などで今いる子どもの数")
    )
    years_experience = models.PositiveSmallIntegerField(_("経験年数"), default=0)
    phone = models.CharField(_("電話"), max_length=30, blank=True)
    is_active = models.BooleanField(_("受託中"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("サービス提供事業者")
        verbose_name_plural = _("サービス提供事業者")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class ProviderStaff(models.Model):
    """A provider's worker with qualifications and training (研修)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("氏名"), max_length=100)
    qualifications = models.CharField(_("資格"), max_length=200, blank=True)
    trained_on = models.DateField(_("研修修了日"), null=True, blank=True)

    class Meta:
        verbose_name = _("提供事業者の職員")
        verbose_name_plural = _("提供事業者の職員")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """The city's contract with a provider for a service in a fiscal year: the unit price paid
    and the management fee (事務費・管理費, a percentage on top)."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="contracts")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    unit_price = models.PositiveIntegerField(_("委託単価(円/単位)"))
    management_fee_percent = models.DecimalField(
        _("事務費・管理費(%)"), max_digits=4, decimal_places=1, default=Decimal("0")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("委託契約")
        verbose_name_plural = _("委託契約")
        constraints = [
            models.UniqueConstraint(fields=["offering", "provider"], name="contract_once")
        ]

    def __str__(self) -> str:
        return f"{self.offering} / {self.provider}"


class Application(models.Model):
    """A request to use a service (利用申請): by the family, a worker's recommendation
    (利用勧奨), or received by a provider's organiser; then the interview."""

    class Route(models.TextChoices):
        FAMILY = "family", _("家族からの申請")
        RECOMMENDED = "recommended", _("センターからの利用勧奨")
        PROVIDER = "provider", _("事業者が受け付けた申請")

    class Status(models.TextChoices):
        RECEIVED = "received", _("受付")
        DECIDED = "decided", _("決定済み")
        WITHDRAWN = "withdrawn", _("取り下げ・不承認")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="service_applications")
    child = models.ForeignKey(
        Person, verbose_name=_("対象の子ども"), on_delete=models.PROTECT, related_name="+"
    )
    offering = models.ForeignKey(Offering, verbose_name=_("事業"), on_delete=models.PROTECT)
    route = models.CharField(_("経路"), max_length=20, choices=Route.choices)
    received_on = models.DateField(_("受付日"))
    interview_on = models.DateField(_("面談日"), null=True, blank=True)
    note = models.TextField(_("内容"), blank=True)
    status = models.CharField(
        _("状況"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("利用申請")
        verbose_name_plural = _("利用申請")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.received_on:%Y-%m-%d} {self.offering}({self.get_route_display()})"


class Decision(models.Model):
    """The city's decision (利用決定) for one child: service, provider, from–to, limits, the
    household tier and the fee per unit read from the table at the time of deciding; then
    the family's consent, the first meeting, monitoring, and the end."""

    class Status(models.TextChoices):
        DECIDED = "decided", _("利用中")
        ENDED = "ended", _("終了")

    class ConsentHow(models.TextChoices):
        SIGNED = "signed", _("書面に署名")
        ORAL = "oral", _("口頭")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    number = models.CharField(_("決定番号"), max_length=30)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="service_decisions")
    child = models.ForeignKey(
        Person, verbose_name=_("対象の子ども"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("プランの支援内容"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    offering = models.ForeignKey(Offering, verbose_name=_("事業"), on_delete=models.PROTECT)
    provider = models.ForeignKey(
        Provider, verbose_name=_("提供事業者"), on_delete=models.PROTECT, related_name="decisions"
    )
    starts_on = models.DateField(_("開始日"))
    ends_on = models.DateField(_("終了日"))
    per_use_limit = models.DecimalField(
        _("1回あたりの上限"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    uses_limit = models.PositiveSmallIntegerField(_("利用回数の上限"), null=True, blank=True)
    extendable = models.BooleanField(
        _("延長できる"), default=False, help_text=_("上限を超える記録は承認待ちで受け付けます")
    )
    tier = models.CharField(_("世帯区分"), max_length=30, choices=Tier.choices)
    age_band = models.CharField(
        _("年齢区分"), max_length=10, choices=AgeBand.choices, default=AgeBand.ALL
    )
    fee_per_unit = models.PositiveIntegerField(_("利用者負担額(円/単位)"))
    over_limit_rate = models.PositiveIntegerField(_("基準超過の料金(円/単位)"), default=0)
    asks_provider = models.TextField(
        _("事業者にお願いすること"),
        blank=True,
        help_text=_("事業者に見える内容です。プランのうち、この支援で必要な範囲だけ書きます。"),
    )
    decided_on = models.DateField(_("決定日"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consented_on = models.DateField(_("同意日"), null=True, blank=True)
    consent_how = models.CharField(
        _("同意の方法"), max_length=10, choices=ConsentHow.choices, blank=True
    )
    sharing_consented = models.BooleanField(_("関係機関との情報共有への同意"), default=False)
    first_meeting_on = models.DateField(_("初回顔合わせ"), null=True, blank=True)
    monitoring_months = models.PositiveSmallIntegerField(_("モニタリングの間隔(月)"), default=3)
    next_monitoring_on = models.DateField(_("次のモニタリング"), null=True, blank=True)
    status = models.CharField(
        _("状況"), max_length=10, choices=Status.choices, default=Status.DECIDED
    )
    ended_on = models.DateField(_("終了日(実際)"), null=True, blank=True)
    end_reason = models.CharField(_("終了の理由"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("利用決定")
        verbose_name_plural = _("利用決定")
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["provider", "status"], name="decision_provider_status"),
            models.Index(fields=["offering", "starts_on"], name="decision_offering"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="decision_number"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="decision_dates_in_order"
            ),
        ]

    NUMBER_PREFIX = "S"

    def __str__(self) -> str:
        return f"{self.number} {self.offering}"

    def get_absolute_url(self) -> str:
        return reverse("family_support:decision_detail", args=[self.pk])

    @property
    def fee_per_use(self) -> int | None:
        """Yen for one full standard use (e.g. 2 hours at the hourly fee)."""
        if self.per_use_limit is None:
            return None
        return int(self.fee_per_unit * self.per_use_limit)

    def is_open_on(self, day: date) -> bool:
        return self.status == self.Status.DECIDED and self.starts_on <= day <= self.ends_on


class Usage(models.Model):
    """One use recorded by the provider (利用実績): date, time from–to, menu item, attendance,
    nights, persons by role, the amount in the service's unit, and what the staff noticed."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("受付")
        HELD = "held", _("承認待ち(上限超過)")
        APPROVED = "approved", _("承認済み(延長)")

    class Concern(models.TextChoices):
        NONE = "none", _("特になし")
        NOTE = "note", _("気になることあり")
        URGENT = "urgent", _("緊急(すぐに連絡が必要)")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="uses")
    key = models.UUIDField(_("送信キー"), unique=True)
    used_on = models.DateField(_("利用日"))
    starts_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    ends_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    menu_item = models.ForeignKey(
        MenuItem, verbose_name=_("メニュー"), on_delete=models.PROTECT, null=True, blank=True
    )
    attended = models.BooleanField(_("利用あり"), default=True, help_text=_("欠席・不在なら外す"))
    amount = models.DecimalField(
        _("利用量"), max_digits=6, decimal_places=1, help_text=_("事業の単位で(時間・日・泊など)")
    )
    nights = models.PositiveSmallIntegerField(_("泊数"), default=0)
    children = models.PositiveSmallIntegerField(_("子どもの人数"), default=1)
    guardians = models.PositiveSmallIntegerField(_("保護者の人数"), default=0)
    over_limit = models.DecimalField(
        _("基準超過分"), max_digits=6, decimal_places=1, default=Decimal("0")
    )
    fee = models.PositiveIntegerField(_("利用者負担額(円)"), default=0)
    concern = models.CharField(
        _("気づき"), max_length=10, choices=Concern.choices, default=Concern.NONE
    )
    observation = models.TextField(_("気づいたこと"), blank=True)
    status = models.CharField(
        _("状況"), max_length=10, choices=Status.choices, default=Status.ACCEPTED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("記録日時"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("利用実績")
        verbose_name_plural = _("利用実績")
        ordering = ["-used_on", "-pk"]
        indexes = [models.Index(fields=["used_on"], name="usage_used_on")]

    def __str__(self) -> str:
        return f"{self.used_on:%Y-%m-%d} {self.decision.offering}"

    def get_absolute_url(self) -> str:
        return reverse("family_support:usage_detail", args=[self.pk])

    @property
    def counts(self) -> bool:
        """Whether it counts against the limits and in the figures (not one held)."""
        return self.attended and self.status != self.Status.HELD


class UsageMonth(models.Model):
    """What a decision's counted uses (``Usage.counts``: attended, not held) add up to in a
    month, kept as they are recorded and approved (``services._add_to_month``) and rebuilt
    from the uses after a bulk load (``services.rebuild_months``). Derived data, without a
    history of its own: the figures of a year (``figures.year_figures``) read these rows,
    about six a decision, instead of the uses."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="months")
    month = models.DateField(_("月"), help_text=_("その月の1日"))
    uses = models.PositiveIntegerField(_("回"), default=0)
    persons = models.PositiveIntegerField(_("延べ人数"), default=0)
    amount = models.DecimalField(_("利用量"), max_digits=12, decimal_places=1, default=Decimal(0))
    nights = models.PositiveIntegerField(_("泊数"), default=0)
    fee = models.PositiveBigIntegerField(_("利用者負担額(円)"), default=0)
    day_bits = models.BigIntegerField(
        _("利用のあった日"), default=0, help_text=_("d日に利用があればビット d − 1")
    )

    class Meta:
        verbose_name = _("月ごとの利用実績")
        verbose_name_plural = _("月ごとの利用実績")
        ordering = ["decision", "month"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "month"], name="usage_month_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.decision_id}"


class Monitoring(models.Model):
    """A review of a decision at its interval (モニタリング), or an after-care contact."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("継続")
        EXTEND = "extend", _("延長")
        CHANGE = "change", _("変更")
        END = "end", _("終了")
        AFTER_CARE = "after_care", _("終了後の連絡(アフターケア)")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="monitorings")
    held_on = models.DateField(_("実施日"))
    outcome = models.CharField(_("結果"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("内容"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("モニタリング")
        verbose_name_plural = _("モニタリング")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_outcome_display()}"

    def get_absolute_url(self) -> str:
        return self.decision.get_absolute_url()


class StayRequest(models.Model):
    """A short-stay request (子育て短期支援事業) to a place found by matching: the dates and
    the child's needs, the request to the coordinating agency, and its answer."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("回答待ち")
        ACCEPTED = "accepted", _("受入可")
        DECLINED = "declined", _("受入不可")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stay_requests")
    child = models.ForeignKey(
        Person, verbose_name=_("対象の子ども"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("開始日"))
    ends_on = models.DateField(_("終了日"))
    needs_medical_care = models.BooleanField(_("医療的ケアが必要"), default=False)
    needs_development_support = models.BooleanField(_("発達特性への配慮が必要"), default=False)
    district = models.ForeignKey(
        Area,
        verbose_name=_("通学する小学校区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("依頼先"), on_delete=models.PROTECT, related_name="stay_requests"
    )
    agency = models.CharField(
        _("調整機関"), max_length=100, blank=True, help_text=_("例: 里親支援センター")
    )
    requested_on = models.DateField(_("依頼日"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(
        _("回答"), max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    answered_on = models.DateField(_("回答日"), null=True, blank=True)
    note = models.TextField(_("備考"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ショートステイの依頼")
        verbose_name_plural = _("ショートステイの依頼")
        ordering = ["-requested_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m-%d}〜 {self.provider}"

    def get_absolute_url(self) -> str:
        return reverse("family_support:stay_detail", args=[self.pk])
