"""Who may see and change family support services (家庭支援事業) (DOMAIN.md §3, issue 19).

- The catalogue, providers and contracts are the city's, not personal: its center staff and
  administrator read them.
- A decision, its uses and monitoring follow the case: whoever sees the case reads them;
  center staff who work on the case decide, monitor, end and approve held uses.
- A provider's staff see only the decisions given to their own provider (the child's name,
  what the decision allows, what it asks of them — the views show no more) and the uses
  recorded on them; they record uses on decisions running that day. Never the case, never
  another provider's users.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tsunagu.access import navigation, policy
from tsunagu.cases.rules import follows_case, works_on
from tsunagu.cases.selectors import (
    Due,
    DueSource,
    TimelineSource,
    add_due_source,
    add_timeline_source,
)
from tsunagu.core import panels
from tsunagu.core.models import Municipality
from tsunagu.core.roles import CENTER_ROLES, Role

from .models import (
    Application,
    Contract,
    Decision,
    Monitoring,
    Offering,
    Provider,
    StayRequest,
    Usage,
)

CATALOGUE_ROLES = {*CENTER_ROLES, Role.ADMINISTRATOR}


def _city_scope(path: str):
    def scope(user, queryset):
        if user.role not in CATALOGUE_ROLES:
            return queryset.none()
        return policy.within_municipality(user, queryset, f"{path}municipality")

    return scope


def _provider_scope(user, queryset):
    if user.role == Role.PROVIDER_STAFF:
        return queryset.filter(organisation=user.organisation_id)
    return _city_scope("")(user, queryset)


def _center_works_on(user, obj) -> bool:
    return user.role in CENTER_ROLES and works_on(user, obj.case_id)


def _provider_records_on(user, decision: Decision) -> bool:
    """A provider's staff record uses on their provider's decisions still running."""
    return (
        user.role == Role.PROVIDER_STAFF
        and decision.provider.organisation_id == user.organisation_id
        and decision.status == Decision.Status.DECIDED
    )


policy.register(Offering, scope=_city_scope(""))
policy.register(Provider, scope=_provider_scope)
policy.register(Contract, scope=_city_scope("offering__"))
PROVIDER = Role.PROVIDER_STAFF
policy.register(
    Decision,
    scope=follows_case("case__", PROVIDER, "provider__organisation"),
    can_change=_center_works_on,
)
policy.register(
    Usage, scope=follows_case("decision__case__", PROVIDER, "decision__provider__organisation")
)
for _model in (Application, StayRequest):
    policy.register(_model, scope=follows_case("case__"), can_change=_center_works_on)
policy.register(Monitoring, scope=follows_case("decision__case__"))

policy.allow("family_support.catalogue", CATALOGUE_ROLES)


def _own_city(user, obj) -> bool:
    """A municipality, or a catalogue row (service, provider), of the user's own city."""
    city = obj.pk if isinstance(obj, Municipality) else obj.municipality_id
    return city == user.municipality_id


# The catalogue, its fees, providers and contracts: the supervisor and the administrator.
policy.allow("family_support.catalogue_edit", {Role.SUPERVISOR, Role.ADMINISTRATOR}, on=_own_city)
policy.allow("family_support.decide", CENTER_ROLES, on=lambda user, case: works_on(user, case.pk))
policy.allow("family_support.manage", CENTER_ROLES, on=_center_works_on)
policy.allow(
    "family_support.approve",
    CENTER_ROLES,
    on=lambda user, usage: works_on(user, usage.decision.case_id),
)
policy.allow("family_support.portal", {Role.PROVIDER_STAFF})
policy.allow("family_support.record", {Role.PROVIDER_STAFF}, on=_provider_records_on)
policy.allow("family_support.figures", CATALOGUE_ROLES)

navigation.add(_("利用者と実績の記録"), "family_support:portal", "family_support.portal", order=6)
navigation.add(_("家庭支援事業"), "family_support:catalogue", "family_support.catalogue", order=42)


def _case_panel(request, case) -> dict:
    from .selectors import case_panel

    return case_panel(request.user, case)


def _timeline(viewer, case, limit: int) -> list:
    from .selectors import timeline_entries

    return timeline_entries(viewer, case, limit)


def _monitoring_due(decision: Decision) -> Due:
    return Due(
        "service_monitoring",
        f"モニタリング: {decision.offering}({decision.provider})",
        decision.next_monitoring_on,
        decision.case,
        url=reverse("family_support:decision_detail", args=[decision.pk]),
    )


# A decision's monitoring comes on the due list of whoever works on the case.
add_due_source(
    DueSource(
        "service_monitoring",
        _("家庭支援事業のモニタリング"),
        lambda viewer: policy.scope(
            viewer,
            Decision.objects.filter(status=Decision.Status.DECIDED).exclude(
                next_monitoring_on=None
            ),
        ).select_related("offering", "provider", "case"),
        case_path="case",
        due_field="next_monitoring_on",
        rank_field="case__risk_rank",
        to_due=_monitoring_due,
    )
)
panels.add("case", "family_support/_case_panel.html", _case_panel, order=55)
add_timeline_source(TimelineSource("family_support", _("家庭支援事業"), _timeline))
