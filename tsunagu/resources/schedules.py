"""Openings computed from schedules: is a place open now, on a day, in a week; its next
openings; and each schedule in words.

Works on anything with Schedule's attributes, so the finder can evaluate prefetched rows.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# A schedule's own fields (Schedule's, without its place), as forms and files carry them.
FIELDS = (
    "kind",
    "weekdays",
    "weeks",
    "date",
    "end_date",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "note",
)
WEEKDAY_NAMES = dict(zip(WEEKDAYS, "月火水木金土日", strict=True))
OPENING_KINDS = ("weekly", "monthly", "opening")


@dataclass(frozen=True)
class Opening:
    day: date
    opens_at: time | None
    closes_at: time | None
    note: str = ""

    @property
    def hours(self) -> str:
        return hours(self.opens_at, self.closes_at)


def hours(opens_at: time | None, closes_at: time | None) -> str:
    if opens_at and closes_at:
        return f"{opens_at:%H:%M}〜{closes_at:%H:%M}"
    if opens_at:
        return f"{opens_at:%H:%M}〜"
    return ""


def codes(text: str) -> list[str]:
    return [part.strip().upper() for part in (text or "").split(",") if part.strip()]


def weeks_of(text: str) -> list[int]:
    return [int(part) for part in codes(text) if part.lstrip("-").isdigit()]


def _valid(schedule, day: date) -> bool:
    return (schedule.valid_from is None or schedule.valid_from <= day) and (
        schedule.valid_to is None or day <= schedule.valid_to
    )


def nth_of_month(day: date) -> tuple[int, int]:
    """Which of its weekday in the month ``day`` is, counted from the start and from the end."""
    from_start = (day.day - 1) // 7 + 1
    next_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    from_end = -(((next_month - day).days - 1) // 7) - 1
    return from_start, from_end


def occurs_on(schedule, day: date) -> bool:
    """Whether an opening schedule opens on ``day`` (closures aside)."""
    if schedule.kind == "opening":
        return schedule.date == day
    if schedule.kind not in ("weekly", "monthly") or not _valid(schedule, day):
        return False
    if WEEKDAYS[day.weekday()] not in codes(schedule.weekdays):
        return False
    if schedule.kind == "weekly":
        return True
    return bool(set(nth_of_month(day)) & set(weeks_of(schedule.weeks)))


def closed_on(schedules: Iterable, day: date) -> bool:
    return any(
        s.kind == "closed" and s.date and s.date <= day <= (s.end_date or s.date) for s in schedules
    )


def openings_on(schedules: list, day: date) -> list[Opening]:
    if closed_on(schedules, day):
        return []
    found = {
        (s.opens_at, s.closes_at): Opening(day, s.opens_at, s.closes_at, s.note)
        for s in schedules
        if occurs_on(s, day)
    }
    return sorted(found.values(), key=lambda o: o.opens_at or time.min)


def next_openings(schedules: list, start: date, limit: int = 5, horizon: int = 92) -> list[Opening]:
    found: list[Opening] = []
    for offset in range(horizon):
        found += openings_on(schedules, start + timedelta(days=offset))
        if len(found) >= limit:
            break
    return found[:limit]


def open_on(schedules: list, day: date) -> bool:
    return bool(openings_on(schedules, day))


def open_at(schedules: list, moment: datetime) -> bool:
    """Open at this moment: an opening today whose hours include the time (an opening without
    hours counts as open all that day)."""
    now = moment.time()
    return any(
        (o.opens_at is None or o.opens_at <= now) and (o.closes_at is None or now < o.closes_at)
        for o in openings_on(schedules, moment.date())
    )


def is_irregular(schedules: list) -> bool:
    return any(s.kind == "irregular" for s in schedules)


def _days(text: str) -> str:
    return "・".join(WEEKDAY_NAMES.get(code, code) for code in codes(text))


def _date(day: date) -> str:
    return f"{day:%Y/%m/%d}"


def describe(schedule) -> str:
    """One schedule in words, which ``parse`` reads back: 毎週 月・水 15:30〜20:00 /
    毎月 第2・第4 土曜日 11:00〜14:00 / 2026/11/29 10:00〜 / 休み 2026/12/29〜2027/01/03 /
    不定期, each with (期間 …) and (note) when set."""
    time_text = hours(schedule.opens_at, schedule.closes_at)
    if schedule.kind == "weekly":
        text = f"毎週 {_days(schedule.weekdays)} {time_text}"
    elif schedule.kind == "monthly":
        weeks = "・".join("最終" if n == -1 else f"第{n}" for n in weeks_of(schedule.weeks))
        text = f"毎月 {weeks} {_days(schedule.weekdays)}曜日 {time_text}"
    elif schedule.kind == "opening":
        text = f"{_date(schedule.date)} {time_text}"
    elif schedule.kind == "closed":
        end = f"〜{_date(schedule.end_date)}" if schedule.end_date else ""
        text = f"休み {_date(schedule.date)}{end}"
    else:
        text = "不定期"
    text = text.strip()
    if schedule.valid_from or schedule.valid_to:
        first = _date(schedule.valid_from) if schedule.valid_from else ""
        last = _date(schedule.valid_to) if schedule.valid_to else ""
        text += f"(期間 {first}〜{last})"
    return f"{text}({schedule.note})" if schedule.note else text


_DAYS = "[月火水木金土日・]+"
_HOURS = r"(?: (?P<opens>\d{1,2}:\d{2})〜(?P<closes>\d{1,2}:\d{2})?)?"
_DAY = r"\d{4}/\d{2}/\d{2}"
_TAIL = rf"(?:\(期間 (?P<valid_from>{_DAY})?〜(?P<valid_to>{_DAY})?\))?(?:\((?P<note>.*)\))?$"
_PATTERNS = {
    "weekly": re.compile(rf"^毎週 (?P<days>{_DAYS}){_HOURS}{_TAIL}"),
    "monthly": re.compile(
        rf"^毎月 (?P<weeks>(?:第\d|最終)(?:・(?:第\d|最終))*) (?P<days>{_DAYS})曜日{_HOURS}{_TAIL}"
    ),
    "opening": re.compile(rf"^(?P<date>{_DAY}){_HOURS}{_TAIL}"),
    "closed": re.compile(rf"^休み (?P<date>{_DAY})(?:〜(?P<end_date>{_DAY}))?{_TAIL}"),
    "irregular": re.compile(rf"^不定期{_TAIL}"),
}
_CODES = {name: code for code, name in WEEKDAY_NAMES.items()}


def _day(text: str | None) -> date | None:
    return date(*map(int, text.split("/"))) if text else None


def _time(text: str | None) -> time | None:
    return time.fromisoformat(text.zfill(5)) if text else None


def parse(text: str) -> dict | None:
    """The fields of a schedule written as ``describe`` writes it; None when it is not."""
    for kind, pattern in _PATTERNS.items():
        match = pattern.match(text.strip())
        if not match:
            continue
        found = match.groupdict()
        weeks = (found.get("weeks") or "").replace("最終", "-1").replace("第", "")
        return {
            "kind": kind,
            "weekdays": ",".join(_CODES[c] for c in (found.get("days") or "") if c in _CODES),
            "weeks": ",".join(weeks.split("・")) if weeks else "",
            "date": _day(found.get("date")),
            "end_date": _day(found.get("end_date")),
            "opens_at": _time(found.get("opens")),
            "closes_at": _time(found.get("closes")),
            "valid_from": _day(found.get("valid_from")),
            "valid_to": _day(found.get("valid_to")),
            "note": found.get("note") or "",
        }
    return None


def problem(schedule) -> str:
    """What a schedule lacks or gets wrong, in Japanese; '' when it is complete."""
    unknown = [code for code in codes(schedule.weekdays) if code not in WEEKDAYS]
    if unknown:
        return f"曜日のコードが正しくありません: {','.join(unknown)}(MO,TU,WE,TH,FR,SA,SU)"
    if schedule.kind in ("weekly", "monthly") and not codes(schedule.weekdays):
        return "曜日を選んでください。"
    if schedule.kind == "monthly":
        weeks = weeks_of(schedule.weeks)
        if not weeks or any(n not in (1, 2, 3, 4, 5, -1) for n in weeks):
            return "第何週かを 1〜5 または -1(最終)で入力してください。"
    if schedule.kind in ("opening", "closed") and not schedule.date:
        return "日付を入力してください。"
    if schedule.end_date and schedule.date and schedule.end_date < schedule.date:
        return "終了日が開始日より前です。"
    if schedule.opens_at and schedule.closes_at and schedule.closes_at <= schedule.opens_at:
        return "終了時刻が開始時刻より前です。"
    if schedule.kind == "irregular" and not schedule.note:
        return "不定期の場合は、いつ開くかを備考に書いてください。"
    return ""
