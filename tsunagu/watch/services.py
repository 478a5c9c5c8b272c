"""Writing watching over: one function per domain action. Each asks the policy first and
saves through the model, so the history names the actor."""

import uuid
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.cases.models import Assignment, Case, CaseUnit
from tsunagu.core.history import as_actor
from tsunagu.core.models import Organisation
from tsunagu.core.office_hours import add_office_minutes

from .models import PARTNER_KINDS, Alert, WatchAssignment, WatchReport


def assign_watch(case: Case, assignment: WatchAssignment, *, actor: User) -> WatchAssignment:
    """Ask a partner organisation to watch a household of ``case`` (``assignment`` unsaved,
    its fields filled from the form).

    Raises PermissionDenied when the actor does not work on the case; ValidationError (in
    Japanese) when the partner is not a partner organisation of the case's municipality or
    the dates are wrong."""
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
    kept = _kept(key, assignment)
    if kept is not None:
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
    from .tasks import escalate_alert_task, notify_alert_task

    case = report.assignment.case
    key = (
        Assignment.objects.filter(case=case, is_key_person=True, until=None)
        .select_related("worker")
        .first()
    )
    key_person = key.worker if key else None
    unit = _unit_of(case, key_person)
    alerts = []
    for reason in _reasons(report):
        alert = Alert(
            case=case,
            report=report,
            reason=reason,
            raised_at=report.received_at,
            key_person=key_person,
            unit=unit,
        )
        if alert.is_urgent:
            minutes = case.municipality.alert_ack_minutes
            alert.acknowledge_by = add_office_minutes(alert.raised_at, minutes)
        as_actor(report.reported_by, alert).save()
        # Queued in the same transaction: nothing is mailed for a report that was not kept.
        notify_alert_task.enqueue(alert.pk)
        if alert.acknowledge_by:
            escalate_alert_task.using(run_after=alert.acknowledge_by).enqueue(alert.pk)
        alerts.append(alert)
    return alerts


def _unit_of(case: Case, key_person: User | None) -> Organisation | None:
    """The inbox an alert goes to: the key person's unit, else the case's child-welfare unit,
    else any unit on it."""
    units = CaseUnit.objects.filter(case=case, until=None).select_related("unit")
    if key_person and units.filter(unit=key_person.organisation_id).exists():
        return key_person.organisation
    links = sorted(units, key=lambda link: link.unit.kind != Organisation.Kind.UNIT_CHILD_WELFARE)
    return links[0].unit if links else None


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
