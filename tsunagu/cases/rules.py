"""Who may see and change cases (DOMAIN.md §3 and issue 5).

- Center staff: cases their unit works on (including cases shared with it), cases assigned to
  them, and a case opened by break-the-glass while that lasts.
- The supervisor: every case of the municipality.
- A cgc liaison: cases where the child guidance center is lead or co-worker; they read, and
  write only their own activities.
- Partners, providers, resource editors and administrators: no case data.

Everything that belongs to a case (intakes, activities, registrations, assessments) follows the
case; an intake not (yet) on a case is seen by the unit that received it and the supervisor. A
restricted note is read only by the workers named on it.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.access import navigation, policy
from tsunagu.core import panels
from tsunagu.core.roles import CENTER_ROLES, Role
from tsunagu.people.models import Person

from .models import (
    Activity,
    Assessment,
    Assignment,
    BreakGlass,
    Case,
    CaseOrganisation,
    CasePerson,
    CaseStatusChange,
    CaseUnit,
    ClosureRequest,
    Intake,
    IntakePerson,
    Registration,
    RestrictedNote,
    RiskRankChange,
)

CASE_ROLES = {*CENTER_ROLES, Role.CGC_LIAISON}
CGC_ROLES = (CaseOrganisation.Role.LEAD, CaseOrganisation.Role.CO_WORKER)


def _visible_case_ids(user) -> QuerySet | None:
    """The ids of the cases ``user`` may see, as one subquery (a UNION of the ways: the units
    on the case, the assignments, an open break-the-glass; for the cgc, its organisation on the
    case); None: every case of the municipality.

    Filtering ``case IN (…)`` lets both databases read the few thousand visible ids once and
    then each row's case by index; an EXISTS per way, OR-ed, was probed for every row of a long
    list (a designated city's due list: four times slower on PostgreSQL). A single case costs
    the set of ids, a millisecond or two."""
    if user.role == Role.SUPERVISOR:
        return None
    if user.role == Role.CENTER_STAFF:
        units = CaseUnit.objects.filter(unit=user.organisation_id, until=None)
        assigned = Assignment.objects.filter(worker=user.pk, until=None)
        glass = BreakGlass.objects.filter(user=user.pk, expires_at__gt=timezone.now())
        # A compound SELECT takes no ORDER BY in its parts (BreakGlass has a default one).
        return _ids(units).union(_ids(assigned), _ids(glass))
    if user.role == Role.CGC_LIAISON:
        return _ids(
            CaseOrganisation.objects.filter(
                organisation=user.organisation_id, role__in=CGC_ROLES, until=None
            )
        )
    return Case.objects.none().values("pk")


def _ids(links: QuerySet) -> QuerySet:
    return links.order_by().values("case")


def case_filter(user, prefix: str = "") -> Q | None:
    """The cases ``user`` may see, as a filter on ``prefix`` + case fields; None: all of the
    municipality; a filter that matches nothing when none."""
    ids = _visible_case_ids(user)
    return None if ids is None else Q(**{f"{prefix}pk__in": ids})


def _case_scope(prefix: str, municipality_field: str):
    def scope(user, queryset):
        if user.role not in CASE_ROLES:
            return queryset.none()
        queryset = policy.within_municipality(user, queryset, municipality_field)
        allowed = case_filter(user, prefix)
        return queryset if allowed is None else queryset.filter(allowed)

    return scope


def follows_case(prefix: str, outside_role: Role | None = None, organisation_path: str = ""):
    """A scope for the rows of a case held with an outside organisation (a partner's watch
    report, a provider's use): center staff see the rows of the cases they see;
    ``outside_role``'s users, the rows whose ``organisation_path`` is their organisation."""

    def scope(user, queryset):
        if outside_role and user.role == outside_role:
            return queryset.filter(**{organisation_path: user.organisation_id})
        if user.role not in CENTER_ROLES:
            return queryset.none()
        queryset = policy.within_municipality(user, queryset, f"{prefix}municipality")
        allowed = case_filter(user, prefix)
        return queryset if allowed is None else queryset.filter(allowed)

    return scope


def works_on(user, case_id) -> bool:
    """Whether ``user`` works on the case, and so may write on it: the supervisor, or center
    staff whose unit is on it or who are assigned. Break-the-glass (緊急閲覧) only reads; a cgc
    liaison writes only activities (see ``may_record_activity``)."""
    if user.role == Role.SUPERVISOR:
        return Case.objects.filter(pk=case_id, municipality_id=user.municipality_id).exists()
    if user.role != Role.CENTER_STAFF or case_id is None:
        return False
    return (
        CaseUnit.objects.filter(case=case_id, unit=user.organisation_id, until=None).exists()
        or Assignment.objects.filter(case=case_id, worker=user.pk, until=None).exists()
    )


def may_record_activity(user, case) -> bool:
    """Center staff who work on the case, and the cgc when it leads or works on it."""
    if user.role == Role.CGC_LIAISON:
        return CaseOrganisation.objects.filter(
            case=case, organisation=user.organisation_id, role__in=CGC_ROLES, until=None
        ).exists()
    return works_on(user, case.pk)


def _case_id(obj):
    return obj.pk if isinstance(obj, Case) else obj.case_id


def _center_may_change(user, obj) -> bool:
    return user.role in CENTER_ROLES and works_on(user, _case_id(obj))


def _intake_may_change(user, intake) -> bool:
    """An intake on a case follows the case; one not (yet) on a case, the unit that has it."""
    if user.role not in CENTER_ROLES:
        return False
    return intake.case_id is None or works_on(user, intake.case_id)


def _intake_scope(user, queryset):
    if user.role not in CASE_ROLES:
        return queryset.none()
    queryset = policy.within_municipality(user, queryset)
    if user.role == Role.SUPERVISOR:
        return queryset
    allowed = case_filter(user, "case__")
    if user.role == Role.CENTER_STAFF:
        allowed |= Q(unit=user.organisation_id) | Q(received_by=user.pk)
    return queryset.filter(allowed)


def _activity_may_change(user, activity) -> bool:
    if user.role == Role.CGC_LIAISON:
        return activity.author_id == user.pk
    return _center_may_change(user, activity)


def _restricted_scope(user, queryset):
    if user.role not in CENTER_ROLES:
        return queryset.none()
    queryset = policy.within_municipality(user, queryset, "case__municipality")
    return queryset.filter(Q(readers=user.pk) | Q(written_by=user.pk)).distinct()


policy.register(Case, scope=_case_scope("", "municipality"), can_change=_center_may_change)
for _model in (
    CaseStatusChange,
    ClosureRequest,
    RiskRankChange,
    CasePerson,
    CaseUnit,
    Assignment,
    CaseOrganisation,
    Registration,
    Assessment,
):
    policy.register(
        _model, scope=_case_scope("case__", "case__municipality"), can_change=_center_may_change
    )
policy.register(
    Activity,
    scope=_case_scope("case__", "case__municipality"),
    can_change=_activity_may_change,
)
policy.register(Intake, scope=_intake_scope, can_change=_intake_may_change)
policy.register(
    IntakePerson,
    scope=lambda user, queryset: queryset.filter(
        intake__in=_intake_scope(user, Intake.objects.all())
    ),
    can_change=lambda user, link: _intake_may_change(user, link.intake),
)
policy.register(RestrictedNote, scope=_restricted_scope, can_change=_center_may_change)
policy.register(
    BreakGlass,
    scope=lambda user, queryset: (
        policy.within_municipality(user, queryset, "case__municipality")
        if user.role == Role.SUPERVISOR
        else queryset.filter(user=user.pk)
    ),
)


def _persons_of_cgc_cases(user, queryset):
    """A cgc liaison sees the persons of the cases the cgc works on (center staff see the persons
    of their cases already: the units on a case hold records about its persons)."""
    if user.role != Role.CGC_LIAISON:
        return queryset.none()
    cases = policy.within_municipality(user, Case.objects.all()).filter(case_filter(user))
    return policy.within_municipality(user, queryset).filter(case_roles__case__in=cases).distinct()


policy.extend(Person, scope=_persons_of_cgc_cases)

policy.allow("cases.intake", CENTER_ROLES)
policy.allow("cases.view", CASE_ROLES)
policy.allow("cases.change", CENTER_ROLES)
policy.allow("cases.activity", CASE_ROLES, on=may_record_activity)
policy.allow("cases.register", CENTER_ROLES)
policy.allow("cases.register_export", CENTER_ROLES)
policy.allow(
    "cases.break_glass",
    {Role.CENTER_STAFF},
    on=lambda user, case: case.municipality_id == user.municipality_id,
)
# Its author corrects an activity (the 24-hour window is the activity's own rule).
policy.allow(
    "cases.activity_correct",
    CASE_ROLES,
    on=lambda user, activity: activity.author_id == user.pk and policy.can_view(user, activity),
)
policy.allow("cases.audit", {Role.SUPERVISOR})
# The supervisor approves closures (DOMAIN.md §3): staff ask, with the reason.
policy.allow(
    "cases.approve_closure",
    {Role.SUPERVISOR},
    on=lambda user, case: case.municipality_id == user.municipality_id,
)

navigation.add(_("相談受付"), "cases:intake_create", "cases.intake", order=10)
navigation.add(_("ケース"), "cases:case_list", "cases.view", order=12)
navigation.add(_("期限の近い対応"), "cases:due_list", "cases.view", order=14)
navigation.add(_("進行管理台帳"), "cases:register", "cases.register", order=16)
navigation.add(_("終結の承認"), "cases:closure_list", "cases.approve_closure", order=18)
navigation.add(_("緊急閲覧の一覧"), "cases:break_glass_list", "cases.audit", order=90)


def _today(request: object) -> dict:
    from .homes import today  # selectors read the policy this module is still filling

    return today(request)


def _person_cases(request: object, person: Person) -> dict:
    from .selectors import cases_of_person

    return vars(cases_of_person(request.user, person))


# The center's home shows the worker's day; a person's page lists the cases and intakes the
# viewer may see (and says that others exist).
panels.add("home:center", "cases/_home_today.html", _today)
panels.add("person", "cases/_person_cases.html", _person_cases)
