"""The world the role × URL matrix points at (tests/test_access_matrix.py): one object of each kind, by name. The
form fuzzing (tests/fuzz/test_forms.py) walks the same pages."""

import datetime

import pytest

from brigade import services as brigade_services
from brigade.models import Brigadier
from meedoen.accounts.models import Role
from meedoen.privacy.services import resident_create
from signalering import services
from signalering.models import Signal
from tests.factories.brigade import make_request
from tests.factories.signalering import district_with_members, make_meeting, make_signal


@pytest.fixture
def world(signalering_world, zelfregie_world, brigade_world):
    """The objects the matrix URLs point at, by name; each pillar adds its own."""
    return {**signalering_world, **zelfregie_world, **brigade_world}


@pytest.fixture
def zelfregie_world(users):
    """A place hosted by the host, with today's session, a participant signed up for an activity and a visitor
    announced by the brigadier."""
    from tests.factories.zelfregie import make_activity, make_location, make_participant, make_session
    from zelfregie.services import expected_visitor_announce, signup_create

    host = users[Role.HOST]
    location = make_location(hosts=[host], slug="matrix-plek")
    participant = make_participant(location=location, host=host)
    activity = make_activity(location=location, host=host, signup_required=True)
    expected = expected_visitor_announce(
        location=location, first_name="Kees", consent=True, announced_by=users[Role.BRIGADIER]
    )
    return {
        "zr_slug": location.slug,
        "zr_location": location.pk,
        "zr_session": make_session(location).pk,
        "zr_participant": participant.pk,
        "zr_activity": activity.pk,
        "zr_signup": signup_create(activity=activity, participant=participant, user=host).pk,
        "zr_occurrence": activity.occurrences.first().pk,
        "zr_expected": expected.pk,
    }


@pytest.fixture
def brigade_world(users, signalering_world):
    """A visit request from the matrix signal, assigned to the brigadier."""
    signal = Signal.objects.get(pk=signalering_world["signal"])
    resident = resident_create(created_by=users[Role.PROFESSIONAL], postcode="2311 AA", house_number="1")
    Signal.objects.filter(pk=signal.pk).update(resident=resident)
    signal.refresh_from_db()
    visit_request = make_request(signal=signal)
    brigadier = Brigadier.objects.create(user=users[Role.BRIGADIER])
    assignment = brigade_services.assignment_create(
        visit_request=visit_request, brigadier=brigadier, assigned_by=users[Role.BRIGADE_COORDINATOR]
    )
    return {
        "visit_request": visit_request.pk,
        "assignment": assignment.pk,
        "brigadier": brigadier.pk,
        "pseudonym": resident.pseudonym,
    }


@pytest.fixture
def signalering_world(users):
    """A district where the professional and the chair take part, with a signal, an action and a meeting."""
    professional, chair = users[Role.PROFESSIONAL], users[Role.CHAIR]
    district = district_with_members(professional, chairs=[chair])
    signal = make_signal(reporter=professional, district=district)
    action = services.action_create(
        signal=signal, user=professional, description="Bellen", owner=professional, due=datetime.date(2027, 1, 1)
    )
    return {"signal": signal.pk, "action": action.pk, "meeting": make_meeting(district).pk}
