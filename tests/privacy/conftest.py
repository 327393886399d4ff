"""Fixtures for the privacy tests: the small history of tests/factories/privacy.py, and the figures to compare."""

import datetime

import pytest

from meedoen.reports.figures import Period, all_figures
from tests.factories.privacy import JAN, KLAAS, PIET, at, make_history

__all__ = ["JAN", "KLAAS", "PIET", "at", "figures"]

# Periods over which the figures must not change: the quarters of the history, and all of it.
PERIODS = [
    Period.quarter(2024, 1),
    Period.quarter(2024, 2),
    Period(datetime.date(2023, 1, 1), datetime.date(2027, 12, 31)),
]


def figures(district=None) -> list[dict]:
    return [all_figures(period, district) for period in PERIODS]


@pytest.fixture
def history(make_user):
    return make_history(make_user)


@pytest.fixture
def officer_client(history, client_for):
    return client_for(history.officer)
