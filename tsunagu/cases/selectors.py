"""Reading cases for a viewer: every function takes the viewer and applies the access policy."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Max, Q, QuerySet
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
    ClosureRequest,
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
    overdue: bool = False
    rank: str = ""
    url: str = ""  # where the item is handled, when that is not its case's page

    @property
    def order(self) -> tuple:
        """What must happen first: open safety checks, then what is overdue, the most severe
        case and the oldest first, then what comes next, soonest first."""
        if self.kind == "safety_check":
            return (0, 0, _as_datetime(self.due))
        if self.overdue:
            return (1, RANK_ORDER.get(self.rank, len(RANK_ORDER)), _as_datetime(self.due))
        return (2, 0, _as_datetime(self.due))


RANK_ORDER = {rank: index for index, rank in enumerate(Case.Rank.values)}


@dataclass(frozen=True)
class DueSource:
    """One kind of item on the due list (期限の近い対応). Apps above cases add theirs (a
    conference's action items) with ``add_due_source`` from their rules.py.

    - ``rows(viewer)``: the open items the viewer may see (the policy applied), items of
      closed cases left out;
    - ``case_path``: the path from a row to its case ("" when the rows are cases);
    - ``due_field`` / ``rank_field``: the date or time it is due, and the case's rank ("" to
      order by the date alone);
    - ``to_due(row)``: the row as a Due;
    - ``owner_field``: whose item it is, when that is not "the workers assigned to the case";
    - ``unit_field``: the unit holding an item not yet on a case.
    """

    kind: str
    label: str
    rows: Callable[[User], QuerySet]
    case_path: str
    due_field: str
    rank_field: str
    to_due: Callable[[object], Due]
    owner_field: str = ""
    unit_field: str = ""

    def mine(self, worker: int) -> Q:
        if self.owner_field:
            return Q(**{self.owner_field: worker})
        assigned = Assignment.objects.filter(worker=worker, until=None)
        return Q(**{f"{self._case_pk}__in": assigned.values("case")})

    def in_unit(self, unit: int) -> Q:
        units = CaseUnit.objects.filter(unit=unit, until=None)
        in_unit = Q(**{f"{self._case_pk}__in": units.values("case")})
        if self.unit_field:
            in_unit |= Q(**{f"{self.case_path}": None, self.unit_field: unit})
        return in_unit

    @property
    def _case_pk(self) -> str:
        return f"{self.case_path}__pk" if self.case_path else "pk"

    def first_rows(self, queryset: QuerySet, today: date, limit: int) -> list:
        """The first ``limit`` rows in Due.order: overdue first, by the case's rank (A to D,
        then none), each by date; then what comes next, by date.

        Read rank by rank, each ``ORDER BY`` date with a LIMIT, until enough: the database
        walks an index and stops early (or starts from the few cases of a rare rank) instead
        of sorting every open item of a designated city (10,000 and more)."""
        if not self.rank_field:
            return list(queryset.order_by(self.due_field)[:limit])
        overdue = Q(**{f"{self.due_field}__lt": today})
        rows = []
        for rank in [*RANK_ORDER, ""]:
            if len(rows) >= limit:
                return rows
            ranked = queryset.filter(overdue, **{self.rank_field: rank})
            rows += ranked.order_by(self.due_field)[: limit - len(rows)]
        coming = queryset.filter(**{f"{self.due_field}__gte": today})
        return rows + list(coming.order_by(self.due_field)[: limit - len(rows)])


DUE_SOURCES: dict[str, DueSource] = {}


def add_due_source(source: DueSource) -> None:
    DUE_SOURCES[source.kind] = source


def due_kinds() -> dict[str, str]:
    """Each kind of due item and its label, in the list's order."""
    return {kind: source.label for kind, source in DUE_SOURCES.items()}


@dataclass
class DueFilters:
    kind: str = ""
    worker: int | None = None
    unit: int | None = None


def _overdue(due: datetime | date, now: datetime) -> bool:
    if isinstance(due, datetime):
        return due < now
    return due < now.date()


class DueItems:
    """The open items of each kind the viewer may see, narrowed to the filters' worker and
    unit: built once, then counted and listed (the due list and the home page do both, and
    building the querysets costs as much as a query)."""

    def __init__(self, viewer: User, filters: DueFilters | None = None) -> None:
        self.filters = filters or DueFilters()
        self._totals: dict[str, int] = {}
        self.querysets = {}
        for kind, source in DUE_SOURCES.items():
            queryset = source.rows(viewer)
            if self.filters.worker:
                queryset = queryset.filter(source.mine(self.filters.worker))
            if self.filters.unit:
                queryset = queryset.filter(source.in_unit(self.filters.unit))
            self.querysets[kind] = queryset

    def narrowed_as(self, filters: DueFilters) -> bool:
        return (self.filters.worker, self.filters.unit) == (filters.worker, filters.unit)

    def counts(self) -> dict[str, int]:
        """How many open items of each kind (``due_kinds``): a kind ``first`` listed in full is
        counted already."""
        return {
            kind: self._totals[kind] if kind in self._totals else queryset.count()
            for kind, queryset in self.querysets.items()
        }

    def first(self, limit: int = 200, kind: str = "") -> list[Due]:
        """The first ``limit`` items in Due.order, of every kind or of ``kind``."""
        now = timezone.now()
        today = timezone.localdate()
        items = []
        for name, queryset in self.querysets.items():
            if kind in DUE_SOURCES and name != kind:
                continue
            source = DUE_SOURCES[name]
            rows = source.first_rows(queryset, today, limit)
            if len(rows) < limit:  # all of them: counted without a query
                self._totals[name] = len(rows)
            items += [source.to_due(row) for row in rows]
        for item in items:
            item.overdue = _overdue(item.due, now)
        return sorted(items, key=lambda item: item.order)[:limit]


def due_counts(viewer: User, filters: DueFilters | None = None) -> dict[str, int]:
    """How many open items of each kind (``due_kinds``) the viewer has, with the filters."""
    return DueItems(viewer, filters).counts()


def due_for(viewer: User, limit: int = 200, filters: DueFilters | None = None) -> list[Due]:
    """The items the viewer is responsible for, of every kind, in Due.order: the first
    ``limit`` (pass more to page further). Items of closed cases are left out."""
    filters = filters or DueFilters()
    return DueItems(viewer, filters).first(limit, filters.kind)


_CLOSED = Case.Status.CLOSED
add_due_source(
    DueSource(
        "safety_check",
        _("安全確認"),
        lambda viewer: policy.scope(
            viewer,
            Intake.objects.filter(
                is_abuse_report=True, safety_checked_at=None, safety_check_due__isnull=False
            ).exclude(case__status=_CLOSED),
        ).select_related("case"),
        case_path="case",
        due_field="safety_check_due",
        rank_field="",
        to_due=lambda i: Due("safety_check", f"安全確認 {i.number}", i.safety_check_due, i.case),
        unit_field="unit",
    )
)
add_due_source(
    DueSource(
        "next_action",
        _("次の対応"),
        lambda viewer: (
            policy.scope(
                viewer,
                Activity.objects.filter(next_action_done=False, next_action_due__isnull=False),
            )
            .exclude(case__status=_CLOSED)
            .select_related("case")
        ),
        case_path="case",
        due_field="next_action_due",
        rank_field="case__risk_rank",
        to_due=lambda a: Due(
            "next_action", a.next_action, a.next_action_due, a.case, rank=a.case.risk_rank
        ),
    )
)
add_due_source(
    DueSource(
        "review",
        _("進行管理"),
        lambda viewer: policy.scope(
            viewer, Case.objects.filter(next_review_on__isnull=False).exclude(status=_CLOSED)
        ),
        case_path="",
        due_field="next_review_on",
        rank_field="risk_rank",
        to_due=lambda c: Due("review", "進行管理", c.next_review_on, c, rank=c.risk_rank),
    )
)


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

    @classmethod
    def dated(cls, kind: str, day: date, title: str, body: str, obj: object) -> "Entry":
        """An entry known only to the day."""
        return cls(kind, _as_datetime(day), title, body, obj, dated_only=True)


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
    for kind, source in TIMELINE_SOURCES.items():
        if wanted(kind):
            entries += source.entries(viewer, case, limit)
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


@dataclass(frozen=True)
class TimelineSource:
    """Entries an app above cases puts on the case timeline (a partner's watch reports):
    ``entries(viewer, case, limit)`` gives the ``limit`` newest the viewer may see."""

    kind: str
    label: str
    entries: Callable[[User, Case, int], list[Entry]]


TIMELINE_SOURCES: dict[str, TimelineSource] = {}


def add_timeline_source(source: TimelineSource) -> None:
    TIMELINE_SOURCES[source.kind] = source


def timeline_kinds() -> dict[str, str]:
    """Each kind of timeline entry and its label, for the filter."""
    kinds = {
        "intake": _("受付"),
        "activity": _("支援記録"),
        "assessment": _("アセスメント"),
        "registration": _("要対協登録"),
        "status": _("状況・ランク"),
    }
    return kinds | {kind: source.label for kind, source in TIMELINE_SOURCES.items()}


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


def closure_requests_for(viewer: User) -> QuerySet:
    """Closure requests (終結の申請) of the cases the viewer may see."""
    requests = policy.scope(viewer, ClosureRequest.objects.all())
    return requests.select_related("case", "requested_by", "decided_by")


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
