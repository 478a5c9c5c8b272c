"""Reading watching over as a viewer may: a partner's visits, reports and the center's alerts.
Every read goes through the access policy."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.cases.models import Case

from .models import Alert, Donation, Network, Referral, WatchAssignment, WatchReport

# A planned visit counts as reported by a report this many days either side of it.
REPORT_SLACK_DAYS = 3
# "Not yet reported" looks this far back.
LOOK_BACK_DAYS = 14


@dataclass
class Visit:
    """One household on a partner's list, with its planned visits around today."""

    assignment: WatchAssignment
    due: list[date] = field(default_factory=list)  # planned, not reported, up to today
    next_on: date | None = None  # the next planned visit after today
    last_report: WatchReport | None = None

    @property
    def due_today(self) -> bool:
        return timezone.localdate() in self.due

    @property
    def overdue(self) -> list[date]:
        today = timezone.localdate()
        return [day for day in self.due if day < today]


def unreported(planned: list[date], reported: set[date]) -> list[date]:
    """The planned visits no report answers (one within REPORT_SLACK_DAYS either side)."""
    return [
        when
        for when in planned
        if not any(abs((when - done).days) <= REPORT_SLACK_DAYS for done in reported)
    ]


def assignments_for(viewer: User) -> QuerySet:
    return policy.scope(viewer, WatchAssignment.objects.select_related("partner"))


def open_assignments(viewer: User, day: date) -> QuerySet:
    return (
        assignments_for(viewer)
        .filter(starts_on__lte=day)
        .filter(Q(ends_on=None) | Q(ends_on__gte=day))
    )


def visits_for(viewer: User, day: date | None = None) -> list[Visit]:
    """The viewer's open households: those with a visit due (today's first, then the ones
    not reported in the last two weeks), then the others by their next visit."""
    day = day or timezone.localdate()
    assignments = list(open_assignments(viewer, day).order_by("recipient_name", "pk"))
    since = day - timedelta(days=LOOK_BACK_DAYS + REPORT_SLACK_DAYS)
    reports: dict[int, list[WatchReport]] = {}
    for report in (
        policy.scope(viewer, WatchReport.objects.all())
        .filter(assignment__in=[a.pk for a in assignments], visit_on__gte=since)
        .order_by("visit_on")
    ):
        reports.setdefault(report.assignment_id, []).append(report)
    visits = []
    for assignment in assignments:
        theirs = reports.get(assignment.pk, [])
        reported = {report.visit_on for report in theirs}
        planned = assignment.visit_dates(
            day - timedelta(days=LOOK_BACK_DAYS), day + timedelta(days=35)
        )
        due = unreported([when for when in planned if when <= day], reported)
        coming = [when for when in planned if when > day]
        visits.append(
            Visit(assignment, due, coming[0] if coming else None, theirs[-1] if theirs else None)
        )
    return sorted(
        visits,
        key=lambda v: (not v.due_today, not v.due, v.next_on or date.max, v.assignment.pk),
    )


def reports_for(viewer: User) -> QuerySet:
    return policy.scope(
        viewer,
        WatchReport.objects.select_related("assignment", "assignment__partner", "reported_by"),
    )


def alerts_for(viewer: User, *, open_only: bool = True) -> QuerySet:
    """Open alerts first the unacknowledged urgent ones, then the newest."""
    alerts = policy.scope(
        viewer,
        Alert.objects.select_related("case", "key_person", "unit", "assignment__partner", "report"),
    )
    if open_only:
        alerts = alerts.filter(handled_at=None)
    return alerts.order_by(F("acknowledged_at").asc(nulls_first=True), "-raised_at")


def case_panel(viewer: User, case: Case) -> dict:
    """The case page's 見守り section: the partners watching its households, open alerts."""
    return {
        "case": case,
        "assignments": assignments_for(viewer).filter(case=case).order_by("-starts_on"),
        "alerts": alerts_for(viewer).filter(case=case),
        "may_assign": policy.may(viewer, "watch.assign", case) and case.status != "closed",
    }


def home_panel(viewer: User) -> dict:
    """The center home's count of open alerts: the viewer's own (as key person or of their
    unit) and, for the supervisor, the escalated ones."""
    alerts = alerts_for(viewer)
    mine = alerts.filter(Q(key_person=viewer.pk) | Q(unit=viewer.organisation_id))
    return {
        "unacknowledged": mine.filter(acknowledged_at=None).count(),
        "open": mine.count(),
        "escalated": alerts.exclude(escalated_at=None).count()
        if policy.allowed(viewer, "watch.escalation")
        else 0,
    }


def timeline_entries(viewer: User, case: Case, limit: int) -> list:
    """The case's watch reports as timeline entries (見守り報告), newest first."""
    from tsunagu.cases.selectors import Entry

    reports = reports_for(viewer).filter(assignment__case=case).order_by("-received_at")[:limit]
    return [
        Entry(
            "watch",
            report.received_at,
            f"見守り報告 {report.assignment.partner}"
            + ("【緊急】" if report.concern == WatchReport.Concern.URGENT else ""),
            report.summary(),
            report,
        )
        for report in reports
    ]


def referrals_for(viewer: User, status: str = "") -> QuerySet:
    referrals = policy.scope(viewer, Referral.objects.select_related("partner", "unit", "intake"))
    return referrals.filter(status=status) if status else referrals


def networks_for(viewer: User) -> QuerySet:
    return policy.scope(viewer, Network.objects.all()).order_by("name")


@dataclass
class Offer:
    donation: Donation
    claimed: int

    @property
    def left(self) -> int:
        return self.donation.quantity - self.claimed


def offers_in(viewer: User, network: Network, *, open_only: bool = True) -> list[Offer]:
    """The network's donations with what is left of each; open ones: something left and the
    claim period not over."""
    donations = policy.scope(viewer, network.donations.select_related("offered_by")).annotate(
        taken=Coalesce(Sum("claims__quantity"), 0)
    )
    offers = [Offer(donation, donation.taken) for donation in donations.order_by("-posted_at")]
    if open_only:
        today = timezone.localdate()
        offers = [
            offer
            for offer in offers
            if offer.left > 0
            and (offer.donation.claim_until is None or offer.donation.claim_until >= today)
        ]
    return offers
