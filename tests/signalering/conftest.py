import pytest

from meedoen.accounts.models import Role
from tests.factories.signalering import district_with_members, make_meeting


@pytest.fixture
def professional(make_user):
    return make_user(role=Role.PROFESSIONAL, username="fatima")


@pytest.fixture
def colleague(make_user):
    return make_user(role=Role.PROFESSIONAL, username="kees")


@pytest.fixture
def chair(make_user):
    return make_user(role=Role.CHAIR, username="joost")


@pytest.fixture
def outsider(make_user):
    """A professional of another district."""
    user = make_user(role=Role.PROFESSIONAL, username="anna")
    district_with_members(user)
    return user


@pytest.fixture
def district(professional, colleague, chair):
    return district_with_members(professional, colleague, chairs=[chair])


@pytest.fixture
def meeting(district):
    return make_meeting(district)
