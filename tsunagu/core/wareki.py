"""Japanese era dates (和暦), as forms and 受付票 print them beside the Western date."""

import re
import unicodedata
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


# The era's letter as forms abbreviate it (H27.4.1), and its first year.
_ERA_YEARS = {"令和": 2019, "平成": 1989, "昭和": 1926, "大正": 1912}
_ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正"}
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
_DATE = re.compile(
    r"^(?:(?P<era>令和|平成|昭和|大正|[RHST])\s*(?P<era_year>\d{1,2}|元)|(?P<year>\d{4}))"
    r"\s*[-/.年]\s*(?P<month>\d{1,2})\s*(?:月)?"
    r"(?:\s*[-/.]?\s*(?P<day>\d{1,2})\s*(?:日)?)?$"
)


def read_date(text: str | None) -> tuple[int, int, int | None] | None:
    """A written date → (year, month, day or None for a month only), None when unreadable.

    Reads 2015-04-01, 2015/4/1, 2015.4.1, 2015年4月1日, 平成27年4月1日, 平成元年4月, H27.4.1,
    R1/5/1, and the month-only forms of each; full-width digits, and the letters OCR puts for
    digits (O for 0, l and I for 1)."""
    written = unicodedata.normalize("NFKC", text or "").strip().translate(_OCR_DIGITS).upper()
    match = _DATE.match(written)
    if not match:
        return None
    if match["era"]:
        era = _ERA_LETTERS.get(match["era"], match["era"])
        year = _ERA_YEARS[era] + (1 if match["era_year"] == "元" else int(match["era_year"])) - 1
    else:
        year = int(match["year"])
    month, day = int(match["month"]), int(match["day"]) if match["day"] else None
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return year, month, day
