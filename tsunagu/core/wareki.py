"""Japanese era dates (和暦), as forms and 受付票 print them beside the Western date."""

from datetime import date

# (first day, era name): the eras a person alive today may be born in.
ERAS = [
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
]


def wareki(day: date | None, *, month_only: bool = False) -> str:
    """令和8年11月24日; the first year of an era is 元年. '' for no date."""
    if day is None:
        return ""
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            text = f"{name}{'元' if year == 1 else year}年{day.month}月"
            return text if month_only else f"{text}{day.day}日"
    return f"{day.year}年{day.month}月" + ("" if month_only else f"{day.day}日")


def both(day: date | None, *, month_only: bool = False) -> str:
    """令和8年11月24日(2026-11-24)"""
    if day is None:
        return ""
    western = day.strftime("%Y-%m") if month_only else day.isoformat()
    return f"{wareki(day, month_only=month_only)}({western})"
