"""Monthly figures per partner (支援対象児童等見守り強化事業の実績): for the subsidy report.
Every count reads through the access policy: the supervisor counts the whole city, a partner
its own organisation."""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from django.db.models import Count, Q

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.core.models import Organisation

from .models import Alert, WatchAssignment, WatchReport


@dataclass
class PartnerMonth:
    """One partner's month. Times are medians: minutes to acknowledge, hours to handle."""

    partner: Organisation
    households: int = 0
    planned: int = 0
    made: int = 0
    not_made: int = 0
    children_seen: int = 0
    concern: dict = field(default_factory=dict)
    alerts: int = 0
    acknowledged_minutes: float | None = None
    handled_hours: float | None = None

    @property
    def row(self) -> list:
        """The Excel row, in HEADERS' order."""
        return [
            str(self.partner),
            self.households,
            self.planned,
            self.made,
            self.not_made,
            self.children_seen,
            self.concern.get(WatchReport.Concern.NONE, 0),
            self.concern.get(WatchReport.Concern.SOME, 0),
            self.concern.get(WatchReport.Concern.URGENT, 0),
            self.alerts,
            "" if self.acknowledged_minutes is None else round(self.acknowledged_minutes),
            "" if self.handled_hours is None else round(self.handled_hours, 1),
        ]


HEADERS = [
    "協力団体",
    "見守り世帯数",
    "予定訪問回数",
    "訪問できた回数",
    "訪問できなかった回数",
    "子どもの姿を確認した回数",
    "心配なし",
    "少し気になる",
    "緊急",
    "アラート件数",
    "確認までの時間(中央値・分)",
    "対応完了までの時間(中央値・時間)",
]


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=monthrange(first.year, first.month)[1])


def monthly(viewer: User, month: date) -> list[PartnerMonth]:
    """The figures of ``month`` (any day of it), one row per partner with a household or a
    report in it, by partner name."""
    first, last = month_bounds(month)
    rows: dict[int, PartnerMonth] = {}

    def row_of(partner: Organisation) -> PartnerMonth:
        return rows.setdefault(partner.pk, PartnerMonth(partner))

    assignments = policy.scope(viewer, WatchAssignment.objects.select_related("partner")).filter(
        Q(ends_on=None) | Q(ends_on__gte=first), starts_on__lte=last
    )
    for assignment in assignments:
        row = row_of(assignment.partner)
        row.households += 1
        row.planned += len(assignment.visit_dates(first, last))
    reports = policy.scope(viewer, WatchReport.objects.all()).filter(
        visit_on__gte=first, visit_on__lte=last
    )
    partners = {
        p.pk: p for p in Organisation.objects.filter(pk__in=reports.values("assignment__partner"))
    }
    counted = reports.values("assignment__partner", "visited", "child_seen", "concern").annotate(
        n=Count("pk")
    )
    for group in counted:
        row = row_of(partners[group["assignment__partner"]])
        if group["visited"]:
            row.made += group["n"]
        else:
            row.not_made += group["n"]
        if group["child_seen"]:
            row.children_seen += group["n"]
        row.concern[group["concern"]] = row.concern.get(group["concern"], 0) + group["n"]
    _alert_times(viewer, first, last, row_of)
    return sorted(rows.values(), key=lambda row: str(row.partner.name_kana or row.partner.name))


def _alert_times(viewer: User, first: date, last: date, row_of) -> None:
    """Alerts raised in the month on each partner's reports, and how long they took."""
    alerts = policy.scope(viewer, Alert.objects.select_related("assignment__partner"))
    alerts = alerts.filter(raised_at__date__gte=first, raised_at__date__lte=last)
    waits: dict[int, tuple[PartnerMonth, list[float], list[float]]] = {}
    for alert in alerts.exclude(assignment=None):
        row = row_of(alert.assignment.partner)
        row.alerts += 1
        _, acknowledged, handled = waits.setdefault(row.partner.pk, (row, [], []))
        if alert.acknowledged_at:
            acknowledged.append((alert.acknowledged_at - alert.raised_at).total_seconds() / 60)
        if alert.handled_at:
            handled.append((alert.handled_at - alert.raised_at).total_seconds() / 3600)
    for row, acknowledged, handled in waits.values():
        row.acknowledged_minutes = median(acknowledged) if acknowledged else None
        row.handled_hours = median(handled) if handled else None
