"""Watching over (支援対象児童等見守り強化事業): households of cases assigned to partner
organisations, the partners' visit reports, and the alerts the center must handle."""

import uuid
from datetime import date, datetime, time

from dateutil.rrule import WEEKLY, rrule
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.accounts.models import ROLE_ORGANISATION_KINDS
from tsunagu.cases.models import Case
from tsunagu.core.models import Organisation
from tsunagu.core.roles import Role

# The organisations that may watch a household: those whose users are partners.
PARTNER_KINDS = ROLE_ORGANISATION_KINDS[Role.PARTNER]


class WatchAssignment(models.Model):
    """A household of a case watched by a partner organisation (見守りの依頼).

    The partner sees only what the delivery needs: ``recipient_name``, ``delivery_address``,
    ``contact_phone``, ``look_for`` and the visit dates — never the case."""

    class Method(models.TextChoices):
        MEAL_DELIVERY = "meal_delivery", _("宅食(食事の配達)")
        PANTRY = "pantry", _("フードパントリー(受け取り)")
        CAFETERIA = "cafeteria", _("こども食堂への来所")
        STUDY = "study", _("学習支援")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="watch_assignments")
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("協力団体"),
        on_delete=models.PROTECT,
        related_name="watch_assignments",
    )
    recipient_name = models.CharField(
        _("お届け先のお名前"), max_length=100, help_text=_("例: 桑名様(配達に必要な呼び方だけ)")
    )
    delivery_address = models.CharField(_("お届け先の住所"), max_length=200)
    contact_phone = models.CharField(_("連絡先"), max_length=30, blank=True)
    method = models.CharField(_("方法"), max_length=20, choices=Method.choices)
    look_for = models.TextField(
        _("見てほしいこと"),
        blank=True,
        help_text=_("協力団体に伝えてよい範囲で書きます(例: 下の子の服装、食事がとれているか)。"),
    )
    every_weeks = models.PositiveSmallIntegerField(
        _("頻度(何週ごと)"), default=2, help_text=_("1: 毎週、2: 2週ごと、4: 4週ごと")
    )
    starts_on = models.DateField(
        _("開始日"), help_text=_("最初の訪問日。以後、同じ曜日に訪問します。")
    )
    ends_on = models.DateField(_("終了日"), null=True, blank=True)
    ended_reason = models.CharField(_("終了の理由"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("見守りの依頼")
        verbose_name_plural = _("見守りの依頼")
        ordering = ["-starts_on", "pk"]
        indexes = [models.Index(fields=["partner", "ends_on"], name="watch_partner_open")]

    def __str__(self) -> str:
        return f"{self.recipient_name}({self.partner})"

    def clean(self) -> None:
        if self.every_weeks not in (1, 2, 3, 4):
            raise ValidationError({"every_weeks": "頻度は1〜4週ごとで指定してください。"})
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "終了日は開始日より後にしてください。"})

    def visit_dates(self, start: date, end: date) -> list[date]:
        """The planned visits from ``start`` to ``end`` (both included): every ``every_weeks``
        weeks on the weekday of ``starts_on``, until ``ends_on``."""
        until = min(end, self.ends_on) if self.ends_on else end
        if until < start:
            return []
        dates = rrule(WEEKLY, interval=self.every_weeks, dtstart=self.starts_on, until=until)
        first, last = datetime.combine(start, time.min), datetime.combine(until, time.min)
        return [moment.date() for moment in dates.between(first, last, inc=True)]

    def is_open_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class WatchReport(models.Model):
    """One visit reported by a partner (見守り報告). ``key`` is the phone's idempotency key:
    a report sent twice (offline, then again) is kept once."""

    class Concern(models.TextChoices):
        NONE = "none", _("なし")
        SOME = "some", _("少し気になる")
        URGENT = "urgent", _("緊急")

    class NotVisited(models.TextChoices):
        ABSENT = "absent", _("不在")
        DECLINED = "declined", _("断られた")
        RESCHEDULED = "rescheduled", _("日程を変更した")
        OTHER = "other", _("その他")

    CHECKS = (
        "injuries",
        "hygiene",
        "hunger",
        "utilities_cut",
        "trouble_at_home",
        "worrying_words",
    )

    key = models.UUIDField(_("送信キー"), unique=True, default=uuid.uuid4, editable=False)
    assignment = models.ForeignKey(
        WatchAssignment, on_delete=models.PROTECT, related_name="reports"
    )
    visit_on = models.DateField(_("訪問日"))
    visited = models.BooleanField(_("訪問できた"))
    not_visited_reason = models.CharField(
        _("訪問できなかった理由"), max_length=20, choices=NotVisited.choices, blank=True
    )
    child_seen = models.BooleanField(_("子どもの姿を確認"), default=False)
    injuries = models.BooleanField(_("けが・あざ"), default=False)
    hygiene = models.BooleanField(_("衛生・服装が気になる"), default=False)
    hunger = models.BooleanField(_("空腹・食事がとれていない"), default=False)
    utilities_cut = models.BooleanField(_("電気・ガス・水道が止まっている"), default=False)
    trouble_at_home = models.BooleanField(_("家庭内のトラブル"), default=False)
    worrying_words = models.BooleanField(_("子どもが気になることを話した"), default=False)
    concern = models.CharField(_("心配の程度"), max_length=10, choices=Concern.choices)
    note = models.TextField(_("気づいたこと"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("記入日時"), help_text=_("端末で書いた時刻"))
    received_at = models.DateTimeField(_("受信日時"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("見守り報告")
        verbose_name_plural = _("見守り報告")
        ordering = ["-visit_on", "-received_at"]
        indexes = [models.Index(fields=["assignment", "visit_on"], name="watch_report_visit")]

    def __str__(self) -> str:
        return f"{self.visit_on:%Y-%m-%d} {self.assignment.recipient_name}"

    def clean(self) -> None:
        if not self.visited and not self.not_visited_reason:
            raise ValidationError({"not_visited_reason": "訪問できなかった理由を選んでください。"})
        if not self.visited and self.child_seen:
            raise ValidationError({"child_seen": "訪問できなかった日に子どもの確認はできません。"})

    @property
    def checks(self) -> list[str]:
        """The condition checks marked, by their Japanese names."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.CHECKS
            if getattr(self, name)
        ]

    def summary(self) -> str:
        """One paragraph for the case timeline."""
        if self.visited:
            seen = "子どもの姿を確認" if self.child_seen else "子どもの姿は確認できず"
            lines = [f"訪問: できた({seen})"]
        else:
            lines = [f"訪問: できなかった({self.get_not_visited_reason_display()})"]
        lines.append("気になる点: " + ("、".join(self.checks) or "なし"))
        lines.append(f"心配の程度: {self.get_concern_display()}")
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)


class Alert(models.Model):
    """What a report raised, for the case's key person and their unit (アラート): acknowledged,
    then handled with a note; an urgent one left unacknowledged escalates to the supervisor."""

    class Reason(models.TextChoices):
        URGENT_REPORT = "urgent_report", _("緊急の報告")
        NOT_SEEN_TWICE = "not_seen_twice", _("2回続けて子どもの姿を確認できず")
        MISSED_VISIT = "missed_visit", _("訪問できなかった")
        UNREPORTED = "unreported", _("予定の訪問の報告がない")
        SERVICE_OBSERVATION = "service_observation", _("サービス提供事業者からの緊急の報告")

    URGENT_REASONS = (Reason.URGENT_REPORT, Reason.SERVICE_OBSERVATION)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="watch_alerts")
    report = models.ForeignKey(
        WatchReport, on_delete=models.PROTECT, related_name="alerts", null=True, blank=True
    )
    # Without a report (a planned visit nobody reported): the household and the visit's date.
    assignment = models.ForeignKey(
        WatchAssignment, on_delete=models.PROTECT, related_name="alerts", null=True, blank=True
    )
    visit_on = models.DateField(_("予定の訪問日"), null=True, blank=True)
    # Raised by a higher app (a provider's observation in family_support): who said it, what,
    # and the page that holds it.
    source = models.CharField(_("報告元"), max_length=150, blank=True)
    summary = models.TextField(_("報告の内容"), blank=True)
    link = models.CharField(max_length=200, blank=True)
    reason = models.CharField(_("理由"), max_length=30, choices=Reason.choices)
    raised_at = models.DateTimeField(_("発生日時"))
    key_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("キーパーソン"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("担当部署"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledge_by = models.DateTimeField(_("確認の期限"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("対応完了日時"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handling_note = models.TextField(_("対応の内容"), blank=True)
    escalated_at = models.DateTimeField(_("統括支援員への連絡日時"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("アラート")
        verbose_name_plural = _("アラート")
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "reason"], name="alert_once_per_report_reason"
            ),
            models.UniqueConstraint(
                fields=["assignment", "visit_on", "reason"], name="alert_once_per_visit_reason"
            ),
        ]
        indexes = [models.Index(fields=["handled_at", "raised_at"], name="alert_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.case.number}"

    @property
    def is_urgent(self) -> bool:
        return self.reason in self.URGENT_REASONS

    @property
    def status(self) -> str:
        if self.handled_at:
            return "対応済み"
        if self.acknowledged_at:
            return "確認済み"
        return "未確認"


class Referral(models.Model):
    """A family a partner met and, with the guardian's consent, connects to the center (つなぐ).
    Received, it becomes an intake; the partner then sees only that it was received and
    whether the family was reached (つながった) — never the intake or the case."""

    class Status(models.TextChoices):
        SENT = "sent", _("センターに送信済み")
        RECEIVED = "received", _("センターが受け付けました")
        REACHED = "reached", _("つながりました")
        NOT_REACHED = "not_reached", _("つながりませんでした")

    class Window(models.TextChoices):
        MATERNAL = "maternal", _("妊娠・乳幼児の子育て(母子保健)")
        WELFARE = "welfare", _("子育て・家庭の困りごと(児童福祉)")
        UNSURE = "unsure", _("わからない(センターで振り分け)")

    class Consent(models.TextChoices):
        SPOKEN = "spoken", _("口頭で同意")
        WRITTEN = "written", _("書面で同意")

    class Contact(models.TextChoices):
        CENTER_CALLS = "center_calls", _("センターから保護者に連絡する")
        FAMILY_CALLS = "family_calls", _("保護者が自分でセンターに連絡する")
        ACCOMPANY = "accompany", _("支援者が窓口に同行する")

    OPEN = (Status.SENT, Status.RECEIVED)

    partner = models.ForeignKey(
        Organisation, verbose_name=_("協力団体"), on_delete=models.PROTECT, related_name="+"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("つなぐ先の窓口"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    window = models.CharField(_("相談の内容に近いもの"), max_length=20, choices=Window.choices)
    guardian_name = models.CharField(_("保護者のお名前"), max_length=100)
    children = models.CharField(
        _("子どもの年齢など"),
        max_length=200,
        blank=True,
        help_text=_("例: 小3の男の子、3歳の女の子"),
    )
    contact_phone = models.CharField(_("連絡先(電話)"), max_length=30, blank=True)
    contact_when = models.CharField(_("連絡してよい時間帯"), max_length=100, blank=True)
    what_was_said = models.TextField(_("保護者や子どもから聞いたこと"))
    consent = models.CharField(_("保護者の同意"), max_length=20, choices=Consent.choices)
    consent_on = models.DateField(_("同意を得た日"))
    contact_by = models.CharField(_("つなぎ方"), max_length=20, choices=Contact.choices)
    status = models.CharField(_("状況"), max_length=20, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField(_("送信日時"))
    reach_by = models.DateField(_("つながる目安の日"))
    intake = models.OneToOneField(
        "cases.Intake",
        verbose_name=_("相談受付"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral",
    )
    received_at = models.DateTimeField(_("受付日時"), null=True, blank=True)
    reached_on = models.DateField(_("つながった日"), null=True, blank=True)
    outcome_note = models.TextField(_("結果のメモ(センター内)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("つなぐ(協力団体からの紹介)")
        verbose_name_plural = _("つなぐ(協力団体からの紹介)")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["status", "reach_by"], name="referral_open")]

    def __str__(self) -> str:
        return f"{self.guardian_name}({self.partner}、{self.sent_at:%Y-%m-%d})"


class Network(models.Model):
    """The partners' network (e.g. こども食堂ネットワーク): members share donated food."""

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("ネットワーク")
        verbose_name_plural = _("ネットワーク")

    def __str__(self) -> str:
        return self.name


class NetworkMember(models.Model):
    """An organisation in the network, with the public profile the other members see."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("団体"), on_delete=models.PROTECT, related_name="+"
    )
    profile = models.TextField(_("団体の紹介"), blank=True)
    contact = models.CharField(_("ネットワーク内の連絡先"), max_length=100, blank=True)
    joined_on = models.DateField(_("参加日"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ネットワークの参加団体")
        verbose_name_plural = _("ネットワークの参加団体")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"], name="member_once")
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Donation(models.Model):
    """Food or goods offered to the network (寄付物品), claimed in shares by members."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="donations")
    offered_by = models.ForeignKey(
        Organisation, verbose_name=_("提供する団体"), on_delete=models.PROTECT, related_name="+"
    )
    donor = models.CharField(
        _("寄付者"), max_length=100, blank=True, help_text=_("例: 市内の米農家、〇〇スーパー")
    )
    item = models.CharField(_("品物"), max_length=100)
    quantity = models.PositiveIntegerField(_("数量"))
    unit = models.CharField(_("単位"), max_length=10, help_text=_("例: kg、個、箱"))
    expires_on = models.DateField(_("消費・賞味期限"), null=True, blank=True)
    pick_up = models.CharField(_("受け取り方法・場所"), max_length=200, blank=True)
    claim_until = models.DateField(_("希望の締切"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(_("掲載日時"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("寄付物品")
        verbose_name_plural = _("寄付物品")
        ordering = ["-posted_at"]

    def __str__(self) -> str:
        return f"{self.item} {self.quantity}{self.unit}"


class DonationClaim(models.Model):
    """A share of a donation allocated to a member (配分)."""

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="claims")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("受け取る団体"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("数量"))
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(_("希望日時"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("寄付物品の配分")
        verbose_name_plural = _("寄付物品の配分")
        ordering = ["claimed_at"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.quantity}{self.donation.unit}"


class Need(models.Model):
    """What a member needs (ほしいもの), posted to the network."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="needs")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("団体"), on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField(_("ほしいもの"), max_length=200)
    until = models.DateField(_("いつまでに"), null=True, blank=True)
    met = models.BooleanField(_("そろった"), default=False)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(_("掲載日時"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ほしいもの")
        verbose_name_plural = _("ほしいもの")
        ordering = ["met", "-posted_at"]

    def __str__(self) -> str:
        return self.what
