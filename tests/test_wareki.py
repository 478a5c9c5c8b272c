from datetime import date

from tsunagu.core.wareki import both, wareki


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
