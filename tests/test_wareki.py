from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.core.wareki import both, read_date, wareki


def test_era_boundaries_and_the_first_year():
    assert wareki(date(2019, 4, 30)) == "平成31年4月30日"
    assert wareki(date(2019, 5, 1)) == "令和元年5月1日"
    assert wareki(date(1989, 1, 7)) == "昭和64年1月7日"
    assert wareki(date(1989, 1, 8)) == "平成元年1月8日"
    assert wareki(date(2026, 11, 24)) == "令和8年11月24日"


def test_both_calendars_and_month_only_dates():
    assert both(date(1990, 5, 1)) == "平成2年5月1日(1990-05-01)"
    assert both(date(2007, 6, 1), month_only=True) == "平成19年6月(2007-06)"
    assert both(None) == ""


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("2015-04-01", (2015, 4, 1)),
        ("2015/4/1", (2015, 4, 1)),
        ("2015.4.1", (2015, 4, 1)),
        ("2015年4月1日", (2015, 4, 1)),
        ("２０１５－０４－０１", (2015, 4, 1)),
        ("平成27年4月1日", (2015, 4, 1)),
        ("平成 27 年 4 月 1 日", (2015, 4, 1)),
        ("H27.4.1", (2015, 4, 1)),
        ("h27/4/1", (2015, 4, 1)),
        ("Ｈ２７．４．１", (2015, 4, 1)),
        ("令和元年5月1日", (2019, 5, 1)),
        ("R1.5.1", (2019, 5, 1)),
        ("昭和60年12月3日", (1985, 12, 3)),
        ("平成元年4月", (1989, 4, None)),
        ("2015-04", (2015, 4, None)),
        ("2015年4月", (2015, 4, None)),
        ("2O15-O4-0l", (2015, 4, 1)),  # OCR: O for 0, l for 1
        ("2015-I2-I2", (2015, 12, 12)),
        ("2015-13-01", None),
        ("2015-04-32", None),
        ("平成", None),
        ("", None),
        ("不明", None),
    ],
)
def test_written_dates_are_read_in_every_usual_form(written, read):
    assert read_date(written) == read


@given(st.text(max_size=30))
def test_reading_a_date_never_fails(text):
    assert read_date(text) is None or 1 <= read_date(text)[1] <= 12


@given(st.dates(min_value=date(1912, 8, 1), max_value=date(2100, 12, 31)))
def test_every_printed_wareki_date_is_read_back(day):
    assert read_date(wareki(day)) == (day.year, day.month, day.day)
