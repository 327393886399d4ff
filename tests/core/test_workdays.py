import datetime

import pytest

from meedoen.core.workdays import add_working_days, is_working_day


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (datetime.date(2026, 4, 27), False),  # Koningsdag (a Monday)
        (datetime.date(2026, 4, 6), False),  # Tweede Paasdag
        (datetime.date(2026, 5, 14), False),  # Hemelvaartsdag
        (datetime.date(2026, 12, 25), False),
        (datetime.date(2025, 5, 5), False),  # Bevrijdingsdag in a lustrum year
        (datetime.date(2026, 5, 5), True),  # ...and not in other years
        (datetime.date(2026, 11, 28), False),  # a Saturday
        (datetime.date(2026, 11, 23), True),
    ],
)
def test_working_days_follow_dutch_public_holidays(day, working):
    assert is_working_day(day) is working


def test_adding_working_days_skips_weekends_and_holidays():
    # Thursday 23 April 2026 + 3 working days: Fri 24, (weekend), Mon 27 is Koningsdag, Tue 28, Wed 29.
    assert add_working_days(datetime.date(2026, 4, 23), 3) == datetime.date(2026, 4, 29)
    # Over Christmas: Wed 23 Dec + 2 = Thu 24, (Fri 25, Sat 26, Sun 27) Mon 28.
    assert add_working_days(datetime.date(2026, 12, 23), 2) == datetime.date(2026, 12, 28)


def test_counting_working_days_between_dates():
    from meedoen.core.workdays import working_days_between

    assert working_days_between(datetime.date(2026, 4, 23), datetime.date(2026, 4, 29)) == 3
    assert working_days_between(datetime.date(2026, 4, 29), datetime.date(2026, 4, 23)) == 0
