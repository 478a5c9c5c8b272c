"""Openings computed from schedules, in Python and in the finder's SQL, and their words."""

from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tsunagu.resources import finder, geo, schedules
from tsunagu.resources.models import Schedule

from . import factories

NOV_2026 = date(2026, 11, 1)  # a Sunday


def _s(kind, **fields) -> Schedule:
    return Schedule(kind=kind, **fields)


def test_second_and_fourth_saturday_of_the_month():
    second_fourth = _s("monthly", byday="2SA,4SA")
    saturdays = [d for d in range(1, 31) if date(2026, 11, d).weekday() == 5]
    opening = [d for d in saturdays if schedules.occurs_on(second_fourth, date(2026, 11, d))]
    assert saturdays == [7, 14, 21, 28] and opening == [14, 28]


def test_last_saturday_counts_from_the_end_of_the_month():
    last = _s("monthly", byday="-1SA")
    assert schedules.occurs_on(last, date(2026, 11, 28))
    assert not schedules.occurs_on(last, date(2026, 11, 21))
    assert schedules.occurs_on(last, date(2027, 2, 27))


def test_a_closure_wins_over_the_weekly_opening_and_is_listed_in_words():
    weekly = _s("weekly", byday="MO,WE", opens_at=time(15, 30), closes_at=time(20))
    closed = _s("closed", date=date(2026, 12, 29), end_date=date(2027, 1, 3), note="年末年始")
    rows = [weekly, closed]
    found = [o.day for o in schedules.next_openings(rows, date(2026, 12, 28), limit=3)]
    assert found == [date(2026, 12, 28), date(2027, 1, 4), date(2027, 1, 6)]
    assert schedules.describe(weekly) == "毎週 月・水 15:30〜20:00"
    assert schedules.describe(closed) == "休み 2026/12/29〜2027/01/03(年末年始)"


def test_open_now_respects_the_hours():
    rows = [_s("weekly", byday="TU", opens_at=time(15, 30), closes_at=time(20))]
    assert schedules.open_at(rows, datetime(2026, 11, 24, 16, 0))
    assert not schedules.open_at(rows, datetime(2026, 11, 24, 20, 0))
    assert not schedules.open_at(rows, datetime(2026, 11, 25, 16, 0))


def test_a_date_specific_opening_and_validity_range():
    once = _s("opening", date=date(2026, 11, 29), opens_at=time(11))
    summer = _s("weekly", byday="MO", valid_from=date(2026, 7, 20), valid_to=date(2026, 8, 31))
    assert schedules.open_on([once], date(2026, 11, 29))
    assert schedules.open_on([summer], date(2026, 8, 3))
    assert not schedules.open_on([summer], date(2026, 9, 7))


@pytest.mark.parametrize(
    ("schedule", "problem"),
    [
        (_s("weekly"), "曜日を選んでください"),
        (_s("weekly", byday="MON"), "曜日の指定"),
        (_s("monthly", byday="6SA"), "第何週"),
        (_s("weekly", byday="2SA"), "毎月を選んで"),
        (_s("weekly", byday="SA", interval=2), "最初の開催日"),
        (_s("closed"), "日付を入力"),
        (_s("weekly", byday="MO", closes_at=time(9)), "開始時刻"),
        (_s("irregular"), "備考"),
    ],
)
def test_incomplete_schedules_are_explained_in_japanese(schedule, problem):
    assert problem in schedules.problem(schedule)


def test_points_outside_japan_and_swapped_pairs_are_refused():
    assert geo.point_problem(35.06, 136.68) == ""
    assert "入れ替わって" in geo.point_problem(136.68, 35.06)
    assert "範囲外" in geo.point_problem(51.5, -0.12)
    assert "両方" in geo.point_problem(35.0, None)


schedule_rows = st.lists(
    st.one_of(
        st.builds(
            lambda days: _s("weekly", byday=",".join(days)),
            st.lists(st.sampled_from(schedules.WEEKDAYS), min_size=1, max_size=3, unique=True),
        ),
        st.builds(
            lambda day, weeks: _s("monthly", byday=schedules.byday_of([day], weeks)),
            st.sampled_from(schedules.WEEKDAYS),
            st.lists(st.sampled_from([1, 2, 3, 4, 5, -1]), min_size=1, max_size=2, unique=True),
        ),
        st.builds(lambda d: _s("opening", date=NOV_2026.replace(day=d)), st.integers(1, 30)),
        st.builds(
            lambda d, n: _s(
                "closed",
                date=NOV_2026.replace(day=d),
                end_date=NOV_2026.replace(day=min(30, d + n)),
            ),
            st.integers(1, 30),
            st.integers(0, 4),
        ),
    ),
    min_size=1,
    max_size=4,
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=schedule_rows, day=st.integers(1, 30))
def test_the_finders_sql_agrees_with_the_schedule_rules(town, rows, day):
    """Whatever the schedules, the finder lists a place for a day exactly when the schedule
    rules open it that day: its index of openings follows every schedule saved."""
    factories.ensure_code_lists()
    place = factories.resource(town, "テストの居場所", schedules=[_copy(r) for r in rows])
    on = NOV_2026.replace(day=day)
    query = finder.Query(municipality=town, when="date", on_date=on)
    listed = finder.search(query).filter(pk=place.pk).exists()
    assert listed == schedules.open_on(list(place.schedules.all()), on)
    place.service.delete()


def _copy(schedule: Schedule) -> Schedule:
    fields = ("kind", "byday", "date", "end_date", "opens_at", "closes_at")
    return Schedule(**{name: getattr(schedule, name) for name in fields})
