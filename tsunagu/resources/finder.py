"""The public finder's search: public places only, filtered by what, where, when, age or grade,
and cost, as one SQL query so that it stays fast at the national count of cafeterias.

Nothing here looks at a viewer: the public sees public entries, and nothing else, ever.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Window,
)
from django.utils.translation import get_language

from tsunagu.core.models import Municipality

from . import geo, openings, schedules
from .models import Grade, Opening, Schedule, Service, ServiceAtLocation, Visibility

# How old children of each school year are during it (April to March).
GRADE_AGES = {
    Grade.PRESCHOOL: (0, 6),
    **{Grade(f"E{n}"): (5 + n, 6 + n) for n in range(1, 7)},
    **{Grade(f"J{n}"): (11 + n, 12 + n) for n in range(1, 4)},
    **{Grade(f"H{n}"): (14 + n, 15 + n) for n in range(1, 4)},
}
METRES_PER_DEGREE = 111_195
NEXT_OPENINGS_DAYS = 62  # how far ahead a place's next openings are looked for


def public_municipality() -> Municipality | None:
    """The municipality whose directory the public pages show: the setting, else the first."""
    code = getattr(settings, "TSUNAGU_PUBLIC_MUNICIPALITY", "")
    municipalities = Municipality.objects.order_by("code")
    return (municipalities.filter(code=code) if code else municipalities).first()


def public_places():
    """Every place the public may see: a public service that has not ended."""
    return ServiceAtLocation.objects.filter(
        service__visibility=Visibility.PUBLIC,
        service__status__in=[Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED],
    )


@dataclass
class Query:
    municipality: Municipality
    categories: list[str] = field(default_factory=list)
    region: int | None = None
    school_district: int | None = None
    point: tuple[float, float] | None = None
    radius_m: int = geo.CYCLE_M
    when: str = ""  # "", now, today, week, date
    on_date: date | None = None
    age: int | None = None
    grade: str = ""
    free_only: bool = False
    moment: datetime = field(default_factory=datetime.now)

    def days(self) -> list[date]:
        today = self.moment.date()
        if self.when in ("now", "today"):
            return [today]
        if self.when == "week":
            return [today + timedelta(days=n) for n in range(7)]
        if self.when == "date" and self.on_date:
            return [self.on_date]
        return []


def _open_filter(query: Query) -> Q:
    """Places that open on one of the query's days, and at its time when asked for now."""
    days = query.days()
    if query.when == "now":
        days = [days[0] - timedelta(days=1), *days]  # last evening's hours may run till now
    openings.ensure(query.municipality.pk, query.moment.date(), days)
    found = Opening.objects.filter(day__in=days)
    if query.when == "now":
        found = found.filter(_open_at(query.moment))
    if query.region or query.school_district or query.point:
        # Few places left by where: probe each one's openings (the (place, day) index).
        return Q(Exists(found.filter(place=OuterRef("pk"))))
    # Otherwise one pass over the (day, place) index builds the set of open places.
    return Q(pk__in=found.values("place"))


def _open_at(moment: datetime) -> Q:
    """Openings that cover ``moment`` (as schedules.open_during says): today's within their
    hours, or yesterday's that run past midnight and have not yet closed."""
    at, today = moment.time(), moment.date()
    overnight = Q(closes_at__lte=F("opens_at"))
    started = Q(day=today) & (Q(opens_at=None) | Q(opens_at__lte=at))
    today_open = started & (Q(closes_at=None) | Q(closes_at__gt=at) | overnight)
    still_open = Q(day=today - timedelta(days=1)) & overnight & Q(closes_at__gt=at)
    return today_open | still_open


def _grades_of_age(age: int) -> list[str]:
    return [grade for grade, (low, high) in GRADE_AGES.items() if low <= age <= high]


def _grade_range_meets(grades: list[str]) -> Q:
    """Services whose grade range (either end open) meets the school years ``grades``, which
    follow one another (those of an age): one condition, however many years."""
    if not grades:
        return _no_grades()
    ranks = [Grade.rank(g) for g in grades]
    up_to = [g for g in Grade.values if Grade.rank(g) <= max(ranks)]
    from_ = [g for g in Grade.values if Grade.rank(g) >= min(ranks)]
    return (Q(service__grade_from="") | Q(service__grade_from__in=up_to)) & (
        Q(service__grade_to="") | Q(service__grade_to__in=from_)
    )


def _ages_include(low: int, high: int) -> Q:
    return (Q(service__minimum_age=None) | Q(service__minimum_age__lte=high)) & (
        Q(service__maximum_age=None) | Q(service__maximum_age__gte=low)
    )


def _no_grades() -> Q:
    return Q(service__grade_from="", service__grade_to="")


def _eligibility_filter(query: Query) -> Q:
    if query.grade:
        low, high = GRADE_AGES[Grade(query.grade)]
        return _ages_include(low, high) & _grade_range_meets([query.grade])
    if query.age is not None:
        return _ages_include(query.age, query.age) & _grade_range_meets(_grades_of_age(query.age))
    return Q()


def _near(places, point: tuple[float, float], radius_m: int):
    latitude, longitude = point
    places = places.filter(
        **{f"location__{k}": v for k, v in geo.bounding_box(*point, radius_m).items()}
    )
    # Planar distance on a small patch of the globe: within 0.5% of the great circle at a few km.
    scale = math.cos(math.radians(latitude))
    squared = ExpressionWrapper(
        (F("location__latitude") - latitude) * (F("location__latitude") - latitude)
        + (F("location__longitude") - longitude)
        * (F("location__longitude") - longitude)
        * (scale * scale),
        output_field=FloatField(),
    )
    limit = (radius_m / METRES_PER_DEGREE) ** 2
    return places.alias(squared_degrees=squared).filter(squared_degrees__lte=limit)


def search(query: Query):
    """The places matching ``query``, nearest first when a point is given, else by name."""
    places = public_places().filter(service__municipality=query.municipality)
    if query.categories:
        chosen = Service.categories.through.objects.filter(
            service=OuterRef("service"), category__code__in=query.categories
        )
        places = places.filter(Exists(chosen))
    if query.region:
        places = places.filter(location__region=query.region)
    if query.school_district:
        places = places.filter(location__school_district=query.school_district)
    if query.free_only:  # むりょう: free for the child, whatever the adults pay
        places = places.filter(Q(service__is_free=True) | Q(service__child_fee=0))
    places = places.filter(_eligibility_filter(query))
    if query.days():
        places = places.filter(_open_filter(query))
    if query.point:
        places = _near(places, query.point, query.radius_m).order_by("squared_degrees", "pk")
    else:
        places = places.order_by("service__name_kana", "service__name", "pk")
    return places.select_related("service", "location")


def page_of(query: Query, number: int, size: int) -> tuple[list[int], int]:
    """The ids of page ``number`` of the matches, in order, and how many matched in all.

    One query: the database counts the matches alongside the page (a window), so neither the
    filters run twice nor the other pages' ids leave the database."""
    start = (number - 1) * size
    rows = list(
        search(query)
        .annotate(total=Window(Count("pk")))
        .values_list("pk", "total")[start : start + size]
    )
    if rows:
        return [pk for pk, _ in rows], rows[0][1]
    return [], search(query).count() if start else 0


def places_in_order(ids: list[int]) -> list:
    """The places of a page, in the order of ``ids``."""
    found = ServiceAtLocation.objects.filter(pk__in=ids).select_related("service", "location")
    found = {place.pk: place for place in found}
    return [found[pk] for pk in ids if pk in found]


def temporarily_closed(place) -> bool:
    return place.service.status == Service.Status.TEMPORARILY_CLOSED


def _category_names(places) -> dict[int, list[str]]:
    """Each service's categories in the finder's words, read as plain rows: a prefetch would
    build a manager and a queryset per service."""
    names: dict[int, list[str]] = {}
    found = (
        Service.categories.through.objects.filter(service__in=[p.service_id for p in places])
        .order_by("category__order")
        .values_list("service", "category__simple_name", "category__simple_name_en")
    )
    english = get_language() == "en"
    for service_id, name, name_en in found:
        names.setdefault(service_id, []).append(name_en if english and name_en else name)
    return names


def with_openings(municipality, places, today: date, limit: int = 3) -> list[dict]:
    """Each place of a page with its categories, schedules and next openings (from the
    openings index)."""
    ids = [p.pk for p in places]
    categories = _category_names(places)
    schedules_by_place: dict[int, list] = {}
    for schedule in Schedule.objects.filter(place__in=ids):
        schedules_by_place.setdefault(schedule.place_id, []).append(schedule)
    openings.ensure(municipality.pk, today, [today])
    upcoming: dict[int, list] = {}
    ahead = Opening.objects.filter(
        place__in=ids, day__gte=today, day__lte=today + timedelta(days=NEXT_OPENINGS_DAYS)
    ).order_by("day", "opens_at")
    for place_id, *opening in ahead.values_list("place", "day", "opens_at", "closes_at", "note"):
        found = upcoming.setdefault(place_id, [])
        if len(found) < limit:
            found.append(schedules.Opening(*opening))
    return [
        {
            "place": place,
            "categories": categories.get(place.service_id, []),
            "schedules": schedules_by_place.get(place.pk, []),
            "next": upcoming.get(place.pk, []),
        }
        for place in places
    ]


def distance_text(place, point: tuple[float, float] | None) -> str:
    if not point or not place.location.has_point:
        return ""
    metres = geo.distance_m(*point, place.location.latitude, place.location.longitude)
    return f"{metres / 1000:.1f}km" if metres >= 1000 else f"{round(metres, -1):.0f}m"
