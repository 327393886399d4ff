import pytest

from signalering.workflow import ALLOWED_TRANSITIONS, Status, can_transition, is_reopening


def test_every_status_has_a_row_in_the_transition_table():
    assert set(ALLOWED_TRANSITIONS) == set(Status.values)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("new", "scheduled", True),
        ("new", "monitoring", True),
        ("in_progress", "scheduled", False),
        ("scheduled", "in_progress", True),
        ("in_progress", "monitoring", True),
        ("in_progress", "new", False),
        ("monitoring", "closed", True),
        ("closed", "in_progress", True),
        ("closed", "new", False),
        ("closed", "monitoring", False),
    ],
)
def test_transition_table(current, target, allowed):
    assert can_transition(current, target) is allowed


def test_only_leaving_closed_is_reopening():
    assert is_reopening("closed", "in_progress")
    assert not is_reopening("monitoring", "closed")
