"""When a place opens, read from the words of the municipal CSV: 利用可能曜日 (「月～金」「毎日」
「月～金(祝日を除く)」), 開始時間・終了時間 (「9:00」, 「24:00」, 「2:00」 past midnight) and
利用可能日時特記事項 (「祝日・年末年始は休み」, or our own words from ``schedules.describe``).

What the words say becomes schedules (schedules.py); what they say that we cannot represent
makes the place 不定期 with the publisher's own text, so that the directory never shows a
place open when its file says it is closed.
"""

import re
import unicodedata
from datetime import time

from .. import schedules

DAY_CHARACTERS = dict(zip("月火水木金土日", schedules.WEEKDAYS, strict=True))
# Words of a note that may narrow when a place opens (a day, a week, a closure, a period):
# such a note we cannot read makes the schedule 不定期 rather than wider than written.
_NARROWING = re.compile(
    r"[休除隔第祝曜]|以外|のみ|だけ|まで|から|予定|変更|中止|臨時|不定|期間|年末|年始|盆|"
    r"夏|冬|春|秋|\d+\s*[/月日週]|[月火水木金土日][・、~〜～-]"
)
# 「祝日」「祝祭日」「年末年始(12/29～1/3)」 and weekdays, closed (「は休み」「を除く」「休館」 …).
_CLOSED_WORDS = r"(?:は|を)?(?:休み|お休み|休館日?|休業日?|休所|休園|定休日?|除く|のぞく)"
_CLOSURE = re.compile(rf"^(?P<what>.+?){_CLOSED_WORDS}$")
_YEAR_END = re.compile(r"年末年始(?:\((?P<range>[^)]*)\))?")
_STANDARD_YEAR_END = re.compile(r"12/(29|30|31)[~〜～-]1/[1-3]")
_IN_BRACKETS = re.compile(r"[(\[](?P<inside>[^()\[\]]*)[)\]]")


def key(text: str) -> str:
    """Words as compared: NFKC (full-width digits, brackets and colons), without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def weekday_codes(text: str) -> list[str] | None:
    """MO,TU… of 「月火水」「月～金」「月・水・金曜日」「毎日」「平日」; None for other words."""
    text = key(text).replace("曜日", "").replace("曜", "")
    text = {"毎日": "月~日", "平日": "月~金", "全日": "月~日"}.get(text, text)
    text = re.sub(r"[~〜～ー-]", "~", text)
    found: list[str] = []
    for part in re.split(r"[・、,/]+", text):
        if re.fullmatch(r"[月火水木金土日]~[月火水木金土日]", part):
            first, last = (list(DAY_CHARACTERS).index(c) for c in part.split("~"))
            found += list(schedules.WEEKDAYS[first : last + 1])
        elif part and all(c in DAY_CHARACTERS for c in part):
            found += [DAY_CHARACTERS[c] for c in part]
        elif part:
            return None
    return list(dict.fromkeys(found)) or None


def time_of(text: str) -> time | None:
    """A clock time: 「9:00」「09:00:00」「９時」; 24:00 and later are the next day's hours
    (24:00 = midnight, 26:00 = 2:00), as Japanese timetables write them. None for no time."""
    text = key(text)
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2})(?::\d{2})?|時(?:(\d{1,2})分)?)", text)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or match[3] or 0)
    if hour > 47 or minute > 59:
        return None
    return time(hour % 24, minute)


def closure(words: str) -> tuple[set[str], list[str]] | None:
    """What a closure phrase closes: ({"holidays", "year_end"}, weekday codes), or None when
    the words are no closure we can represent (「祝日・年末年始は休み」 → both kinds)."""
    match = _CLOSURE.match(key(words))
    if not match:
        return None
    kinds, days = set(), []
    what = match["what"]
    year_end = _YEAR_END.search(what)
    if year_end:
        if year_end["range"] and not _STANDARD_YEAR_END.fullmatch(year_end["range"]):
            return None  # other days than 12/29–1/3: wider if we read our standard ones
        kinds.add("year_end")
        what = what.replace(year_end[0], "・")
    what = re.sub(r"国民の祝日|祝祭日|祝日|休日|祝", "・祝・", what)
    for part in filter(None, re.split(r"[・、,/及びと]+|曜日|曜", what)):
        if part == "祝":
            kinds.add("holidays")
        elif all(c in DAY_CHARACTERS for c in part):
            days += [DAY_CHARACTERS[c] for c in part]
        else:
            return None
    return (kinds, days) if kinds or days else None


def _without_bracketed_closure(days_text: str) -> tuple[str, set[str], list[str]] | None:
    """「月～金(祝日を除く)」 → 「月～金」 and what the brackets close."""
    found = _IN_BRACKETS.search(key(days_text))
    if not found:
        return _without_trailing_closure(key(days_text))
    closed = closure(found["inside"])
    if closed is None:
        return None
    return key(days_text).replace(found[0], ""), *closed


def _without_trailing_closure(text: str) -> tuple[str, set[str], list[str]]:
    """「月～金祝日を除く」「月～金※祝日休み」 → 「月～金」 and what the words after close."""
    for end in range(1, len(text)):
        closed = closure(text[end:].lstrip("※*・、,"))
        if closed and weekday_codes(text[:end]):
            return text[:end], *closed
    return text, set(), []


def read(days: str, opens: str, closes: str, note: str) -> list[dict]:
    """The schedules of one row: a weekly rule with its hours, closures, and the rules written
    in our own words in the note; or one 不定期 schedule keeping the publisher's text."""
    written = " ".join(x for x in (days, f"{opens}〜{closes}" if opens or closes else "") if x)
    publisher = " / ".join(x for x in (written, note.strip()) if x)
    rows, closing, closed_days, notes = [], set(), [], []
    if days or opens or closes:
        weekly = _weekly(days, opens, closes)
        if weekly is None:
            return [_irregular(publisher)]
        rule, kinds, without = weekly
        rows.append(rule)
        closing |= kinds
        closed_days += without
    for part in filter(None, (p.strip() for p in re.split(r" / |\n", note))):
        parsed = schedules.parse(part)
        closed = closure(part)
        if parsed:
            rows.append(parsed)
        elif closed:
            closing |= closed[0]
            closed_days += closed[1]
        elif _NARROWING.search(key(part)):
            return [_irregular(publisher)]
        else:
            notes.append(part)
    rows = [_without_days(row, closed_days) for row in rows]
    rows = [row for row in rows if row is not None]
    for row in rows:
        if notes and row["kind"] in schedules.RECURRING and not row.get("note"):
            row["note"] = " / ".join(notes)[:200]
    if notes and not any(row["kind"] in schedules.RECURRING for row in rows):
        return [_irregular(publisher)]
    return rows + [{"kind": kind} for kind in sorted(closing)]


def _weekly(days: str, opens: str, closes: str) -> tuple[dict, set[str], list[str]] | None:
    bracketed = _without_bracketed_closure(days)
    if bracketed is None:
        return None
    days_text, kinds, without = bracketed
    codes = weekday_codes(days_text)
    opens_at, closes_at = time_of(opens), time_of(closes)
    if not codes or (opens and opens_at is None) or (closes and closes_at is None):
        return None
    if closes_at is not None and opens_at is None:
        return None
    rule = {
        "kind": "weekly",
        "byday": ",".join(codes),
        "opens_at": opens_at,
        "closes_at": closes_at,
    }
    return rule, kinds, without


def _without_days(row: dict, days: list[str]) -> dict | None:
    """A rule without the weekdays a note closes (「土日祝休み」); None when none is left."""
    if not days or row["kind"] not in schedules.RECURRING:
        return row
    kept = [
        part
        for part in schedules.codes(row["byday"])
        if schedules.byday_parts(part)[0][1] not in days
    ]
    return {**row, "byday": ",".join(kept)} if kept else None


def _irregular(publisher: str) -> dict:
    return {"kind": "irregular", "description": publisher[:2000]}
