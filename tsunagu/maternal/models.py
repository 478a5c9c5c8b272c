"""The maternal line (母子保健): a pregnancy from its notification (妊娠届出) to the birth,
the companion support (伴走型相談支援) contacts and cash benefits along it, the newborn visit
(乳児家庭全戸訪問), the infant check-ups (乳幼児健診) with the follow-up of a missed one, and the
follow-ups the nurses owe (要フォロー), which are their due list.

Sources: seed 004 (every pregnant woman interviewed by a public-health nurse at notification,
the ~8-month questionnaire and contact, the birth interview, the newborn visit, the 4-month
check-up, a missed check-up followed up) and the national procedure for children whose living
situation cannot be confirmed (居住実態が把握できない児童)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.cases.models import Case, Intake
from tsunagu.core.models import Municipality, Organisation
from tsunagu.people.models import Person

LATE_NOTIFICATION_WEEKS = 22


class Pregnancy(models.Model):
    """One pregnancy, from its notification (妊娠届出) and the nurse's interview."""

    class Status(models.TextChoices):
        EXPECTING = "expecting", _("妊娠中")
        BORN = "born", _("出産")
        ENDED = "ended", _("妊娠終結(流産・死産等)")
        MOVED_OUT = "moved_out", _("転出")

    class Partner(models.TextChoices):
        MARRIED = "married", _("婚姻している")
        UNMARRIED = "unmarried", _("パートナーあり(未婚)")
        NONE = "none", _("パートナーなし")
        UNKNOWN = "unknown", _("不明")

    class Feelings(models.TextChoices):
        GLAD = "glad", _("うれしい")
        MIXED = "mixed", _("戸惑いもある")
        TROUBLED = "troubled", _("困っている・望まない")
        UNKNOWN = "unknown", _("把握できない")

    class Support(models.TextChoices):
        ENOUGH = "enough", _("支援者がいる")
        SOME = "some", _("少しいる")
        NONE = "none", _("いない")

    class Money(models.TextChoices):
        STABLE = "stable", _("安定している")
        WORRIED = "worried", _("不安がある")
        HARDSHIP = "hardship", _("困窮している")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    mother = models.ForeignKey(
        Person, verbose_name=_("妊婦"), on_delete=models.PROTECT, related_name="pregnancies"
    )
    status = models.CharField(
        _("状況"), max_length=20, choices=Status.choices, default=Status.EXPECTING
    )
    notified_on = models.DateField(_("届出日"))
    weeks_at_notification = models.PositiveSmallIntegerField(_("届出時の妊娠週数"))
    expected_on = models.DateField(_("出産予定日"))
    parity = models.PositiveSmallIntegerField(_("出産経験(回)"), default=0)
    multiple = models.BooleanField(_("多胎"), default=False)
    prenatal_checkups = models.PositiveSmallIntegerField(
        _("これまでの妊婦健診の受診回数"), default=0
    )
    partner = models.CharField(_("パートナー"), max_length=20, choices=Partner.choices)
    partner_supports = models.BooleanField(_("パートナーの協力が得られる"), default=True)
    feelings = models.CharField(_("妊娠への受け止め"), max_length=20, choices=Feelings.choices)
    support_after_birth = models.CharField(
        _("産後の支援者"), max_length=20, choices=Support.choices
    )
    money = models.CharField(_("経済状況"), max_length=20, choices=Money.choices)
    physical_history = models.CharField(_("身体疾患の既往"), max_length=200, blank=True)
    mental_history = models.CharField(_("精神疾患の既往・治療"), max_length=200, blank=True)
    interviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("面談した保健師"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("担当部署"), on_delete=models.PROTECT, related_name="+"
    )
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("地区担当保健師"),
        on_delete=models.PROTECT,
        related_name="pregnancies_followed",
    )
    interview_minutes = models.PositiveSmallIntegerField(_("面談時間(分)"), default=30)
    interview_notes = models.TextField(_("面談の記録"), blank=True)
    checkup_vouchers = models.PositiveSmallIntegerField(_("妊婦健診補助券(枚)"), default=14)
    postnatal_vouchers = models.PositiveSmallIntegerField(_("産婦健診補助券(枚)"), default=2)
    flags = models.CharField(_("気がかりな点"), max_length=200, blank=True)
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    end_reason = models.CharField(_("終了の理由"), max_length=200, blank=True)
    intake = models.ForeignKey(
        Intake,
        verbose_name=_("相談受付"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("ケース"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pregnancies",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("妊娠")
        verbose_name_plural = _("妊娠")
        ordering = ["-notified_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "status", "expected_on"])]

    def __str__(self) -> str:
        return f"{self.mother} 出産予定 {self.expected_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("maternal:pregnancy_detail", args=[self.pk])

    @property
    def flag_codes(self) -> list[str]:
        return [code for code in self.flags.split(",") if code]


class Birth(models.Model):
    """A child born of the pregnancy (one row per child: twins are two)."""

    class Place(models.TextChoices):
        HOSPITAL = "hospital", _("病院")
        CLINIC = "clinic", _("診療所")
        MIDWIFE = "midwife", _("助産所")
        HOME = "home", _("自宅")
        OTHER = "other", _("その他")

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="births")
    child = models.OneToOneField(
        Person, verbose_name=_("子ども"), on_delete=models.PROTECT, related_name="birth"
    )
    born_on = models.DateField(_("出生日"))
    weeks = models.PositiveSmallIntegerField(_("在胎週数"))
    weight_g = models.PositiveSmallIntegerField(_("出生体重(g)"))
    place = models.CharField(_("出生場所"), max_length=20, choices=Place.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("出生")
        verbose_name_plural = _("出生")
        ordering = ["born_on", "pk"]

    def __str__(self) -> str:
        return f"{self.child} {self.born_on:%Y-%m-%d}"

    @property
    def low_weight(self) -> bool:
        return self.weight_g < 2500

    @property
    def preterm(self) -> bool:
        return self.weeks < 37


class Contact(models.Model):
    """One contact of companion support (伴走型相談支援): the notification interview, the
    ~8-month questionnaire and contact, the birth interview, and any other."""

    class Kind(models.TextChoices):
        NOTIFICATION = "notification", _("妊娠届出時面談")
        EIGHT_MONTHS = "eight_months", _("妊娠8か月頃アンケート・面談")
        BIRTH = "birth", _("出産後面談")
        OTHER = "other", _("その他の相談")

    class Method(models.TextChoices):
        INTERVIEW = "interview", _("面談")
        PHONE = "phone", _("電話")
        VISIT = "visit", _("訪問")
        ONLINE = "online", _("オンライン")
        QUESTIONNAIRE = "questionnaire", _("アンケートのみ")

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField(_("区分"), max_length=20, choices=Kind.choices)
    method = models.CharField(_("方法"), max_length=20, choices=Method.choices)
    on = models.DateField(_("実施日"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("担当"), on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("内容"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("伴走型相談支援")
        verbose_name_plural = _("伴走型相談支援")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


class Benefit(models.Model):
    """A cash benefit of 妊婦のための支援給付 (formerly 出産・子育て応援交付金): 50,000 yen at the
    pregnancy, 50,000 yen per child after the birth."""

    class Kind(models.TextChoices):
        PREGNANCY = "pregnancy", _("妊娠時(1回目)")
        CHILD = "child", _("出産後(2回目)")

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="benefits")
    kind = models.CharField(_("区分"), max_length=20, choices=Kind.choices)
    amount_yen = models.PositiveIntegerField(_("金額(円)"))
    paid_on = models.DateField(_("支給日"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("妊婦のための支援給付")
        verbose_name_plural = _("妊婦のための支援給付")
        ordering = ["paid_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_yen:,}円"


class NewbornVisit(models.Model):
    """The visit to a family with a newborn (乳児家庭全戸訪問), due by the age of 4 months, with
    the questionnaires answered (EPDS, bonding) as versioned item sets (``questionnaires``)."""

    class Status(models.TextChoices):
        DUE = "due", _("未訪問")
        VISITED = "visited", _("訪問済")
        REFUSED = "refused", _("訪問拒否")
        NOT_POSSIBLE = "not_possible", _("訪問できず(不在・連絡不通等)")

    birth = models.OneToOneField(Birth, on_delete=models.PROTECT, related_name="visit")
    status = models.CharField(_("状況"), max_length=20, choices=Status.choices, default=Status.DUE)
    due_on = models.DateField(_("訪問期限"))
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当"),
        on_delete=models.PROTECT,
        related_name="newborn_visits",
    )
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("訪問日"), null=True, blank=True)
    reason = models.CharField(_("訪問できなかった理由"), max_length=200, blank=True)
    weight_g = models.PositiveSmallIntegerField(_("体重(g)"), null=True, blank=True)
    notes = models.TextField(_("記録"), blank=True)
    answers = models.JSONField(_("質問票の回答"), default=dict, blank=True)
    epds_score = models.PositiveSmallIntegerField(_("EPDS 合計点"), null=True, blank=True)
    bonding_score = models.PositiveSmallIntegerField(
        _("赤ちゃんへの気持ち質問票 合計点"), null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("乳児家庭全戸訪問")
        verbose_name_plural = _("乳児家庭全戸訪問")
        ordering = ["due_on", "pk"]
        indexes = [
            # The nurse's visit list: the open visits of a nurse or a unit, soonest first.
            models.Index(
                fields=["nurse", "due_on"], condition=Q(status="due"), name="visit_open_nurse"
            ),
            models.Index(
                fields=["unit", "due_on"], condition=Q(status="due"), name="visit_open_unit"
            ),
            # The whole city's list (the supervisor's): walked in due order, stopping at a page.
            models.Index(fields=["due_on", "id"], condition=Q(status="due"), name="visit_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.birth.child} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("maternal:visit_detail", args=[self.pk])


class CheckupKind(models.Model):
    """A check-up of the city's schedule (乳幼児健診): 4 months, 1 year 6 months, 3 years and
    others, as data. A child is invited at ``invite_months`` and counted as missing it when
    ``due_months`` has passed unseen."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    code = models.CharField(_("コード"), max_length=20)
    name = models.CharField(_("名称"), max_length=50)
    invite_months = models.PositiveSmallIntegerField(_("案内する月齢"))
    due_months = models.PositiveSmallIntegerField(_("受診期限の月齢"))
    statutory = models.BooleanField(_("法定健診"), default=False)
    active = models.BooleanField(_("実施中"), default=True)

    class Meta:
        verbose_name = _("乳幼児健診の種類")
        verbose_name_plural = _("乳幼児健診の種類")
        ordering = ["invite_months"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="checkup_kind_once")
        ]

    def __str__(self) -> str:
        return self.name


class Checkup(models.Model):
    """A child's invitation to one check-up and what came of it."""

    class Status(models.TextChoices):
        INVITED = "invited", _("案内済")
        ATTENDED = "attended", _("受診")
        MISSED = "missed", _("未受診")
        ELSEWHERE = "elsewhere", _("他で受診・転出等")

    class Finding(models.TextChoices):
        NONE = "none", _("所見なし")
        WATCH = "watch", _("経過観察")
        REFER = "refer", _("要精密・紹介")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    child = models.ForeignKey(
        Person, verbose_name=_("子ども"), on_delete=models.PROTECT, related_name="checkups"
    )
    kind = models.ForeignKey(CheckupKind, verbose_name=_("健診"), on_delete=models.PROTECT)
    status = models.CharField(
        _("状況"), max_length=20, choices=Status.choices, default=Status.INVITED
    )
    invited_on = models.DateField(_("案内日"))
    due_on = models.DateField(_("受診期限"))
    attended_on = models.DateField(_("受診日"), null=True, blank=True)
    height_cm = models.DecimalField(
        _("身長(cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    weight_g = models.PositiveIntegerField(_("体重(g)"), null=True, blank=True)
    growth = models.CharField(_("発育"), max_length=20, choices=Finding.choices, blank=True)
    development = models.CharField(_("発達"), max_length=20, choices=Finding.choices, blank=True)
    follow_up_needed = models.BooleanField(_("要フォロー"), default=False)
    notes = models.TextField(_("所見・記録"), blank=True)
    resolved = models.BooleanField(_("未受診フォロー完了"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("乳幼児健診")
        verbose_name_plural = _("乳幼児健診")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["child", "kind"], name="checkup_once_per_kind")
        ]
        indexes = [
            # The missed-check-up list: the open misses of a city, oldest first.
            models.Index(
                fields=["municipality", "due_on"],
                condition=Q(status="missed", resolved=False),
                name="checkup_open_misses",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.kind}"

    def get_absolute_url(self) -> str:
        return reverse("maternal:checkup_detail", args=[self.pk])


class FollowStep(models.Model):
    """One step of following up a missed check-up (未受診者フォロー): a letter, a call, a home
    visit, or asking the nursery, school or another agency whether they see the child."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("受診勧奨の通知")
        CALL = "call", _("電話")
        VISIT = "visit", _("家庭訪問")
        AGENCY = "agency", _("保育所・学校・関係機関への確認")

    class Result(models.TextChoices):
        SEEN = "seen", _("子どもの状況を確認できた")
        NOT_REACHED = "not_reached", _("確認できなかった")

    checkup = models.ForeignKey(Checkup, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("方法"), max_length=20, choices=Kind.choices)
    result = models.CharField(_("結果"), max_length=20, choices=Result.choices)
    on = models.DateField(_("実施日"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = models.CharField(_("記録"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("未受診者フォロー")
        verbose_name_plural = _("未受診者フォロー")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


class UnseenChild(models.Model):
    """A child raised to child welfare as one whose living situation cannot be confirmed
    (居住実態が把握できない児童): once per child, with the intake it became."""

    child = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="unseen_report")
    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(_("連絡日"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("居住実態が把握できない児童")
        verbose_name_plural = _("居住実態が把握できない児童")

    def __str__(self) -> str:
        return f"{self.child} {self.raised_on:%Y-%m-%d}"


class FollowUp(models.Model):
    """Something a nurse owes a mother or child (要フォロー): on her due list until done."""

    class Kind(models.TextChoices):
        EIGHT_MONTHS = "eight_months", _("妊娠8か月頃の連絡")
        VISIT_NOT_DONE = "visit_not_done", _("全戸訪問ができていない")
        EPDS = "epds", _("産後うつの疑い(EPDS)")
        BONDING = "bonding", _("赤ちゃんへの気持ち")
        CHECKUP_FINDING = "checkup_finding", _("健診の要フォロー")
        MISSED_CHECKUP = "missed_checkup", _("健診未受診")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="maternal_follow_ups")
    kind = models.CharField(_("区分"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("理由"), max_length=300)
    due_on = models.DateField(_("期限"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("担当"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Never set: the due list reads "case" of every source, and a follow-up is not on a case.
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    link = models.CharField(max_length=200, blank=True)
    done_on = models.DateField(_("対応日"), null=True, blank=True)
    done_note = models.CharField(_("対応の記録"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("要フォロー")
        verbose_name_plural = _("要フォロー")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["owner", "due_on"], condition=Q(done_on=None), name="follow_up_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person}"


class PostnatalCare(models.Model):
    """Postnatal care (産後ケア事業, 母子保健法 第17条の2) for a mother within a year of the
    birth: the application, the decision with the days allowed, the provider (from the city's
    list of providers, shared with family support services) and the fee per day."""

    class Kind(models.TextChoices):
        STAY = "stay", _("宿泊型")
        DAY = "day", _("通所型(デイサービス型)")
        OUTREACH = "outreach", _("居宅訪問型(アウトリーチ型)")

    class Status(models.TextChoices):
        APPLIED = "applied", _("申請中")
        APPROVED = "approved", _("利用承認")
        REFUSED = "refused", _("不承認")
        ENDED = "ended", _("終了")

    birth = models.ForeignKey(Birth, on_delete=models.PROTECT, related_name="postnatal_cares")
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("状況"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    applied_on = models.DateField(_("申請日"))
    reason = models.CharField(_("利用したい理由"), max_length=300, blank=True)
    provider = models.ForeignKey(
        "family_support.Provider",
        verbose_name=_("実施機関"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    days_allowed = models.PositiveSmallIntegerField(_("利用できる日数"), null=True, blank=True)
    fee_per_day = models.PositiveIntegerField(
        _("1日あたりの利用者負担額(円)"), null=True, blank=True
    )
    decided_on = models.DateField(_("決定日"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("決定の理由・備考"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("産後ケア")
        verbose_name_plural = _("産後ケア")
        ordering = ["-applied_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.birth.pregnancy.mother}"

    def get_absolute_url(self) -> str:
        return reverse("maternal:postnatal_detail", args=[self.pk])


class PostnatalCareUse(models.Model):
    """One day (or night) of postnatal care used, recorded by the center."""

    care = models.ForeignKey(PostnatalCare, on_delete=models.PROTECT, related_name="uses")
    used_on = models.DateField(_("利用日"))
    note = models.CharField(_("様子・記録"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("産後ケアの利用")
        verbose_name_plural = _("産後ケアの利用")
        ordering = ["used_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["care", "used_on"], name="postnatal_use_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.care} {self.used_on:%Y-%m-%d}"
