"""Office hours (開庁時間): weekdays from TSUNAGU_OFFICE_OPENS to TSUNAGU_OFFICE_CLOSES, not on
national holidays (jpholiday) nor the year-end closure (12/29–1/3). An alert's time to be
acknowledged counts only these minutes."""

from datetime import date, datetime, time, timedelta

import jpholiday
from django.conf import settings
from django.utils import timezone

YEAR_END = ((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))


def is_office_day(day: date) -> bool:
    return (
        day.weekday() < 5 and not jpholiday.is_holiday(day) and (day.month, day.day) not in YEAR_END
    )


def _hours() -> tuple[time, time]:
    return (
        time.fromisoformat(settings.TSUNAGU_OFFICE_OPENS),
        time.fromisoformat(settings.TSUNAGU_OFFICE_CLOSES),
    )


def add_office_minutes(start: datetime, minutes: int) -> datetime:
    """The moment ``minutes`` of office time after ``start`` (aware, in the local zone):
    30 minutes after 17:00 on a Friday, with the office closing at 17:15, is 8:45 on Monday."""
    opens, closes = _hours()
    moment = timezone.localtime(start)
    left = timedelta(minutes=minutes)
    while True:
        day = moment.date()
        day_opens = timezone.make_aware(datetime.combine(day, opens))
        day_closes = timezone.make_aware(datetime.combine(day, closes))
        if is_office_day(day) and moment < day_closes:
            moment = max(moment, day_opens)
            if moment + left <= day_closes:
                return moment + left
            left -= day_closes - moment
        moment = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
