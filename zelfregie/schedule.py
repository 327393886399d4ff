"""Calendar arithmetic of the meeting places: weekly dates and Dutch public holidays (from the `holidays` package)."""

import datetime
from functools import cache

import holidays
from django.utils import timezone, translation


def weekly_dates(anchor: datetime.date, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The dates on `anchor`'s weekday from start up to and including end."""
    day = start + datetime.timedelta(days=(anchor.weekday() - start.weekday()) % 7)
    dates = []
    while day <= end:
        dates.append(day)
        day += datetime.timedelta(weeks=1)
    return dates


def weekday_dates(weekday: int, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return weekly_dates(start + datetime.timedelta(days=(weekday - start.weekday()) % 7), start, end)


@cache
def _holidays(year: int, language: str) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays("NL", years=year, language=language))


def public_holidays(start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """Dutch public holidays between start and end (inclusive), named in the current language."""
    language = "nl" if (translation.get_language() or "nl").startswith("nl") else "en_US"
    found = {}
    for year in range(start.year, end.year + 1):
        found.update({day: name for day, name in _holidays(year, language).items() if start <= day <= end})
    return found


def aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())
