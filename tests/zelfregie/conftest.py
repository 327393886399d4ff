import datetime
import zoneinfo

import pytest
import time_machine

from meedoen.accounts.models import Role
from tests.factories.zelfregie import make_location, make_session

# An ordinary Wednesday morning: no public holiday within weeks either side, so what is planned from "today" is the
# same whatever day the tests run.
WORKDAY = datetime.datetime(2026, 6, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def workday():
    """Today is WORKDAY, and the clock stands still. Returns the date."""
    with time_machine.travel(WORKDAY, tick=False):
        yield WORKDAY.date()


@pytest.fixture
def host(make_user):
    return make_user(role=Role.HOST, username="sanne", first_name="Sanne")


@pytest.fixture
def colleague(make_user):
    """A second host of the same place."""
    return make_user(role=Role.HOST, username="youssef", first_name="Youssef")


@pytest.fixture
def other_host(make_user):
    """A host of another place."""
    user = make_user(role=Role.HOST, username="els", first_name="Els")
    make_location(hosts=[user], name="Inloophuis Elders", slug="elders")
    return user


@pytest.fixture
def location(host, colleague):
    return make_location(hosts=[host, colleague], name="Huis van de Buurt Matilo", slug="matilo")


@pytest.fixture
def session(location):
    return make_session(location)
