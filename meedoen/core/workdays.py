"""Working days: Monday to Friday, without Dutch public holidays (from the `holidays` package)."""

import datetime
from functools import cache

import holidays


@cache
def _holidays(year: int) -> frozenset[datetime.date]:
    # Bevrijdingsdag (5 May) counts only in lustrum years (2025, 2030); the package knows that.
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
