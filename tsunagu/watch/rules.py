"""Who may see and change watching over (見守り) (DOMAIN.md §3, issue 18).

- The center: an assignment, its reports and its alerts follow the case — whoever sees the
  case reads them; center staff who work on the case assign a partner, and acknowledge and
  handle the case's alerts (the supervisor, every alert of the municipality).
- A partner organisation's users see only their organisation's assignments, and of those
  only what the delivery needs (the views show no more), and their organisation's reports;
  they file reports on open assignments. Never the case, never another partner's households.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.access import navigation, policy
from tsunagu.cases.rules import case_filter, follows_case, works_on
from tsunagu.cases.selectors import (
    Due,
    DueSource,
    TimelineSource,
    add_due_source,
    add_timeline_source,
)
from tsunagu.core import panels
from tsunagu.core.roles import CENTER_ROLES, Role

from .models import (
    Alert,
    Donation,
    DonationClaim,
    Need,
    Network,
    NetworkMember,
    Referral,
    WatchAssignment,
    WatchReport,
)


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
    scope=follows_case("case__", Role.PARTNER, "partner"),
    can_change=_center_works_on,
)
policy.register(
    WatchReport, scope=follows_case("assignment__case__", Role.PARTNER, "assignment__partner")
)
policy.register(Alert, scope=follows_case("case__"), can_change=_may_handle)


def _referral_scope(user, queryset):
    """The partner: its organisation's referrals. The center: those sent to the viewer's unit
    and those whose intake the viewer sees (the supervisor: all of the municipality)."""
    if user.role == Role.PARTNER:
        return queryset.filter(partner=user.organisation_id)
    if user.role not in CENTER_ROLES:
        return queryset.none()
    queryset = policy.within_municipality(user, queryset, "unit__municipality")
    allowed = case_filter(user, "intake__case__")
    if allowed is None:
        return queryset
    return queryset.filter(allowed | Q(unit=user.organisation_id))


# The network's members are partners, and the social welfare council's coordinator (社協, a
# resource editor) when the council is a member; the center sees its city's networks.
MEMBER_ROLES = {Role.PARTNER, Role.RESOURCE_EDITOR}


def _member_of(user, network_id) -> bool:
    return NetworkMember.objects.filter(
        network=network_id, organisation=user.organisation_id
    ).exists()


def _network_scope(path: str):
    """The center sees its city's networks; a partner, the networks it is a member of."""

    def scope(user, queryset):
        if user.role in CENTER_ROLES:
            return policy.within_municipality(user, queryset, f"{path}municipality")
        if user.role not in MEMBER_ROLES:
            return queryset.none()
        member = NetworkMember.objects.filter(organisation=user.organisation_id)
        return queryset.filter(**{f"{path}pk__in": member.values("network")})

    return scope


def _may_post(user, network: Network) -> bool:
    if user.role in CENTER_ROLES:
        return network.municipality_id == user.municipality_id
    return user.role in MEMBER_ROLES and _member_of(user, network.pk)


def _may_close_need(user, need: Need) -> bool:
    if not policy.can_view(user, need):
        return False
    return user.role in CENTER_ROLES or need.organisation_id == user.organisation_id


policy.register(
    Referral,
    scope=_referral_scope,
    can_change=lambda user, referral: user.role in CENTER_ROLES and policy.can_view(user, referral),
)
policy.register(Network, scope=_network_scope(""))
for _model in (NetworkMember, Donation, Need):
    policy.register(_model, scope=_network_scope("network__"))
policy.register(DonationClaim, scope=_network_scope("donation__network__"))

policy.allow("watch.assign", CENTER_ROLES, on=lambda user, case: works_on(user, case.pk))
policy.allow("watch.end", CENTER_ROLES, on=_center_works_on)
policy.allow("watch.visits", {Role.PARTNER})
policy.allow("watch.report", {Role.PARTNER}, on=_partner_reports_on)
policy.allow("watch.alerts", CENTER_ROLES)
policy.allow("watch.alert_handle", CENTER_ROLES, on=_may_handle)

policy.allow("watch.refer", {Role.PARTNER})
policy.allow("watch.referrals", {*CENTER_ROLES, Role.PARTNER})
policy.allow(
    "watch.referral_receive",
    CENTER_ROLES,
    on=lambda user, referral: policy.can_change(user, referral),
)
policy.allow("watch.figures", {*CENTER_ROLES, Role.PARTNER})
policy.allow("watch.network", {*CENTER_ROLES, *MEMBER_ROLES})
policy.allow("watch.network_post", {*CENTER_ROLES, *MEMBER_ROLES}, on=_may_post)
policy.allow(
    "watch.profile_edit",
    MEMBER_ROLES,
    on=lambda user, member: member.organisation_id == user.organisation_id,
)
policy.allow("watch.need_close", {*CENTER_ROLES, *MEMBER_ROLES}, on=_may_close_need)

navigation.add(_("今日の訪問"), "watch:visits", "watch.visits", order=5)
navigation.add(_("見守りアラート"), "watch:alert_list", "watch.alerts", order=15)
navigation.add(_("つなぐ(紹介)"), "watch:referral_list", "watch.referrals", order=16)
navigation.add(_("見守りの実績"), "watch:figure_list", "watch.figures", order=41)
navigation.add(_("食堂ネットワーク"), "watch:network", "watch.network", order=40)

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


def _referral_due(referral: Referral) -> Due:
    return Due(
        "referral",
        f"つなぐ: {referral.guardian_name}さん({referral.partner})",
        referral.reach_by,
        referral.intake.case if referral.intake_id else None,
        url=reverse("watch:referral_detail", args=[referral.pk]),
    )


# A family a partner sent that is not reached yet comes back on the unit's due list, due on
# the day it should have been reached.
add_due_source(
    DueSource(
        "referral",
        _("つなぐ"),
        lambda viewer: policy.scope(
            viewer, Referral.objects.filter(status__in=Referral.OPEN)
        ).select_related("partner", "intake__case"),
        case_path="intake__case",
        due_field="reach_by",
        rank_field="",
        to_due=_referral_due,
        unit_field="unit",
    )
)
panels.add("case", "watch/_case_panel.html", _case_panel, order=60)
panels.add("home:center", "watch/_home_alerts.html", _home_panel, order=20)
add_timeline_source(TimelineSource("watch", _("見守り報告"), _timeline))
