"""The finder's index of openings: every day each place opens, from its schedules, for the
weeks ahead. Kept current when a schedule changes (signals) and rolled forward when the days
asked for leave the computed window, so "open today / this week / now" is one indexed lookup.
"""

from datetime import date, timedelta

from django.db import transaction

from . import schedules
from .models import Opening, OpeningHorizon, Schedule, ServiceAtLocation

HORIZON_DAYS = 92
REFRESH_MARGIN_DAYS = 14
FARTHEST_DAYS = 366  # a date search reaches a year ahead
BATCH = 5000


def _rows(place_id: int, place_schedules: list, first: date, last: date) -> list[Opening]:
    return [
        Opening(
            place_id=place_id, day=o.day, opens_at=o.opens_at, closes_at=o.closes_at, note=o.note
        )
        for o in schedules.openings_between(place_schedules, first, last)
    ]


def _window(municipality_id: int) -> tuple[date, date] | None:
    horizon = OpeningHorizon.objects.filter(municipality_id=municipality_id).first()
    return (horizon.first_day, horizon.last_day) if horizon else None


def refresh_place(place_id: int) -> None:
    """Recompute one place's openings (its schedules changed)."""
    place = ServiceAtLocation.objects.filter(pk=place_id).values("service__municipality").first()
    if place is None:
        return
    window = _window(place["service__municipality"])
    if window is None:
        return  # computed for the whole municipality at its first search
    Opening.objects.filter(place_id=place_id).delete()
    rows = _rows(place_id, list(Schedule.objects.filter(place_id=place_id)), *window)
    Opening.objects.bulk_create(rows, batch_size=BATCH)


def refresh_places(municipality_id: int, place_ids: list[int]) -> None:
    """Recompute the openings of some places of a municipality (an import wrote them)."""
    window = _window(municipality_id)
    if window is None:
        return  # computed for the whole municipality at its first search
    Opening.objects.filter(place_id__in=place_ids).delete()
    by_place: dict[int, list] = {pk: [] for pk in place_ids}
    for schedule in Schedule.objects.filter(place_id__in=place_ids):
        by_place[schedule.place_id].append(schedule)
    rows = [r for pid, found in by_place.items() for r in _rows(pid, found, *window)]
    Opening.objects.bulk_create(rows, batch_size=BATCH)


@transaction.atomic
def refresh_municipality(municipality_id: int, first: date, last: date) -> int:
    """Recompute every place's openings of a municipality for ``first``–``last``."""
    places = ServiceAtLocation.objects.filter(service__municipality=municipality_id)
    Opening.objects.filter(place__in=places).delete()
    by_place: dict[int, list] = {}
    for schedule in Schedule.objects.filter(place__in=places):
        by_place.setdefault(schedule.place_id, []).append(schedule)
    rows = [r for pid, found in by_place.items() for r in _rows(pid, found, first, last)]
    Opening.objects.bulk_create(rows, batch_size=BATCH)
    OpeningHorizon.objects.update_or_create(
        municipality_id=municipality_id, defaults={"first_day": first, "last_day": last}
    )
    return len(rows)


def ensure(municipality_id: int, today: date, days: list[date]) -> None:
    """Make sure the openings of ``days`` are computed (rolling the window forward). The window
    starts the day before today: last evening's hours may run past midnight into now."""
    window = _window(municipality_id)
    first = min([today - timedelta(days=1), *days])
    wanted_last = max([today + timedelta(days=REFRESH_MARGIN_DAYS), *days])
    if window and window[0] <= first and window[1] >= wanted_last:
        return
    last = max(today + timedelta(days=HORIZON_DAYS), *days)
    refresh_municipality(municipality_id, first, last)
