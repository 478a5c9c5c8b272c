"""Who may see persons (need-to-know).

The supervisor (統括支援員) sees every person of the municipality. A unit's staff see the persons
their unit holds records about (KnownTo), including records merged into them; any other match is
shown to them only as "known to another unit". Later issues widen this through the case file
(a cgc liaison for its cases, a partner for the households assigned to it), always inside the
municipality line.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tsunagu.access import navigation, policy
from tsunagu.core.roles import CENTER_ROLES, Role

from .models import (
    CannotLink,
    Household,
    HouseholdMember,
    KnownTo,
    MatchProposal,
    OtherName,
    Person,
    PersonMerge,
)


def known_to_unit(user, prefix: str = "") -> Q:
    organisation = user.organisation_id
    return Q(**{f"{prefix}known_to__organisation": organisation}) | Q(
        **{f"{prefix}merged_records__known_to__organisation": organisation}
    )


def _scope(field: str, person_prefix: str | None):
    def scope(user, queryset):
        if user.role not in CENTER_ROLES:
            return queryset.none()
        queryset = policy.within_municipality(user, queryset, field)
        if user.role == Role.SUPERVISOR or person_prefix is None:
            return queryset
        return queryset.filter(known_to_unit(user, person_prefix)).distinct()

    return scope


def _center_may_change(user, obj) -> bool:
    return user.role in CENTER_ROLES


def _register(model, field: str, person_prefix: str | None) -> None:
    policy.register(model, scope=_scope(field, person_prefix), can_change=_center_may_change)


_register(Person, "municipality", "")
_register(OtherName, "person__municipality", "person__")
_register(KnownTo, "person__municipality", "person__")
_register(Household, "municipality", "members__person__")
_register(HouseholdMember, "household__municipality", "person__")
_register(PersonMerge, "kept__municipality", "kept__")
_register(CannotLink, "person_low__municipality", "person_low__")
_register(MatchProposal, "person_low__municipality", "person_low__")

policy.allow("people.view", CENTER_ROLES)
policy.allow("people.add", CENTER_ROLES)
policy.allow("people.change", CENTER_ROLES)
policy.allow("people.match", CENTER_ROLES)
policy.allow("people.review", CENTER_ROLES)

navigation.add(_("人を探す・登録する"), "people:person_list", "people.view", order=20)
navigation.add(_("名寄せ候補の確認"), "people:review", "people.review", order=25)
