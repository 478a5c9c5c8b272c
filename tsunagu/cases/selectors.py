"""Reading cases for a viewer: every function takes the viewer and applies the access policy."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Case as DbCase
from django.db.models import Count, Max, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.access import policy
from tsunagu.accounts.models import User
from tsunagu.audit.models import AccessLog
from tsunagu.core.roles import CENTER_ROLES, Role
from tsunagu.people.matching import normalise
from tsunagu.people.models import Person

from .models import (
    Activity,
    Assessment,
    Assignment,
    BreakGlass,
    Case,
    CasePerson,
    CaseUnit,
    Intake,
    Registration,
    RestrictedNote,
)


def cases_for(viewer: User, *, text: str = "", status: str = "", mine: bool = False) -> QuerySet:
    """Cases the viewer may see, newest change first; ``text`` matches a case number or the
    name of a person on the case (kanji or kana, variants folded)."""
    cases = policy.scope(viewer, Case.objects.all())
    if status:
        cases = cases.filter(status=status)
    if mine:
        cases = cases.filter(assignments__worker=viewer, assignments__until=None)
    for word in normalise.nfkc(text).split():
        on_cases = CasePerson.objects.filter(_named(word)).values("case")
        cases = cases.filter(
            Q(number__icontains=word) | Q(title__icontains=word) | Q(pk__in=on_cases)
        )
    return cases.distinct().order_by("-updated_at", "-pk")


def _starts_with(field: str, prefix: str) -> Q:
    # A range rather than LIKE 'x%': both databases then read it from the name-key indexes.
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})


def _named(word: str, prefix: str = "") -> Q:
    """Persons whose family or given name, or its reading, starts with the word."""
    reading = normalise.reading_key(word)
    match = Q(pk__in=[])
    for kanji in _confusable_spellings(normalise.kanji_key(word)):
        match |= _starts_with(prefix + "key_family", kanji)
        match |= _starts_with(prefix + "key_given", kanji)
    if reading:
        match |= _starts_with(prefix + "key_family_reading", reading)
        match |= _starts_with(prefix + "key_given_reading", reading)
    return match


LARGEST_SPELLING_SET = 16


def _confusable_spellings(kanji: str) -> list[str]:
    """The key and its spellings with often-confused kanji swapped (斉藤 → 斉藤, 斎藤): a worker
    who types the one finds the other. At most LARGEST_SPELLING_SET spellings."""
    spellings = [kanji] if kanji else []
    for position, char in enumerate(kanji):
        group = next((g for g in normalise.CONFUSED_KANJI if char in g), "")
        spellings += [
            spelling[:position] + other + spelling[position + 1 :]
            for spelling in spellings
            for other in group
            if other != char
        ]
    return list(dict.fromkeys(spellings))[:LARGEST_SPELLING_SET]


@dataclass
class Due:
    kind: str
    label: str
    due: datetime | date
    case: Case | None
    overdue: bool
    rank: str = ""

    @property
    def order(self) -> tuple:
        """What must happen first: open safety checks, then what is overdue, the most severe
        case and the oldest first, then what comes next, soonest first."""
        if self.kind == "safety_check":
            return (0, 0, _as_datetime(self.due))
        if self.overdue:
            return (1, RANK_ORDER.get(self.rank, len(RANK_ORDER)), _as_datetime(self.due))
        return (2, 0, _as_datetime(self.due))


DUE_KINDS = {
    "safety_check": _("安全確認"),
    "next_action": _("次の対応"),
    "review": _("進行管理"),
}
RANK_ORDER = {rank: index for index, rank in enumerate(Case.Rank.values)}


@dataclass
class DueFilters:
    kind: str = ""
    worker: int | None = None
    unit: int | None = None


def _overdue(due: datetime | date, now: datetime) -> bool:
    if isinstance(due, datetime):
        return due < now
    return due < now.date()


def _in_db_order(queryset: QuerySet, due_field: str, today: date, rank_field: str) -> QuerySet:
    """The queryset in Due.order (overdue first, by rank, then by date), so that the first
    ``limit`` rows of each kind are enough to merge a page."""
    overdue = Q(**{f"{due_field}__lt": today})
    rank_order = DbCase(
        *(When(overdue & Q(**{rank_field: rank}), then=Value(i)) for rank, i in RANK_ORDER.items()),
        When(overdue, then=Value(len(RANK_ORDER))),
        default=Value(0),
    )
    group = DbCase(When(overdue, then=Value(1)), default=Value(2))
    return queryset.order_by(group, rank_order, due_field)


def _due_querysets(viewer: User, filters: DueFilters) -> dict[str, QuerySet]:
    """The open items of each kind the viewer may see; an item of a closed case is closed."""
    closed = Case.Status.CLOSED
    intakes = policy.scope(
        viewer,
        Intake.objects.filter(
            is_abuse_report=True, safety_checked_at=None, safety_check_due__isnull=False
        ).exclude(case__status=closed),
    ).select_related("case")
    actions = (
        policy.scope(
            viewer, Activity.objects.filter(next_action_done=False, next_action_due__isnull=False)
        )
        .exclude(case__status=closed)
        .select_related("case")
    )
    reviews = policy.scope(
        viewer, Case.objects.filter(next_review_on__isnull=False).exclude(status=closed)
    )
    querysets = {"safety_check": intakes, "next_action": actions, "review": reviews}
    for kind, queryset in querysets.items():
        prefix = "" if kind == "review" else "case__"
        if filters.worker:
            assigned = Assignment.objects.filter(worker=filters.worker, until=None)
            queryset = queryset.filter(**{f"{prefix}pk__in": assigned.values("case")})
        if filters.unit:
            units = CaseUnit.objects.filter(unit=filters.unit, until=None)
            in_unit = Q(**{f"{prefix}pk__in": units.values("case")})
            if kind == "safety_check":
                in_unit |= Q(case=None, unit=filters.unit)  # not yet on a case
            queryset = queryset.filter(in_unit)
        querysets[kind] = queryset
    return querysets


def due_counts(viewer: User, filters: DueFilters | None = None) -> dict[str, int]:
    """How many open items of each kind (DUE_KINDS) the viewer has, with the filters."""
    querysets = _due_querysets(viewer, filters or DueFilters())
    return {kind: querysets[kind].count() for kind in DUE_KINDS}


def due_for(viewer: User, limit: int = 200, filters: DueFilters | None = None) -> list[Due]:
    """Safety checks, next actions and reviews the viewer is responsible for, in Due.order:
    the first ``limit`` (pass more to page further). Items of closed cases are left out."""
    filters = filters or DueFilters()
    now = timezone.now()
    today = timezone.localdate()
    querysets = _due_querysets(viewer, filters)
    wanted = [filters.kind] if filters.kind in DUE_KINDS else list(DUE_KINDS)
    items = []
    if "safety_check" in wanted:
        items += [
            Due("safety_check", f"安全確認 {i.number}", i.safety_check_due, i.case, False)
            for i in querysets["safety_check"].order_by("safety_check_due")[:limit]
        ]
    if "next_action" in wanted:
        actions = _in_db_order(
            querysets["next_action"], "next_action_due", today, "case__risk_rank"
        )
        items += [
            Due("next_action", a.next_action, a.next_action_due, a.case, False, a.case.risk_rank)
            for a in actions[:limit]
        ]
    if "review" in wanted:
        reviews = _in_db_order(querysets["review"], "next_review_on", today, "risk_rank")
        items += [
            Due("review", "進行管理", c.next_review_on, c, False, c.risk_rank)
            for c in reviews[:limit]
        ]
    for item in items:
        item.overdue = _overdue(item.due, now)
    return sorted(items, key=lambda item: item.order)[:limit]


def _as_datetime(value: str) -> datetime:
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, time.min))


@dataclass
class Entry:
    """One line of the case timeline."""

    kind: str
    at: datetime
    title: str
    body: str
    obj: object
    # Known only to the day (an assessment, a registration): shown without a time, and listed
    # after that day's timed entries.
    dated_only: bool = False


def timeline_for(
    viewer: User, case: Case, kinds: set[str] | None = None, limit: int = 100
) -> list[Entry]:
    """What happened on the case, newest first, of the chosen kinds: the ``limit`` newest."""
    entries: list[Entry] = []

    def wanted(kind: str) -> bool:
        return not kinds or kind in kinds

    if wanted("intake"):
        intakes = policy.scope(viewer, case.intakes.select_related("category"))
        for intake in intakes.order_by("-received_at")[:limit]:
            entries.append(
                Entry(
                    "intake", intake.received_at, f"受付 {intake.category}", intake.summary, intake
                )
            )
    if wanted("activity"):
        activities = policy.scope(viewer, case.activities.select_related("author", "amends"))
        for activity in activities.order_by("-occurred_at")[:limit]:
            title = activity.get_kind_display() + ("(訂正)" if activity.amends_id else "")
            entries.append(
                Entry("activity", activity.occurred_at, title, activity.content, activity)
            )
    if wanted("assessment"):
        assessments = policy.scope(viewer, case.assessments.select_related("form"))
        for assessment in assessments.order_by("-assessed_on")[:limit]:
            at = _as_datetime(assessment.assessed_on)
            entries.append(
                Entry("assessment", at, assessment.form.title, assessment.level, assessment, True)
            )
    if wanted("registration"):
        for registration in policy.scope(viewer, case.registrations.select_related("person")):
            at = _as_datetime(registration.registered_on)
            title = f"要対協登録 {registration.get_category_display()}"
            entries.append(
                Entry("registration", at, title, str(registration.person), registration, True)
            )
    if wanted("status"):
        for change in case.status_changes.all():
            entries.append(
                Entry(
                    "status", change.changed_at, change.get_status_display(), change.reason, change
                )
            )
        for change in case.rank_changes.all():
            entries.append(
                Entry("status", change.changed_at, f"ランク {change.rank}", change.reason, change)
            )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


def latest_assessments(viewer: User, case: Case) -> list[Assessment]:
    """The newest assessment of each form kind."""
    latest = {}
    for assessment in policy.scope(viewer, case.assessments.select_related("form")):
        latest.setdefault(assessment.form.kind, assessment)
    return list(latest.values())


def restricted_notes_for(viewer: User, case: Case) -> QuerySet:
    notes = policy.scope(viewer, RestrictedNote.objects.filter(case=case))
    return notes.select_related("written_by").prefetch_related("readers").order_by("written_at")


def register_for(viewer: User) -> QuerySet:
    """The council register (進行管理台帳): every open registration the viewer may see."""
    registrations = policy.scope(viewer, Registration.objects.filter(ended_on=None))
    return registrations.select_related("case", "person").order_by(
        "case__risk_rank", "case__number", "pk"
    )


@dataclass
class Looked:
    """One person's reads of a case on one day for one purpose."""

    user: User
    day: date
    purpose: str
    count: int
    last: datetime


def viewers_of(viewer: User, case: Case, limit: int = 50) -> list[Looked]:
    """Who looked at the case (for the supervisor): one row per person, day and purpose, with
    how many times, newest first."""
    if not policy.allowed(viewer, "cases.audit") or not policy.can_view(viewer, case):
        return []
    rows = (
        AccessLog.objects.filter(object_type="cases.case", object_id=str(case.pk))
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("user", "day", "purpose")
        .annotate(count=Count("id"), last=Max("at"))
        .order_by("-last")[:limit]
    )
    users = User.objects.in_bulk({row["user"] for row in rows})
    return [Looked(users[r["user"]], r["day"], r["purpose"], r["count"], r["last"]) for r in rows]


def break_glass_for(viewer: User) -> QuerySet:
    """Break-the-glass openings the viewer may review (all, for the supervisor)."""
    return policy.scope(viewer, BreakGlass.objects.all()).select_related("user", "case")


def center_staff(viewer: User) -> QuerySet:
    """The center's active staff of the viewer's municipality, to choose as participants,
    workers or readers."""
    return User.objects.filter(
        organisation__municipality_id=viewer.municipality_id,
        role__in=CENTER_ROLES,
        is_active=True,
    ).order_by("display_name_kana", "username")


def case_staff(viewer: User, case: Case) -> QuerySet:
    """Staff who may be named on a restricted note: those of the units on the case, the
    workers assigned to it, and the supervisors."""
    units = case.units.filter(until=None).values("unit")
    workers = case.assignments.filter(until=None).values("worker")
    return center_staff(viewer).filter(
        Q(organisation__in=units) | Q(pk__in=workers) | Q(role=Role.SUPERVISOR)
    )


@dataclass
class PersonCases:
    """A person's cases and intakes as one viewer may see them; ``hidden`` counts the cases
    others work on (the page says there are some, never which)."""

    person: object
    cases: list
    intakes: list
    hidden: int


def cases_of_person(viewer: User, person: Person) -> PersonCases:
    """The cases (open first, newest first) and the intakes not on a case that concern the
    person, as the viewer may see them."""
    all_cases = Case.objects.filter(persons__person=person).distinct()
    seen = policy.scope(viewer, all_cases).order_by("-opened_on", "-pk")
    cases = sorted(seen, key=lambda case: case.status == Case.Status.CLOSED)  # stable
    intakes = policy.scope(
        viewer, Intake.objects.filter(persons__person=person, case=None).distinct()
    ).order_by("-received_at")
    return PersonCases(person, cases, list(intakes), all_cases.count() - len(cases))


def case_behind_glass(viewer: User, pk: int) -> Case | None:
    """The case the viewer may open only by breaking the glass (緊急閲覧): one of the
    municipality that the viewer cannot see but may break the glass on; None otherwise."""
    case = Case.objects.filter(pk=pk).first()
    if case is None or policy.can_view(viewer, case):
        return None
    return case if policy.may(viewer, "cases.break_glass", case) else None
