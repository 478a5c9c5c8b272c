"""The finder's index of openings: every day each place opens, from its schedules, for the
weeks ahead. Kept current when a schedule changes (signals) and rolled forward when the days
asked for leave the computed window, so "open today / this week / now" is one indexed lookup.
"""

from datetime import date, timedelta

from django.db import connection, transaction

from . import schedules
from .models import Opening, OpeningHorizon, Schedule, ServiceAtLocation

HORIZON_DAYS = 92
REFRESH_MARGIN_DAYS = 14
FARTHEST_DAYS = 366  # a date search reaches a year ahead
BATCH = 5000


def _rows(place_id: int, place_schedules: list, first: date, last: date) -> list[tuple]:
    """The index rows of one place, as the database takes them (place, day, hours, note)."""
    ops = connection.ops
    return [
        (
            place_id,
            ops.adapt_datefield_value(o.day),
            ops.adapt_timefield_value(o.opens_at),
            ops.adapt_timefield_value(o.closes_at),
            o.note,
        )
        for o in schedules.openings_between(place_schedules, first, last)
    ]


def _insert(rows: list[tuple]) -> None:
    """Write index rows in one statement per batch: the index is derived data (no history, no
    model behaviour), and at a prefecture's size it is millions of rows, which model
    instances made five times slower to write."""
    table = connection.ops.quote_name(Opening._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(Opening._meta.get_field(name).column)
        for name in ("place", "day", "opens_at", "closes_at", "note")
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: the fastest way in, by far
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608 - names from the model
                rows[start : start + BATCH],
            )


def computed_days(municipality_id: int) -> tuple[date, date] | None:
    """The first and last day of the municipality's index; None before its first search."""
    horizon = OpeningHorizon.objects.filter(municipality_id=municipality_id).first()
    return (horizon.first_day, horizon.last_day) if horizon else None


def refresh_place(place_id: int) -> None:
    """Recompute one place's openings (its schedules changed)."""
    place = ServiceAtLocation.objects.filter(pk=place_id).values("service__municipality").first()
    if place is None:
        return
    window = computed_days(place["service__municipality"])
    if window is None:
        return  # computed for the whole municipality at its first search
    replace_rows([place_id], rows_of([place_id], window))


def _rows_of_schedules(found, first: date, last: date) -> list[tuple]:
    by_place: dict[int, list] = {}
    for schedule in found:
        by_place.setdefault(schedule.place_id, []).append(schedule)
    return [r for pid, rows in by_place.items() for r in _rows(pid, rows, first, last)]


def rows_of(place_ids: list[int], window: tuple[date, date]) -> list[tuple]:
    """The index rows of some places for the days of ``window`` (reading only)."""
    return _rows_of_schedules(Schedule.objects.filter(place_id__in=place_ids), *window)


def replace_rows(place_ids: list[int], rows: list[tuple]) -> None:
    """The places' index rows become ``rows`` (computed by rows_of)."""
    Opening.objects.filter(place_id__in=place_ids).delete()
    _insert(rows)


@transaction.atomic
def refresh_municipality(municipality_id: int, first: date, last: date) -> int:
    """Recompute every place's openings of a municipality for ``first``–``last``."""
    places = ServiceAtLocation.objects.filter(service__municipality=municipality_id)
    Opening.objects.filter(place__in=places).delete()
    rows = _rows_of_schedules(Schedule.objects.filter(place__in=places), first, last)
    _insert(rows)
    OpeningHorizon.objects.update_or_create(
        municipality_id=municipality_id, defaults={"first_day": first, "last_day": last}
    )
    return len(rows)


def ensure(municipality_id: int, today: date, days: list[date]) -> None:
    """Make sure the openings of ``days`` are computed (rolling the window forward). The window
    starts the day before today: last evening's hours may run past midnight into now."""
    window = computed_days(municipality_id)
    first = min([today - timedelta(days=1), *days])
    wanted_last = max([today + timedelta(days=REFRESH_MARGIN_DAYS), *days])
    if window and window[0] <= first and window[1] >= wanted_last:
        return
    last = max(today + timedelta(days=HORIZON_DAYS), *days)
    refresh_municipality(municipality_id, first, last)
