"""Reads of family support services that depend on the viewer."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.cases.models import Case

from .models import Application, Decision, Monitoring, StayRequest, Usage


def decisions_for(viewer: User, case: Case | None = None) -> QuerySet:
    decisions = policy.scope(
        viewer, Decision.objects.select_related("offering", "provider", "child")
    )
    return decisions.filter(case=case) if case is not None else decisions


@dataclass
class PortalRow:
    """One user of a provider: the decision, the uses counted so far and those left."""

    decision: Decision
    used: int
    running: bool

    @property
    def left(self) -> int | None:
        limit = self.decision.uses_limit
        return None if limit is None else max(limit - self.used, 0)


# The uses that count against a decision's limits (``Usage.counts``), as a filter.
COUNTED = Q(uses__attended=True) & ~Q(uses__status=Usage.Status.HELD)


def portal_row(decision: Decision, today: date) -> PortalRow:
    used = getattr(decision, "used", None)
    if used is None:
        used = Decision.objects.filter(pk=decision.pk).aggregate(n=Count("uses", filter=COUNTED))
        used = used["n"]
    return PortalRow(decision, used, decision.is_open_on(today))


def _with_used(decisions: QuerySet) -> QuerySet:
    return decisions.annotate(used=Count("uses", filter=COUNTED))


def portal_rows(viewer: User, today: date) -> list[PortalRow]:
    """The viewer's provider's users, those running today first, in one query."""
    decisions = _with_used(decisions_for(viewer)).order_by("starts_on", "pk")
    return sorted((portal_row(d, today) for d in decisions), key=lambda row: not row.running)


def case_panel(viewer: User, case: Case) -> dict:
    today = timezone.localdate()
    return {
        "case": case,
        "rows": [portal_row(d, today) for d in _with_used(decisions_for(viewer, case))],
        "applications": policy.scope(viewer, Application.objects.filter(case=case))
        .filter(status=Application.Status.RECEIVED)
        .select_related("offering", "child"),
        "stays": policy.scope(viewer, StayRequest.objects.filter(case=case)).select_related(
            "provider"
        )[:5],
        "may_decide": policy.may(viewer, "family_support.decide", case),
    }


def timeline_entries(viewer: User, case: Case, limit: int) -> list:
    """Every step of the case's family support on the timeline: applications, decisions,
    consent and first meetings, uses with an observation, monitoring, short-stay requests."""
    from tsunagu.cases.selectors import Entry

    entries = []
    for application in policy.scope(viewer, Application.objects.filter(case=case))[:limit]:
        entries.append(
            Entry.dated(
                "family_support",
                application.received_on,
                f"家庭支援事業の申請 {application.offering}",
                application.note,
                application,
            )
        )
    for decision in decisions_for(viewer, case)[:limit]:
        entries += _decision_entries(decision)
    uses = policy.scope(viewer, Usage.objects.filter(decision__case=case)).exclude(observation="")
    for usage in uses.select_related("decision__provider").order_by("-recorded_at")[:limit]:
        urgent = "【緊急】" if usage.concern == Usage.Concern.URGENT else ""
        entries.append(
            Entry(
                "family_support",
                usage.recorded_at,
                f"提供事業者の気づき {usage.decision.provider}{urgent}",
                usage.observation,
                usage,
            )
        )
    monitorings = policy.scope(viewer, Monitoring.objects.filter(decision__case=case))
    for monitoring in monitorings.select_related("decision__offering")[:limit]:
        entries.append(
            Entry.dated(
                "family_support",
                monitoring.held_on,
                f"モニタリング {monitoring.decision.offering}: {monitoring.get_outcome_display()}",
                monitoring.note,
                monitoring,
            )
        )
    stays = policy.scope(viewer, StayRequest.objects.filter(case=case)).select_related("provider")
    for stay in stays[:limit]:
        entries.append(
            Entry.dated(
                "family_support",
                stay.requested_on,
                f"ショートステイの依頼 {stay.provider}: {stay.get_answer_display()}",
                stay.note,
                stay,
            )
        )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


def _decision_entries(decision: Decision) -> list:
    from tsunagu.cases.selectors import Entry

    steps = [(decision.decided_on, f"利用決定 {decision.offering}({decision.provider})")]
    if decision.consented_on:
        steps.append((decision.consented_on, f"利用の同意 {decision.offering}"))
    if decision.first_meeting_on:
        steps.append((decision.first_meeting_on, f"初回顔合わせ {decision.provider}"))
    if decision.ended_on:
        steps.append((decision.ended_on, f"利用終了 {decision.offering}"))
    return [Entry.dated("family_support", day, title, "", decision) for day, title in steps]
