"""Writing watching over: one function per domain action. Each asks the policy first and
saves through the model, so the history names the actor."""

import uuid
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.cases.models import Assignment, Case, CaseUnit, ConsultationCategory, Intake
from tsunagu.cases.services import receive_intake
from tsunagu.core.history import as_actor
from tsunagu.core.models import Organisation
from tsunagu.core.office_hours import add_office_minutes

from .models import (
    PARTNER_KINDS,
    Alert,
    Donation,
    DonationClaim,
    Need,
    NetworkMember,
    Referral,
    WatchAssignment,
    WatchReport,
)


def assign_watch(case: Case, assignment: WatchAssignment, *, actor: User) -> WatchAssignment:
    """Ask a partner organisation to watch a household of ``case`` (``assignment`` unsaved,
    its fields filled from the form).

    Raises PermissionDenied when the actor does not work on the case; ValidationError (in
    Japanese) when the partner is not a partner organisation of the case's municipality or
    the dates are wrong."""
    from .tasks import schedule_daily_check  # tasks import this module

    policy.require(actor, "watch.assign", case)
    partner = assignment.partner
    if partner.municipality_id != case.municipality_id or partner.kind not in PARTNER_KINDS:
        raise ValidationError("この市区町村の協力団体を選んでください。")
    if not partner.is_active:
        raise ValidationError("この協力団体は現在有効ではありません。")
    assignment.case = case
    assignment.created_by = actor
    assignment.full_clean()
    as_actor(actor, assignment).save()
    schedule_daily_check()  # the check of unreported visits starts with the first assignment
    return assignment


def end_watch(
    assignment: WatchAssignment, reason: str, *, actor: User, on: date
) -> WatchAssignment:
    """End the watching on ``on`` (the last day a visit may be reported).

    Raises PermissionDenied; ValidationError when ``on`` is before the start."""
    policy.require(actor, "watch.end", assignment)
    if on < assignment.starts_on:
        raise ValidationError("終了日は開始日より後にしてください。")
    assignment.ends_on = on
    assignment.ended_reason = reason
    as_actor(actor, assignment).save(update_fields=["ends_on", "ended_reason"])
    return assignment


def file_report(
    assignment: WatchAssignment, report: WatchReport, key: uuid.UUID, *, actor: User
) -> tuple[WatchReport, bool]:
    """Keep a visit report sent from a partner's phone, once: a second sending with the same
    idempotency ``key`` (the phone was offline, or the answer was lost) returns the first.
    Raises the alerts the report calls for. Returns (report, whether it is new).

    Raises PermissionDenied when the actor's organisation does not watch this household (or
    the watching has ended); ValidationError (in Japanese) when the report is incomplete or
    its key was used for another household."""
    policy.require_visible(actor, assignment)
    kept = _kept(key, assignment)
    if kept is not None:  # kept already, even if the watching has ended since
        return kept, False
    policy.require(actor, "watch.report", assignment)
    report.key = key
    report.assignment = assignment
    report.reported_by = actor
    report.received_at = timezone.now()
    report.written_at = min(report.written_at or report.received_at, report.received_at)
    if report.visit_on > timezone.localdate():
        raise ValidationError({"visit_on": "訪問日に未来の日付は入れられません。"})
    if not assignment.is_open_on(report.visit_on):
        raise ValidationError({"visit_on": "この日は見守りの期間外です。"})
    report.full_clean()
    try:
        with transaction.atomic():
            as_actor(actor, report).save()
            _raise_alerts(report)
    except IntegrityError:
        # The same report arrived twice at once: the other request kept it.
        kept = _kept(key, assignment)
        if kept is None:
            raise
        return kept, False
    return report, True


def _kept(key: uuid.UUID, assignment: WatchAssignment) -> WatchReport | None:
    kept = WatchReport.objects.filter(key=key).first()
    if kept is not None and kept.assignment_id != assignment.pk:
        raise ValidationError("この送信キーは別の訪問先の報告に使われています。")
    return kept


def _reasons(report: WatchReport) -> list[str]:
    reasons = []
    if report.concern == WatchReport.Concern.URGENT:
        reasons.append(Alert.Reason.URGENT_REPORT)
    if not report.visited:
        reasons.append(Alert.Reason.MISSED_VISIT)
    if not report.child_seen:
        previous = (
            WatchReport.objects.filter(
                assignment=report.assignment_id, visit_on__lt=report.visit_on
            )
            .order_by("-visit_on", "-received_at")
            .values_list("child_seen", flat=True)
            .first()
        )
        if previous is False:
            reasons.append(Alert.Reason.NOT_SEEN_TWICE)
    return reasons


def _raise_alerts(report: WatchReport) -> list[Alert]:
    return [
        _raise(
            report.assignment, reason, report.received_at, actor=report.reported_by, report=report
        )
        for reason in _reasons(report)
    ]


def _raise(
    assignment: WatchAssignment,
    reason: str,
    at: datetime,
    *,
    actor: User | None,
    report: WatchReport | None = None,
    visit_on: date | None = None,
) -> Alert:
    return raise_alert(
        assignment.case,
        reason,
        at,
        actor=actor,
        assignment=assignment,
        report=report,
        visit_on=visit_on,
    )


def raise_alert(
    case: Case, reason: str, at: datetime, *, actor: User | None, **about: object
) -> Alert:
    """An alert on ``case`` to its key person and their unit; its mail, and for an urgent one
    the check at its deadline, queued in the same transaction (nothing is mailed for a report
    that was not kept). ``about``: the alert's other fields — ``assignment``, ``report``,
    ``visit_on``, or for another app's report ``source``, ``summary`` and ``link``."""
    from .tasks import escalate_alert_task, notify_alert_task

    key = (
        Assignment.objects.filter(case=case, is_key_person=True, until=None)
        .select_related("worker")
        .first()
    )
    key_person = key.worker if key else None
    alert = Alert(
        case=case,
        **about,
        reason=reason,
        raised_at=at,
        key_person=key_person,
        unit=_unit_of(case, key_person),
    )
    if alert.is_urgent:
        alert.acknowledge_by = add_office_minutes(at, case.municipality.alert_ack_minutes)
    as_actor(actor, alert).save()
    notify_alert_task.enqueue(alert.pk)
    if alert.acknowledge_by:
        escalate_alert_task.using(run_after=alert.acknowledge_by).enqueue(alert.pk)
    return alert


def _unit_of(case: Case, key_person: User | None) -> Organisation | None:
    """The inbox an alert goes to: the key person's unit, else the case's child-welfare unit,
    else any unit on it."""
    units = CaseUnit.objects.filter(case=case, until=None).select_related("unit")
    if key_person and units.filter(unit=key_person.organisation_id).exists():
        return key_person.organisation
    links = sorted(units, key=lambda link: link.unit.kind != Organisation.Kind.UNIT_CHILD_WELFARE)
    return links[0].unit if links else None


def raise_unreported_visits(today: date | None = None) -> int:
    """The daily check: a planned visit of an open assignment with no report by the day after
    (a report up to three days either side counts) raises one alert (予定の訪問の報告がない),
    looking back two weeks. Run by the job queue: the history names no actor. Returns how many
    alerts it raised."""
    from .selectors import LOOK_BACK_DAYS, unreported

    today = today or timezone.localdate()
    since, until = today - timedelta(days=LOOK_BACK_DAYS), today - timedelta(days=2)
    assignments = (
        WatchAssignment.objects.filter(starts_on__lte=until)
        .exclude(ends_on__lt=since)
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case__municipality")
    )
    raised = 0
    for assignment in assignments:
        reported = set(
            assignment.reports.filter(visit_on__gte=since - timedelta(days=3)).values_list(
                "visit_on", flat=True
            )
        )
        alerted = set(
            assignment.alerts.filter(reason=Alert.Reason.UNREPORTED).values_list(
                "visit_on", flat=True
            )
        )
        for day in unreported(assignment.visit_dates(since, until), reported):
            if day not in alerted:
                with transaction.atomic():
                    _raise(
                        assignment,
                        Alert.Reason.UNREPORTED,
                        timezone.now(),
                        actor=None,
                        visit_on=day,
                    )
                raised += 1
    return raised


def acknowledge_alert(alert: Alert, *, actor: User) -> Alert:
    """ "I have seen it" (確認): stops the escalation clock. Raises PermissionDenied."""
    policy.require(actor, "watch.alert_handle", alert)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor
        as_actor(actor, alert).save(update_fields=["acknowledged_at", "acknowledged_by"])
    return alert


def handle_alert(alert: Alert, note: str, *, actor: User) -> Alert:
    """Close the alert with what was done (対応済み), acknowledging it if nobody had.

    Raises PermissionDenied; ValidationError when the note is empty or it was handled."""
    policy.require(actor, "watch.alert_handle", alert)
    if alert.handled_at:
        raise ValidationError("このアラートは対応済みです。")
    if not note.strip():
        raise ValidationError({"handling_note": "対応の内容を書いてください。"})
    now = timezone.now()
    alert.acknowledged_at = alert.acknowledged_at or now
    alert.acknowledged_by = alert.acknowledged_by or actor
    alert.handled_at, alert.handled_by, alert.handling_note = now, actor, note.strip()
    as_actor(actor, alert).save()
    return alert


def escalate_if_unacknowledged(alert_id: int, *, now: datetime | None = None) -> bool:
    """The scheduled check of an urgent alert: still unacknowledged at its deadline, it goes
    to the municipality's supervisors (in the app and by mail). Returns whether it escalated.
    Run by the job queue, not by a person: the history names no actor."""
    from .tasks import notify_escalation_task

    now = now or timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().select_related("case").get(pk=alert_id)
        if alert.acknowledged_at or alert.escalated_at or alert.acknowledge_by is None:
            return False
        if now < alert.acknowledge_by:
            return False
        alert.escalated_at = now
        as_actor(None, alert).save(update_fields=["escalated_at"])
        notify_escalation_task.enqueue(alert.pk)
    return True


# --- Referrals (つなぐ) -------------------------------------------------------------------------

WINDOW_UNITS = {
    Referral.Window.MATERNAL: Organisation.Kind.UNIT_MATERNAL_HEALTH,
    Referral.Window.WELFARE: Organisation.Kind.UNIT_CHILD_WELFARE,
    Referral.Window.UNSURE: Organisation.Kind.UNIT_CHILD_WELFARE,
}
PARTNER_SOURCES = {
    Organisation.Kind.SCHOOL: Intake.Source.SCHOOL,
    Organisation.Kind.NURSERY: Intake.Source.NURSERY,
    Organisation.Kind.HOSPITAL: Intake.Source.HOSPITAL,
}


def refer_family(referral: Referral, *, actor: User) -> Referral:
    """Send a family to the center with the guardian's consent (``referral`` unsaved, filled
    from the form). It goes to the unit of the window chosen, and comes back on that unit's
    due list if the family is not reached in the city's set time.

    Raises PermissionDenied when the actor is not a partner; ValidationError (in Japanese)
    when the consent or the content is missing, or the city has no such unit."""
    policy.require(actor, "watch.refer")
    partner = actor.organisation
    unit = (
        Organisation.objects.filter(
            municipality=partner.municipality_id, kind=WINDOW_UNITS[referral.window], is_active=True
        )
        .order_by("pk")
        .first()
    )
    if unit is None:
        raise ValidationError("つなぐ先の窓口がこの市区町村に登録されていません。")
    now = timezone.now()
    if referral.consent_on and referral.consent_on > timezone.localdate():
        raise ValidationError({"consent_on": "同意を得た日に未来の日付は入れられません。"})
    referral.partner, referral.referred_by, referral.unit = partner, actor, unit
    referral.status, referral.sent_at = Referral.Status.SENT, now
    referral.reach_by = timezone.localdate() + timedelta(
        days=partner.municipality.referral_reach_days
    )
    referral.full_clean()
    as_actor(actor, referral).save()
    return referral


def intake_prefill(referral: Referral) -> dict:
    """What the intake form opens with to take a referral in (相談受付として受け付ける): the
    channel, the partner as source, its content; and for the form's person finder (名寄せ)
    the guardian's name and phone."""
    family, _, given = referral.guardian_name.replace("\u3000", " ").partition(" ")
    return {
        "intake": {
            "channel": Intake.Channel.PARTNER_REPORT,
            "source": PARTNER_SOURCES.get(referral.partner.kind, Intake.Source.CAFETERIA),
            "source_organisation": referral.partner_id,
            "caller_name": f"{referral.partner}({referral.referred_by})"[:100],
            "summary": referral_summary(referral),
            "urgency": Intake.Urgency.SOON,
        },
        "person": {
            "family_name": family,
            "given_name": given.strip(),
            "phone": referral.contact_phone,
        },
    }


REFERRAL_ORIGIN = "watch.referral"


@transaction.atomic
def link_referral(referral: Referral, intake: Intake, *, actor: User) -> Referral:
    """The referral taken in: ``intake`` is the one the worker saved from it.
    Raises PermissionDenied; ValidationError when it was taken in already."""
    policy.require(actor, "watch.referral_receive", referral)
    policy.require_visible(actor, intake)
    # Locked: two staff taking the same referral in at once link one intake.
    if Referral.objects.select_for_update().get(pk=referral.pk).intake_id:
        raise ValidationError("この紹介はすでに受け付けています。")
    referral.intake, referral.status = intake, Referral.Status.RECEIVED
    referral.received_at = intake.received_at
    as_actor(actor, referral).save(update_fields=["intake", "status", "received_at"])
    return referral


@transaction.atomic
def receive_referral(
    referral: Referral, *, actor: User, category: ConsultationCategory, urgency: str
) -> Intake:
    """Take a referral in as an intake of the actor's unit at once, with no persons yet (the
    pages go through the intake form instead, see ``intake_prefill``). Raises
    PermissionDenied; ValidationError when already received."""
    policy.require(actor, "watch.referral_receive", referral)
    prefill = intake_prefill(referral)["intake"]
    intake = Intake(
        received_at=timezone.now(),
        channel=prefill["channel"],
        source=prefill["source"],
        source_organisation=referral.partner,
        caller_name=prefill["caller_name"],
        category=category,
        urgency=urgency,
        summary=prefill["summary"],
    )
    intake = receive_intake(intake, [], actor=actor)
    link_referral(referral, intake, actor=actor)
    return intake


def referral_summary(referral: Referral) -> str:
    lines = [
        f"協力団体({referral.partner})からの紹介(つなぐ)",
        f"保護者: {referral.guardian_name}",
        f"子ども: {referral.children or '—'}",
        f"連絡先: {referral.contact_phone or '—'}({referral.contact_when or '時間帯の指定なし'})",
        f"同意: {referral.get_consent_display()}({referral.consent_on:%Y-%m-%d})"
        f" ・{referral.get_contact_by_display()}",
        "",
        referral.what_was_said,
    ]
    return "\n".join(lines)


def close_referral(
    referral: Referral, reached: bool, note: str, *, actor: User, on: date
) -> Referral:
    """Record whether the family was reached (つながった) or not: what the partner sees.
    Raises PermissionDenied; ValidationError when not received yet or ``on`` is ahead."""
    policy.require(actor, "watch.referral_receive", referral)
    if referral.intake_id is None:
        raise ValidationError("先に相談受付として受け付けてください。")
    if on > timezone.localdate():
        raise ValidationError("日付に未来の日は入れられません。")
    referral.status = Referral.Status.REACHED if reached else Referral.Status.NOT_REACHED
    referral.reached_on = on if reached else None
    referral.outcome_note = note
    as_actor(actor, referral).save(update_fields=["status", "reached_on", "outcome_note"])
    return referral


# --- The network: donations and needs -----------------------------------------------------------


def offer_donation(donation: Donation, *, actor: User) -> Donation:
    """Post a donation offer to the network (``donation`` unsaved, its network set).
    Raises PermissionDenied when the actor's organisation is not in the network (the center
    coordinates every network of its city); ValidationError (in Japanese) on bad data."""
    policy.require(actor, "watch.network_post", donation.network)
    if donation.expires_on and donation.expires_on < timezone.localdate():
        raise ValidationError({"expires_on": "期限が過ぎた品物は掲載できません。"})
    donation.offered_by = actor.organisation
    donation.posted_by, donation.posted_at = actor, timezone.now()
    donation.full_clean()
    as_actor(actor, donation).save()
    return donation


def claimed(donation: Donation) -> int:
    return donation.claims.aggregate(total=Sum("quantity"))["total"] or 0


def claim_share(donation: Donation, quantity: int, *, actor: User) -> DonationClaim:
    """Claim ``quantity`` of a donation for the actor's organisation. The donation's row is
    locked while what is left is counted, so two members claiming the last share at the same
    moment get it once: the second is refused with what is left.

    Raises PermissionDenied; ValidationError (in Japanese) when more than is left is asked,
    the claim period is over, or the quantity is not positive."""
    policy.require(actor, "watch.network_post", donation.network)
    if quantity < 1:
        raise ValidationError({"quantity": "1以上の数を入れてください。"})
    with transaction.atomic():
        donation = Donation.objects.select_for_update().get(pk=donation.pk)
        if donation.claim_until and donation.claim_until < timezone.localdate():
            raise ValidationError("希望の締切を過ぎています。")
        left = donation.quantity - claimed(donation)
        if quantity > left:
            raise ValidationError(
                f"残りは {left}{donation.unit} です。{quantity}{donation.unit} は配分できません。"
            )
        claim = DonationClaim(
            donation=donation,
            organisation=actor.organisation,
            quantity=quantity,
            claimed_by=actor,
            claimed_at=timezone.now(),
        )
        as_actor(actor, claim).save()
    return claim


def post_need(need: Need, *, actor: User) -> Need:
    """Post what the actor's organisation needs. Raises PermissionDenied; ValidationError."""
    policy.require(actor, "watch.network_post", need.network)
    need.organisation, need.posted_by, need.posted_at = actor.organisation, actor, timezone.now()
    need.full_clean()
    as_actor(actor, need).save()
    return need


def mark_need_met(need: Need, *, actor: User) -> Need:
    """The need is met (そろった). Raises PermissionDenied unless the actor's organisation
    posted it, or the actor is of the center."""
    policy.require(actor, "watch.need_close", need)
    need.met = True
    as_actor(actor, need).save(update_fields=["met"])
    return need


def edit_profile(
    member: NetworkMember, profile: str, contact: str, *, actor: User
) -> NetworkMember:
    """The public profile other members see. Raises PermissionDenied unless it is the actor's
    own organisation's."""
    policy.require(actor, "watch.profile_edit", member)
    member.profile, member.contact = profile, contact
    member.full_clean()
    as_actor(actor, member).save(update_fields=["profile", "contact"])
    return member
