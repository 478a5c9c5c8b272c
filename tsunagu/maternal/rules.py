"""Who may see and change the maternal line (母子保健) (DOMAIN.md §3, issue 20).

- The maternal-health unit's nurses and the supervisor keep it: they see every record of the
  city and write them (the nurses interview every pregnant woman of the city).
- Other center staff (child welfare, development) read the maternal records only of the persons
  on the cases they see, and write none.
- Partners, providers, the cgc, resource editors and administrators see none of it.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tsunagu.access import navigation, policy
from tsunagu.cases.models import CasePerson
from tsunagu.cases.rules import case_filter
from tsunagu.cases.selectors import (
    Due,
    DueSource,
    TimelineSource,
    add_due_source,
    add_timeline_source,
)
from tsunagu.core import panels
from tsunagu.core.models import Municipality, Organisation
from tsunagu.core.roles import CENTER_ROLES, Role

from .models import (
    Benefit,
    Birth,
    Checkup,
    CheckupKind,
    Contact,
    FollowStep,
    FollowUp,
    NewbornVisit,
    PostnatalCare,
    PostnatalCareUse,
    Pregnancy,
    UnseenChild,
)


def keeps_maternal_records(user) -> bool:
    """The supervisor, and staff of a maternal-health unit (母子保健)."""
    if user.role == Role.SUPERVISOR:
        return True
    return (
        user.role == Role.CENTER_STAFF
        and user.organisation is not None
        and user.organisation.kind == Organisation.Kind.UNIT_MATERNAL_HEALTH
    )


def _persons_on_visible_cases(user):
    links = CasePerson.objects.all()
    allowed = case_filter(user, "case__")
    return (links if allowed is None else links.filter(allowed)).values("person")


def _scope(municipality_field: str, *person_paths: str):
    def scope(user, queryset):
        if user.role not in CENTER_ROLES:
            return queryset.none()
        queryset = policy.within_municipality(user, queryset, municipality_field)
        if keeps_maternal_records(user):
            return queryset
        persons = _persons_on_visible_cases(user)
        on_cases = Q()
        for path in person_paths:
            on_cases |= Q(**{f"{path}__in": persons})
        return queryset.filter(on_cases)

    return scope


def _keeper_may_change(user, obj) -> bool:
    return keeps_maternal_records(user)


for model, municipality_field, persons in (
    (Pregnancy, "municipality", ("mother",)),
    (Birth, "pregnancy__municipality", ("child", "pregnancy__mother")),
    (Contact, "pregnancy__municipality", ("pregnancy__mother",)),
    (Benefit, "pregnancy__municipality", ("pregnancy__mother",)),
    # The visit holds the mother's EPDS and bonding answers: seen through the mother's case.
    (NewbornVisit, "unit__municipality", ("birth__pregnancy__mother",)),
    (Checkup, "municipality", ("child",)),
    (FollowStep, "checkup__municipality", ("checkup__child",)),
    (FollowUp, "municipality", ("person",)),
    (UnseenChild, "child__municipality", ("child",)),
    (PostnatalCare, "birth__pregnancy__municipality", ("birth__pregnancy__mother",)),
    (PostnatalCareUse, "care__birth__pregnancy__municipality", ("care__birth__pregnancy__mother",)),
):
    policy.register(
        model, scope=_scope(municipality_field, *persons), can_change=_keeper_may_change
    )


def _city_schedule(user, queryset):
    if user.role not in CENTER_ROLES:
        return queryset.none()
    return policy.within_municipality(user, queryset)


policy.register(CheckupKind, scope=_city_schedule, can_change=_keeper_may_change)


def _keeper_on(user, obj) -> bool:
    """A keeper, on their own city (or unit) or on a record they may see."""
    if not keeps_maternal_records(user):
        return False
    if isinstance(obj, Municipality):
        return obj.pk == user.municipality_id
    if isinstance(obj, Organisation):
        return obj.municipality_id == user.municipality_id
    return policy.can_view(user, obj)


policy.allow("maternal.view", CENTER_ROLES)
policy.allow("maternal.record", CENTER_ROLES, on=_keeper_on)
policy.allow("maternal.change", CENTER_ROLES, on=_keeper_on)
policy.allow("maternal.checkups", CENTER_ROLES, on=_keeper_on)

navigation.add(_("母子保健"), "maternal:home", "maternal.view", order=11)


def _follow_up_due(follow_up: FollowUp) -> Due:
    return Due(
        "maternal_follow_up",
        f"{follow_up.get_kind_display()}: {follow_up.person}",
        follow_up.due_on,
        None,
        url=reverse("maternal:follow_up", args=[follow_up.pk]),
    )


# What a nurse owes a mother or child comes on her due list (and her unit's).
add_due_source(
    DueSource(
        "maternal_follow_up",
        _("母子保健の要フォロー"),
        lambda viewer: policy.scope(viewer, FollowUp.objects.filter(done_on=None)).select_related(
            "person"
        ),
        case_path="case",
        due_field="due_on",
        rank_field="",
        to_due=_follow_up_due,
        owner_field="owner",
        unit_field="unit",
    )
)


def _person_panel(request, person) -> dict:
    from .selectors import person_panel

    return person_panel(request.user, person)


panels.add("person", "maternal/_person_panel.html", _person_panel, order=40)


def _home_panel(request) -> dict:
    from .selectors import home_panel

    return home_panel(request.user)


panels.add("home:center", "maternal/_home_panel.html", _home_panel, order=5)


def _timeline(viewer, case, limit: int) -> list:
    from .selectors import timeline_entries

    return timeline_entries(viewer, case, limit)


add_timeline_source(TimelineSource("maternal", _("母子保健"), _timeline))
