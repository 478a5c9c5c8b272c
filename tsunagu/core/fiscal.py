"""The Japanese fiscal year (年度): April to March, named by the calendar year of its April."""

from datetime import date


def fiscal_year_of(day: date) -> int:
    """The fiscal year ``day`` falls in: 2027-03-31 → 2026, 2027-04-01 → 2027."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of fiscal year ``year``: 1 April ``year`` – 31 March ``year + 1``."""
    return date(year, 4, 1), date(year + 1, 3, 31)
