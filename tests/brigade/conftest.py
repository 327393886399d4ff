import datetime

import pytest

from meedoen.accounts.models import Role
from tests.factories.brigade import make_brigadier, make_request
from tests.factories.signalering import district_with_members, make_signal


@pytest.fixture
def professional(make_user):
    return make_user(role=Role.PROFESSIONAL, username="fatima")


@pytest.fixture
def coordinator(make_user):
    return make_user(role=Role.BRIGADE_COORDINATOR, username="ineke")


@pytest.fixture
def district(professional):
    return district_with_members(professional)


@pytest.fixture
def signal(professional, district):
    return make_signal(
        reporter=professional,
        district=district,
        new_resident={
            "full_name": "Jan Smit",
            "date_of_birth": datetime.date(1970, 5, 1),
            "street": "Hooigracht",
            "house_number": "3",
            "postcode": "2312 KN",
        },
    )


@pytest.fixture
def visit_request(signal):
    return make_request(signal=signal, expertise=["Psychose"], preferred_language="Arabisch")


@pytest.fixture
def brigadier(district):
    return make_brigadier(districts=[district], expertise=["Psychose"], username="ruud", first_name="Ruud")
