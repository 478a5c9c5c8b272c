"""When a place is open: schedules as RFC 5545 recurrence rules (python-dateutil's rrule), with
closures, extra dates and national holidays (jpholiday), evaluated here and nowhere else.

A schedule is anything with Schedule's attributes (the model, or a form's or a file's fields
seen through ``View``), so the finder, the place page, the openings index, the forms and the
file readers and writers all read one model:

- ``weekly`` / ``monthly``: FREQ=WEEKLY/MONTHLY with INTERVAL, BYDAY (ordinals such as 2SA and
  -1FR in a month), BYMONTHDAY, BYWEEKNO, BYYEARDAY, DTSTART, UNTIL, COUNT and WKST, within
  ``valid_from``–``valid_to``, open ``opens_at``–``closes_at``;
- ``opening``: an extra date (``date``); ``closed``: closed ``date``–``end_date``;
- ``holidays``: closed on national holidays (祝日); ``year_end``: closed 12/29–1/3 (年末年始);
- ``irregular``: only the publisher's words say when (不定期).

Hours past midnight are first-class: ``closes_at`` at or before ``opens_at`` closes the next
day (20:00–02:00 is open at 01:00 the next morning; 00:00–00:00 is open all day). A rule that
cannot be evaluated (every other week with no first date) opens nothing and is shown as 不定期
with its words: a schedule is never read wider than it was written.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import jpholiday
from dateutil import rrule

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = dict(zip(WEEKDAYS, "月火水木金土日", strict=True))
RECURRING = ("weekly", "monthly")
CLOSING = ("closed", "holidays", "year_end")
# A schedule's own fields (Schedule's, without its place), as forms and files carry them.
FIELDS = (
    "kind",
    "byday",
    "interval",
    "bymonthday",
    "byweekno",
    "byyearday",
    "dtstart",
    "until",
    "count",
    "wkst",
    "date",
    "end_date",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "timezone",
    "description",
    "note",
    "schedule_link",
    "attending_type",
)
# 年末年始: the days most municipal places close at the turn of the year.
YEAR_END = ((12, 29), (1, 3))
MIDNIGHT = time(0, 0)


@dataclass(frozen=True)
class Opening:
    day: date
    opens_at: time | None
    closes_at: time | None
    note: str = ""

    @property
    def hours(self) -> str:
        return hours(self.opens_at, self.closes_at)

    @property
    def overnight(self) -> bool:
        return past_midnight(self.opens_at, self.closes_at)


class View:
    """A schedule's fields (a dict) seen through attributes, as the functions here read them."""

    def __init__(self, fields: dict):
        for name in FIELDS:
            setattr(self, name, fields.get(name))
        for name in ("byday", "bymonthday", "byweekno", "byyearday", "wkst", "note"):
            setattr(self, name, getattr(self, name) or "")
        self.description = self.description or ""
        self.interval = self.interval or 1


def past_midnight(opens_at: time | None, closes_at: time | None) -> bool:
    """Whether hours end the next day (20:00–02:00; 00:00–00:00 is the whole day)."""
    return opens_at is not None and closes_at is not None and closes_at <= opens_at


def all_day(opens_at: time | None, closes_at: time | None) -> bool:
    return opens_at == MIDNIGHT and closes_at == MIDNIGHT


def hours(opens_at: time | None, closes_at: time | None) -> str:
    """10:00〜14:00, 20:00〜翌2:00, 24時間, 10:00〜 (no closing time given)."""
    if all_day(opens_at, closes_at):
        return "24時間"
    if opens_at and closes_at is not None:
        if past_midnight(opens_at, closes_at):
            return f"{opens_at:%H:%M}〜翌{closes_at.hour}:{closes_at:%M}"
        return f"{opens_at:%H:%M}〜{closes_at:%H:%M}"
    if opens_at is not None:
        return f"{opens_at:%H:%M}〜"
    return ""


def codes(text: str) -> list[str]:
    """The parts of a comma-separated list, trimmed and upper-cased (「2sa, -1FR」)."""
    return [part.strip().upper() for part in (text or "").split(",") if part.strip()]


def numbers(text: str) -> list[int]:
    return [int(part) for part in codes(text) if re.fullmatch(r"[+-]?\d{1,3}", part)]


_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")


def byday_parts(text: str) -> list[tuple[int | None, str]]:
    """(ordinal or None, weekday code) of each BYDAY part: 2SA → (2, "SA"), MO → (None, "MO")."""
    found = []
    for part in codes(text):
        match = _BYDAY.fullmatch(part)
        if match:
            found.append((int(match[1]) if match[1] else None, match[2]))
    return found


def weekdays_of(schedule) -> list[str]:
    return list(dict.fromkeys(day for _, day in byday_parts(schedule.byday)))


def byday_of(weekdays: Iterable[str], weeks: Iterable[int] = ()) -> str:
    """BYDAY of some weekdays, on some weeks of the month when given (2,4 × SA → 2SA,4SA)."""
    weeks = list(weeks)
    if not weeks:
        return ",".join(weekdays)
    return ",".join(f"{n}{day}" for day in weekdays for n in weeks)


# --- evaluating -------------------------------------------------------------------------


def _valid(schedule, day: date) -> bool:
    return (schedule.valid_from is None or schedule.valid_from <= day) and (
        schedule.valid_to is None or day <= schedule.valid_to
    )


@lru_cache(maxsize=4096)
def _rule(
    kind, byday, interval, bymonthday, byweekno, byyearday, dtstart, until, count, wkst, year
) -> rrule.rrule | None:
    freq = rrule.WEEKLY if kind == "weekly" else rrule.MONTHLY
    parts = byday_parts(byday)
    if len(parts) != len(codes(byday)) or (kind == "weekly" and any(n for n, _ in parts)):
        return None  # a part we cannot read, or an ordinal in a weekly rule (RFC 5545 §3.3.10)
    if ((interval or 1) > 1 or count) and dtstart is None:
        return None  # every other week from when? Unknowable: never guess a phase
    weekdays = [getattr(rrule, day)(n) if n else getattr(rrule, day) for n, day in parts]
    try:
        return rrule.rrule(
            freq,
            interval=interval or 1,
            byweekday=weekdays or None,
            bymonthday=numbers(bymonthday) or None,
            byweekno=numbers(byweekno) or None,
            byyearday=numbers(byyearday) or None,
            # Without a first date the phase does not matter (interval 1, no count): start the
            # year asked about, not at some distant epoch the rule would iterate from.
            dtstart=datetime.combine(dtstart or date(year, 1, 1), time()),
            # Both limits given (RFC 5545 forbids it): COUNT here, UNTIL in occurrences().
            until=datetime.combine(until, time()) if until and not count else None,
            count=count or None,
            wkst=getattr(rrule, wkst) if wkst in WEEKDAYS else None,
            cache=True,
        )
    except (ValueError, TypeError, OverflowError):
        return None


def rule(schedule, year: int = 2000) -> rrule.rrule | None:
    """The recurrence of a weekly or monthly schedule, from its first date or else from the
    start of ``year`` (when the days asked about begin); None when it is not one or cannot be
    evaluated (no weekday or day given, or a rule without the first date it needs)."""
    if schedule.kind not in RECURRING:
        return None
    if not (schedule.byday or schedule.bymonthday or schedule.byyearday):
        return None
    return _rule(
        schedule.kind,
        schedule.byday,
        schedule.interval,
        schedule.bymonthday,
        schedule.byweekno,
        schedule.byyearday,
        schedule.dtstart,
        schedule.until,
        schedule.count,
        schedule.wkst,
        year,
    )


def evaluable(schedule) -> bool:
    return schedule.kind in ("opening", *CLOSING) or rule(schedule) is not None


def is_irregular(rows: list) -> bool:
    """Whether any schedule is known only by its words (不定期, or a rule we cannot evaluate)."""
    return any(not evaluable(s) for s in rows)


def occurrences(schedule, first: date, last: date) -> list[date]:
    """The days ``first``–``last`` on which an opening schedule opens (closures aside)."""
    if schedule.kind == "opening":
        return [schedule.date] if schedule.date and first <= schedule.date <= last else []
    found = rule(schedule, first.year)
    if found is None:
        return []
    start = max(first, schedule.valid_from or first)
    end = min(last, schedule.valid_to or last, schedule.until or last)
    if end < start:
        return []
    between = found.between(
        datetime.combine(start, time()), datetime.combine(end, time()), inc=True
    )
    return [moment.date() for moment in between]


def occurs_on(schedule, day: date) -> bool:
    """Whether an opening schedule opens on ``day`` (closures aside)."""
    return day in occurrences(schedule, day, day)


def is_holiday(day: date) -> bool:
    """A national holiday (国民の祝日, 振替休日, 国民の休日), from jpholiday."""
    return jpholiday.is_holiday(day)


def in_year_end(day: date) -> bool:
    (first_month, first_day), (last_month, last_day) = YEAR_END
    return (day.month, day.day) >= (first_month, first_day) or (day.month, day.day) <= (
        last_month,
        last_day,
    )


def closes(schedule, day: date) -> bool:
    """Whether a closing schedule closes the place on ``day``."""
    if schedule.kind == "closed":
        return bool(schedule.date) and schedule.date <= day <= (schedule.end_date or schedule.date)
    if schedule.kind == "holidays":
        return _valid(schedule, day) and is_holiday(day)
    if schedule.kind == "year_end":
        return _valid(schedule, day) and in_year_end(day)
    return False


def closed_on(rows: Iterable, day: date) -> bool:
    return any(closes(s, day) for s in rows)


def openings_between(rows: list, first: date, last: date) -> list[Opening]:
    """Every opening ``first``–``last``, by day and time, closures taken out."""
    closing = [s for s in rows if s.kind in CLOSING]
    found: dict[tuple, Opening] = {}
    for schedule in rows:
        for day in occurrences(schedule, first, last):
            key = (day, schedule.opens_at, schedule.closes_at)
            if key not in found and not closed_on(closing, day):
                found[key] = Opening(day, schedule.opens_at, schedule.closes_at, schedule.note)
    return sorted(found.values(), key=lambda o: (o.day, o.opens_at or time.min))


def openings_on(rows: list, day: date) -> list[Opening]:
    return openings_between(rows, day, day)


def next_openings(rows: list, start: date, limit: int = 5, horizon: int = 92) -> list[Opening]:
    return openings_between(rows, start, start + timedelta(days=horizon - 1))[:limit]


def open_on(rows: list, day: date) -> bool:
    return bool(openings_on(rows, day))


def open_during(opening: Opening, moment: datetime) -> bool:
    """Whether an opening covers a moment: the same day within its hours, or the next morning
    before the hours of one that runs past midnight end. Without hours: all its day."""
    now = moment.time()
    if opening.day == moment.date():
        return (opening.opens_at is None or opening.opens_at <= now) and (
            opening.closes_at is None or now < opening.closes_at or opening.overnight
        )
    return (
        opening.day == moment.date() - timedelta(days=1)
        and opening.overnight
        and now < opening.closes_at
    )


def open_at(rows: list, moment: datetime) -> bool:
    """Open at this moment (an opening of the evening before may run into it)."""
    day = moment.date()
    return any(open_during(o, moment) for o in openings_between(rows, day - timedelta(days=1), day))


# --- in words ---------------------------------------------------------------------------


def _days(schedule) -> str:
    return "・".join(WEEKDAY_NAMES[code] for code in weekdays_of(schedule))


def _date(day: date) -> str:
    return f"{day:%Y/%m/%d}"


def _ordinal(n: int) -> str:
    return "最終" if n == -1 else f"最後から{-n}番目" if n < 0 else f"第{n}"


def _monthly_days(schedule) -> str:
    """第2・第4 土曜日 / 第1月曜日・第3水曜日 / 15日・末日."""
    parts = byday_parts(schedule.byday)
    words = []
    if parts:
        weeks = sorted({n for n, _ in parts if n}, key=lambda n: (n < 0, abs(n)))
        days = weekdays_of(schedule)
        if all(n for n, _ in parts) and set(parts) == {(n, d) for n in weeks for d in days}:
            words.append(f"{'・'.join(map(_ordinal, weeks))} {_days(schedule)}曜日")
        else:
            words.append(
                "・".join(
                    f"{_ordinal(n) if n else '毎週'}{WEEKDAY_NAMES[day]}曜日" for n, day in parts
                )
            )
    month_days = numbers(schedule.bymonthday)
    if month_days:
        words.append("・".join("末日" if n == -1 else f"{n}日" for n in month_days))
    return " ".join(words)


def _every(schedule) -> str:
    interval = schedule.interval or 1
    if schedule.kind == "weekly":
        return {1: "毎週", 2: "隔週"}.get(interval, f"{interval}週ごと")
    return "毎月" if interval == 1 else f"{interval}か月ごと"


def _recurrence(schedule) -> str:
    if schedule.kind == "weekly":
        text = f"{_every(schedule)} {_days(schedule)}"
    else:
        text = f"{_every(schedule)} {_monthly_days(schedule)}"
    extras = []
    if schedule.byweekno:
        extras.append(f"年の第{'・'.join(map(str, numbers(schedule.byweekno)))}週")
    if schedule.byyearday:
        extras.append(f"年の{'・'.join(map(str, numbers(schedule.byyearday)))}日目")
    if schedule.dtstart:
        extras.append(f"{_date(schedule.dtstart)}から")
    if schedule.until:
        extras.append(f"{_date(schedule.until)}まで")
    if schedule.count:
        extras.append(f"{schedule.count}回")
    return text + "".join(f"({e})" for e in extras)


def describe(schedule) -> str:
    """One schedule in words, which ``parse`` reads back: 毎週 月・水 15:30〜20:00 /
    隔週 土 10:00〜12:00(2026/01/10から) / 毎月 第2・第4 土曜日 11:00〜14:00 /
    2026/11/29 10:00〜 / 休み 2026/12/29〜2027/01/03 / 祝日は休み / 年末年始は休み / 不定期,
    each with (期間 …) and (note) when set. A rule that cannot be evaluated is 不定期 with the
    publisher's words."""
    time_text = hours(schedule.opens_at, schedule.closes_at)
    if schedule.kind in RECURRING:
        text = f"{_recurrence(schedule)} {time_text}"
        if rule(schedule) is None:
            text = f"不定期({schedule.description or text.strip()})"
    elif schedule.kind == "opening":
        text = f"{_date(schedule.date)} {time_text}" if schedule.date else "不定期"
    elif schedule.kind == "closed":
        end = f"〜{_date(schedule.end_date)}" if schedule.end_date else ""
        text = f"休み {_date(schedule.date)}{end}" if schedule.date else "休み"
    elif schedule.kind == "holidays":
        text = "祝日は休み"
    elif schedule.kind == "year_end":
        text = "年末年始(12/29〜1/3)は休み"
    else:
        text = f"不定期({schedule.description})" if schedule.description else "不定期"
    text = text.strip()
    if schedule.valid_from or schedule.valid_to:
        first = _date(schedule.valid_from) if schedule.valid_from else ""
        last = _date(schedule.valid_to) if schedule.valid_to else ""
        text += f"(期間 {first}〜{last})"
    return f"{text}({schedule.note})" if schedule.note else text


_DAYS = "[月火水木金土日・]+"
_CLOCK = r"\d{1,2}:\d{2}"
_HOURS = rf"(?: (?:(?P<all_day>24時間)|(?P<opens>{_CLOCK})〜(?P<next>翌)?(?P<closes>{_CLOCK})?))?"
_DAY = r"\d{4}/\d{2}/\d{2}"
_EXTRAS = rf"(?:\((?P<dtstart>{_DAY})から\))?(?:\((?P<until>{_DAY})まで\))?"
_TAIL = rf"(?:\(期間 (?P<valid_from>{_DAY})?〜(?P<valid_to>{_DAY})?\))?(?:\((?P<note>.*)\))?$"
_ORDINALS = r"(?:第\d|最終)(?:・(?:第\d|最終))*"
_PATTERNS = {
    "weekly": re.compile(
        rf"^(?P<every>毎週|隔週|\d+週ごと) (?P<days>{_DAYS}){_EXTRAS}{_HOURS}{_TAIL}"
    ),
    "monthly": re.compile(
        rf"^(?P<every>毎月|\d+か月ごと) (?P<weeks>{_ORDINALS}) (?P<days>{_DAYS})曜日"
        rf"{_EXTRAS}{_HOURS}{_TAIL}"
    ),
    "opening": re.compile(rf"^(?P<date>{_DAY}){_HOURS}{_TAIL}"),
    "closed": re.compile(rf"^休み (?P<date>{_DAY})(?:〜(?P<end_date>{_DAY}))?{_TAIL}"),
    "holidays": re.compile(rf"^祝日は休み{_TAIL}"),
    "year_end": re.compile(rf"^年末年始\(12/29〜1/3\)は休み{_TAIL}"),
    "irregular": re.compile(rf"^不定期{_TAIL}"),
}
_CODES = {name: code for code, name in WEEKDAY_NAMES.items()}


def _day(text: str | None) -> date | None:
    return date(*map(int, text.split("/"))) if text else None


def _time(text: str | None) -> time | None:
    return time.fromisoformat(text.zfill(5)) if text else None


def _interval(every: str | None) -> int:
    if not every or every in ("毎週", "毎月"):
        return 1
    return 2 if every == "隔週" else int(re.match(r"\d+", every)[0])


def parse(text: str) -> dict | None:
    """The fields of a schedule written as ``describe`` writes it; None when it is not (or
    names a date or time that is none)."""
    for kind, pattern in _PATTERNS.items():
        match = pattern.match(text.strip())
        if match:
            try:
                return _fields(kind, match.groupdict())
            except ValueError:
                return None
    return None


def _fields(kind: str, found: dict) -> dict:
    weekdays = [_CODES[c] for c in (found.get("days") or "") if c in _CODES]
    weeks = [
        -1 if w == "最終" else int(w.removeprefix("第"))
        for w in (found.get("weeks") or "").split("・")
        if w
    ]
    opens_at, closes_at = _time(found.get("opens")), _time(found.get("closes"))
    if found.get("all_day"):
        opens_at = closes_at = MIDNIGHT
    fields = {
        "kind": kind,
        "byday": byday_of(weekdays, weeks),
        "interval": _interval(found.get("every")),
        "dtstart": _day(found.get("dtstart")),
        "until": _day(found.get("until")),
        "date": _day(found.get("date")),
        "end_date": _day(found.get("end_date")),
        "opens_at": opens_at,
        "closes_at": closes_at,
        "valid_from": _day(found.get("valid_from")),
        "valid_to": _day(found.get("valid_to")),
        "note": found.get("note") or "",
    }
    return fields


def problem(schedule, *, entered: bool = True) -> str:
    """What a schedule lacks or gets wrong, in Japanese; '' when it is complete.

    ``entered``: typed by a person, who is also told what only makes a rule unreadable (every
    other week from no date, 第2 in a weekly rule); a file's rule that is unreadable is kept
    and shown as 不定期 with its words instead (see ``evaluable``)."""
    if schedule.kind in ("opening", "closed") and not schedule.date:
        return "日付を入力してください。"
    if schedule.end_date and schedule.date and schedule.end_date < schedule.date:
        return "終了日が開始日より前です。"
    if schedule.valid_from and schedule.valid_to and schedule.valid_to < schedule.valid_from:
        return "有効期間の終わりが始まりより前です。"
    return _entry_problem(schedule) if entered else ""


def _entry_problem(schedule) -> str:
    unknown = [c for c in codes(schedule.byday) if not _BYDAY.fullmatch(c)]
    if unknown:
        return f"曜日の指定が正しくありません: {','.join(unknown)}"
    if schedule.kind in RECURRING and not (schedule.byday or schedule.bymonthday):
        return "曜日を選んでください。"
    if schedule.kind == "monthly":
        weeks = [n for n, _ in byday_parts(schedule.byday) if n is not None]
        if any(n not in (1, 2, 3, 4, 5, -1) for n in weeks):
            return "第何週かは 第1〜第5 または 最終 から選んでください。"
    if schedule.kind == "weekly" and any(n for n, _ in byday_parts(schedule.byday)):
        return "毎週の日程に「第○」は付けられません(毎月を選んでください)。"
    spaced = (schedule.interval or 1) > 1 or schedule.count
    if schedule.kind in RECURRING and spaced and not schedule.dtstart:
        return "隔週など間隔のある日程は、最初の開催日を入力してください。"
    if schedule.closes_at and not schedule.opens_at:
        return "開始時刻を入力してください。"
    if schedule.kind == "irregular" and not (schedule.note or schedule.description):
        return "不定期の場合は、いつ開くかを備考に書いてください。"
    return ""
