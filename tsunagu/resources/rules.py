"""Who may see and change directory entries (DOMAIN.md §3 and issue 6).

- The public (no login): public entries only, through the finder and the open API
  (``selectors.public_places``), never through this policy.
- Center staff, the supervisor, the cgc liaison and resource editors: the whole directory of
  their municipality, informal (staff-only) helpers included.
- Resource editors change any entry and decide operators' change requests.
- A partner (operator): public entries, and the entries of the organisations it operates,
  which it edits; a change to a public entry waits for an editor's approval.
- Providers see public entries.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tsunagu.access import navigation, policy
from tsunagu.core.roles import Role

from .models import (
    ChangeRequest,
    DirectoryImport,
    Location,
    ResourceOrganisation,
    Schedule,
    Service,
    ServiceAtLocation,
    Visibility,
)

DIRECTORY_ROLES = {Role.CENTER_STAFF, Role.SUPERVISOR, Role.CGC_LIAISON, Role.RESOURCE_EDITOR}
EDITOR_ROLES = {Role.RESOURCE_EDITOR}
OPERATOR_ROLES = {Role.PARTNER}


def _service_scope(prefix: str):
    def scope(user, queryset):
        queryset = policy.within_municipality(user, queryset, f"{prefix}municipality")
        if user.role in DIRECTORY_ROLES:
            return queryset
        public = Q(**{f"{prefix}visibility": Visibility.PUBLIC}) & ~Q(
            **{f"{prefix}status": Service.Status.INACTIVE}
        )
        if user.role in OPERATOR_ROLES:
            return queryset.filter(
                public | Q(**{f"{prefix}organisation__operator": user.organisation_id})
            )
        if user.role == Role.PROVIDER_STAFF:
            return queryset.filter(public)
        return queryset.none()

    return scope


def _organisation_scope(user, queryset):
    queryset = policy.within_municipality(user, queryset)
    if user.role in DIRECTORY_ROLES:
        return queryset
    services = _service_scope("")(user, Service.objects.all())
    return queryset.filter(Q(services__in=services) | Q(operator=user.organisation_id)).distinct()


def _location_scope(user, queryset):
    queryset = policy.within_municipality(user, queryset)
    if user.role in DIRECTORY_ROLES:
        return queryset
    places = policy.scope(user, ServiceAtLocation.objects.all())
    return queryset.filter(places__in=places).distinct()


def may_change_service(user, service) -> bool:
    if user.role in EDITOR_ROLES:
        return True
    return user.role in OPERATOR_ROLES and service.organisation.operator_id == user.organisation_id


policy.register(Service, scope=_service_scope(""), can_change=may_change_service)
policy.register(
    ServiceAtLocation,
    scope=_service_scope("service__"),
    can_change=lambda user, place: may_change_service(user, place.service),
)
policy.register(
    Schedule,
    scope=_service_scope("place__service__"),
    can_change=lambda user, schedule: may_change_service(user, schedule.place.service),
)
policy.register(
    Location,
    scope=_location_scope,
    can_change=lambda user, location: user.role in EDITOR_ROLES,
)
policy.register(
    ResourceOrganisation,
    scope=_organisation_scope,
    can_change=lambda user, organisation: user.role in EDITOR_ROLES,
)
policy.register(
    ChangeRequest,
    scope=lambda user, queryset: (
        policy.within_municipality(user, queryset, "service__municipality")
        if user.role in EDITOR_ROLES
        else queryset.filter(requested_by=user.pk)
    ),
    can_change=lambda user, request: user.role in EDITOR_ROLES,
)

policy.register(
    DirectoryImport,
    scope=lambda user, queryset: (
        policy.within_municipality(user, queryset) if user.role in EDITOR_ROLES else queryset.none()
    ),
    can_change=lambda user, staged: user.role in EDITOR_ROLES,
)

policy.allow("resources.directory", DIRECTORY_ROLES)
policy.allow("resources.export", DIRECTORY_ROLES)
policy.allow("resources.edit", EDITOR_ROLES | OPERATOR_ROLES)
# Changing an entry directly (an operator's change to its own entry goes through resources.own).
policy.allow("resources.edit_entry", EDITOR_ROLES)
policy.allow("resources.approve", EDITOR_ROLES)
policy.allow("resources.import", EDITOR_ROLES)
policy.allow("resources.own", OPERATOR_ROLES)

navigation.add(_("地域資源"), "resources:directory", "resources.directory", order=30)
navigation.add(_("地域資源マップ"), "resources:staff_map", "resources.directory", order=31)
navigation.add(_("オープンデータの取込み"), "resources:import_upload", "resources.import", order=33)
navigation.add(_("変更申請の承認"), "resources:change_requests", "resources.approve", order=32)
navigation.add(_("わたしたちの資源"), "resources:own", "resources.own", order=34)
