"""Who may see and change watching over (見守り) (DOMAIN.md §3, issue 18).

- The center: an assignment, its reports and its alerts follow the case — whoever sees the
  case reads them; center staff who work on the case assign a partner, and acknowledge and
  handle the case's alerts (the supervisor, every alert of the municipality).
- A partner organisation's users see only their organisation's assignments, and of those
  only what the delivery needs (the views show no more), and their organisation's reports;
  they file reports on open assignments. Never the case, never another partner's households.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.access import navigation, policy
from tsunagu.cases.rules import case_filter, works_on
from tsunagu.cases.selectors import TimelineSource, add_timeline_source
from tsunagu.core import panels
from tsunagu.core.roles import CENTER_ROLES, Role

from .models import Alert, WatchAssignment, WatchReport


def _follows_case(prefix: str, partner_path: str | None):
    """Center staff: the rows of the cases they see; a partner: its organisation's rows."""

    def scope(user, queryset):
        if user.role == Role.PARTNER and partner_path:
            return queryset.filter(**{partner_path: user.organisation_id})
        if user.role not in CENTER_ROLES:
            return queryset.none()
        queryset = policy.within_municipality(user, queryset, f"{prefix}municipality")
        allowed = case_filter(user, prefix)
        return queryset if allowed is None else queryset.filter(allowed)

    return scope


def _center_works_on(user, obj) -> bool:
    return user.role in CENTER_ROLES and works_on(user, obj.case_id)


def _partner_reports_on(user, assignment: WatchAssignment) -> bool:
    """A partner's users file reports on their organisation's assignments still running."""
    return (
        user.role == Role.PARTNER
        and assignment.partner_id == user.organisation_id
        and assignment.is_open_on(timezone.localdate())
    )


def _may_handle(user, alert: Alert) -> bool:
    return policy.can_view(user, alert) and _center_works_on(user, alert)


policy.register(
    WatchAssignment,
    scope=_follows_case("case__", "partner"),
    can_change=_center_works_on,
)
policy.register(WatchReport, scope=_follows_case("assignment__case__", "assignment__partner"))
policy.register(Alert, scope=_follows_case("case__", None), can_change=_may_handle)

policy.allow("watch.assign", CENTER_ROLES, on=lambda user, case: works_on(user, case.pk))
policy.allow("watch.end", CENTER_ROLES, on=_center_works_on)
policy.allow("watch.visits", {Role.PARTNER})
policy.allow("watch.report", {Role.PARTNER}, on=_partner_reports_on)
policy.allow("watch.alerts", CENTER_ROLES)
policy.allow("watch.alert_handle", CENTER_ROLES, on=_may_handle)

navigation.add(_("今日の訪問"), "watch:visits", "watch.visits", order=5)
navigation.add(_("見守りアラート"), "watch:alert_list", "watch.alerts", order=15)

# An urgent alert nobody acknowledged in time goes to these roles (by mail and on their list).
policy.allow("watch.escalation", {Role.SUPERVISOR})


def _case_panel(request, case) -> dict:
    from .selectors import case_panel

    return case_panel(request.user, case)


def _home_panel(request) -> dict:
    from .selectors import home_panel

    return home_panel(request.user)


def _timeline(viewer, case, limit: int) -> list:
    from .selectors import timeline_entries

    return timeline_entries(viewer, case, limit)


panels.add("case", "watch/_case_panel.html", _case_panel, order=60)
panels.add("home:center", "watch/_home_alerts.html", _home_panel, order=20)
add_timeline_source(TimelineSource("watch", _("見守り報告"), _timeline))
