"""Who may see persons: for now, the center's own staff of the same municipality.

Later issues widen this through the case file (a cgc liaison for its cases, a partner for
the households assigned to it), always inside the municipality line.
"""

from tsunagu.access import policy
from tsunagu.core.roles import Role

from .models import Household, HouseholdMember, Person

CENTER_ROLES = {Role.CENTER_STAFF, Role.SUPERVISOR}


def _center_scope(field: str):
    def scope(user, queryset):
        if user.role not in CENTER_ROLES:
            return queryset.none()
        return policy.within_municipality(user, queryset, field)

    return scope


def _center_may_change(user, obj) -> bool:
    return user.role in CENTER_ROLES


policy.register(Person, scope=_center_scope("municipality"), can_change=_center_may_change)
policy.register(Household, scope=_center_scope("municipality"), can_change=_center_may_change)
policy.register(
    HouseholdMember,
    scope=_center_scope("household__municipality"),
    can_change=_center_may_change,
)
policy.allow("people.view", CENTER_ROLES)
