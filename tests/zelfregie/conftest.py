import pytest

from meedoen.accounts.models import Role
from tests.factories.zelfregie import make_location, make_session


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
