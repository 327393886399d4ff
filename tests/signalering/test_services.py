import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meedoen.core.workdays import add_working_days
from meedoen.privacy.models import AccessLog
from signalering import services
from signalering.models import Action, Discussion, Event, Signal
from tests.factories.signalering import make_signal


@pytest.fixture
def signal(professional, district):
    return make_signal(reporter=professional, district=district)


class TestIntake:
    def test_records_source_organisation_and_deadline_and_timeline(self, professional, district):
        signal = make_signal(
            reporter=professional,
            district=district,
            new_resident={"full_name": "Piet Jansen", "date_of_birth": datetime.date(1960, 1, 2)},
        )
        assert signal.source_organisation == professional.organisation
        assert signal.first_discussion_due == add_working_days(timezone.localdate(), 10)
        assert signal.status == "new"
        assert signal.resident.pseudonym.startswith("B-")
        assert list(signal.events.values_list("kind", flat=True)) == ["reported"]
        logged = set(AccessLog.objects.values_list("object_type", "action"))
        assert {("resident", "create"), ("signal", "create")} <= logged

    def test_address_only_signal(self, professional, district):
        signal = make_signal(
            reporter=professional, district=district, new_resident={"postcode": "2311 CS", "house_number": "4"}
        )
        assert signal.resident.full_name == "" and signal.resident.address_hash

    def test_refused_outside_own_districts(self, outsider, district):
        with pytest.raises(PermissionDenied):
            make_signal(reporter=outsider, district=district)
        assert not Signal.objects.filter(district=district).exists()

    def test_neighbourhood_must_be_in_the_district(self, professional, district, outsider):
        other = outsider.memberships.get().district
        with pytest.raises(ValidationError):
            services.signal_create(
                reporter=professional,
                district=district,
                neighbourhood=other.neighbourhoods.first(),
                categories=[],
                urgency=1,
                description="x",
                legal_basis="consent",
                resident_informed="yes",
            )

    def test_urgent_signal_queues_the_chair_notice_on_commit(
        self, professional, district, chair, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            make_signal(reporter=professional, district=district, urgency=Signal.Urgency.URGENT)
        assert len(callbacks) == 1


class TestTransitions:
    def test_illegal_transition_is_refused_with_a_message(self, signal, professional):
        services.signal_transition(signal=signal, user=professional, target="in_progress", expected_version=1)
        with pytest.raises(ValidationError, match="kan niet van"):
            services.signal_transition(signal=signal, user=professional, target="scheduled", expected_version=2)
        signal.refresh_from_db()
        assert signal.status == "in_progress"

    def test_closing_requires_an_outcome(self, signal, professional):
        with pytest.raises(ValidationError) as error:
            services.signal_transition(signal=signal, user=professional, target="closed", expected_version=1)
        assert "outcome" in error.value.message_dict

    def test_closing_with_an_outcome(self, signal, professional):
        closed = services.signal_transition(
            signal=signal, user=professional, target="closed", expected_version=1, outcome="care"
        )
        assert (closed.status, closed.outcome, closed.version) == ("closed", "care", 2)
        assert closed.closed_at is not None
        event = closed.events.get(kind="status")
        assert event.data == {"old": "new", "new": "closed", "outcome": "care"}

    def test_reopening_requires_a_reason_and_clears_the_outcome(self, signal, professional):
        closed = services.signal_transition(
            signal=signal, user=professional, target="closed", expected_version=1, outcome="not_reached"
        )
        with pytest.raises(ValidationError):
            services.signal_transition(signal=closed, user=professional, target="in_progress", expected_version=2)
        reopened = services.signal_transition(
            signal=closed, user=professional, target="in_progress", expected_version=2, reason="Opnieuw overlast"
        )
        assert (reopened.status, reopened.outcome, reopened.closed_at) == ("in_progress", "", None)
        assert reopened.events.filter(kind="status").last().text == "Opnieuw overlast"

    def test_a_stale_version_is_a_conflict_and_changes_nothing(self, signal, professional, colleague):
        services.signal_update(
            signal=signal,
            user=colleague,
            expected_version=1,
            next_step="Bellen",
            next_step_due=datetime.date(2027, 1, 4),
        )
        with pytest.raises(services.SignalConflict) as conflict:
            services.signal_transition(
                signal=signal, user=professional, target="closed", expected_version=1, outcome="care"
            )
        assert conflict.value.current.version == 2
        signal.refresh_from_db()
        assert signal.status == "new" and signal.next_step == "Bellen"


class TestFollowUp:
    def test_lead_must_take_part_in_the_district(self, signal, professional, outsider):
        with pytest.raises(ValidationError):
            services.signal_update(signal=signal, user=professional, expected_version=1, lead=outsider)

    def test_next_step_needs_a_due_date(self, signal, professional):
        with pytest.raises(ValidationError):
            services.signal_update(signal=signal, user=professional, expected_version=1, next_step="Huisbezoek")

    def test_actions_and_completion_appear_on_the_timeline(self, signal, professional, colleague):
        action = services.action_create(
            signal=signal, user=professional, description="Huisbezoek", owner=colleague, due=datetime.date(2027, 2, 1)
        )
        services.action_complete(action=action, user=colleague)
        services.action_complete(action=action, user=colleague)  # twice changes nothing
        assert list(signal.events.values_list("kind", flat=True)) == ["reported", "action", "action_done"]

    def test_action_owner_must_take_part_in_the_district(self, signal, professional, outsider):
        with pytest.raises(ValidationError):
            services.action_create(
                signal=signal, user=professional, description="x", owner=outsider, due=datetime.date(2027, 1, 1)
            )


class TestMeeting:
    def test_chair_records_an_item_with_decision_lead_action_and_closure(self, signal, meeting, chair, professional):
        services.discussion_save(
            meeting=meeting,
            signal=signal,
            user=chair,
            expected_version=1,
            notes="Besproken",
            decision="Wijkteam gaat langs",
            status="in_progress",
            lead=professional,
            next_step="Huisbezoek",
            next_step_due=datetime.date(2027, 1, 5),
            new_action={"description": "Bellen", "owner": professional, "due": datetime.date(2027, 1, 4)},
        )
        signal.refresh_from_db()
        assert (signal.status, signal.lead, signal.next_step) == ("in_progress", professional, "Huisbezoek")
        assert signal.first_discussed_at == meeting.starts_at
        assert Discussion.objects.get().decision == "Wijkteam gaat langs"
        assert Action.objects.get().discussion is not None
        kinds = list(signal.events.values_list("kind", flat=True))
        assert kinds == ["reported", "discussed", "decision", "lead", "next_step", "action", "status"]

    def test_without_a_next_step_the_follow_up_interval_sets_one(self, signal, meeting, chair):
        services.discussion_save(
            meeting=meeting, signal=signal, user=chair, expected_version=1, notes="", decision="", status="monitoring"
        )
        signal.refresh_from_db()
        assert signal.next_step_due == add_working_days(timezone.localdate(meeting.starts_at), 20)

    def test_only_the_chair_records(self, signal, meeting, professional):
        with pytest.raises(PermissionDenied):
            services.discussion_save(
                meeting=meeting, signal=signal, user=professional, expected_version=1, notes="x", decision=""
            )

    def test_second_save_with_the_old_version_is_a_conflict(self, signal, meeting, chair):
        services.discussion_save(meeting=meeting, signal=signal, user=chair, expected_version=1, notes="a", decision="")
        with pytest.raises(services.SignalConflict):
            services.discussion_save(
                meeting=meeting, signal=signal, user=chair, expected_version=1, notes="b", decision=""
            )
        assert Discussion.objects.get().notes == "a"

    def test_agenda_scheduling_moves_new_signals_on_the_agenda_once(self, signal, meeting):
        assert [s.pk for s in services.meeting_schedule_agenda(meeting=meeting)] == [signal.pk]
        assert services.meeting_schedule_agenda(meeting=meeting) == []
        signal.refresh_from_db()
        assert signal.status == "scheduled"
        assert Event.objects.filter(signal=signal, kind="status", actor=None).count() == 1

    def test_the_agenda_holds_what_is_due_and_what_was_discussed_in_this_meeting_once(
        self, signal, meeting, chair, professional, district
    ):
        from signalering.models import Meeting
        from signalering.selectors import agenda_signals

        later = datetime.date(2030, 1, 1)
        discussed = make_signal(reporter=professional, district=district)
        services.discussion_save(
            meeting=meeting, signal=discussed, user=chair, expected_version=1, notes="Besproken", decision="",
            status="in_progress", outcome="", lead=professional, next_step="Later", next_step_due=later,
            new_action=None,
        )  # fmt: skip
        not_due = make_signal(reporter=professional, district=district)
        services.signal_update(
            signal=not_due, user=professional, expected_version=None, lead=professional, next_step="Later",
            next_step_due=later,
        )  # fmt: skip
        services.signal_transition(signal=not_due, user=professional, target="in_progress", expected_version=None)

        agenda = agenda_signals(meeting)
        assert sorted(s.pk for s in agenda) == sorted([signal.pk, discussed.pk])  # each once, not_due left out
        sql = str(agenda.query)  # this meeting's discussions as a subquery, not joined and made distinct
        assert "DISTINCT" not in sql and 'JOIN "signalering_discussion"' not in sql

        Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.HELD)
        meeting.refresh_from_db()
        assert [s.pk for s in agenda_signals(meeting)] == [discussed.pk]  # once held: what was discussed in it

    def test_meetings_are_planned_from_the_schedule_once(self, district):
        today = datetime.date(2026, 11, 23)
        created = services.meetings_plan(until=today + datetime.timedelta(weeks=6), today=today)
        assert created == 3  # every two weeks on Tuesday
        assert services.meetings_plan(until=today + datetime.timedelta(weeks=6), today=today) == 0
        days = sorted(timezone.localtime(m.starts_at).date() for m in district.meetings.all())
        assert days == [datetime.date(2026, 11, 24), datetime.date(2026, 12, 8), datetime.date(2026, 12, 22)]
        assert all(d.weekday() == 1 for d in days)


def test_closing_clears_the_next_step(signal, professional):
    services.signal_update(
        signal=signal,
        user=professional,
        expected_version=1,
        next_step="Bellen",
        next_step_due=datetime.date(2027, 1, 4),
    )
    closed = services.signal_transition(
        signal=signal, user=professional, target="closed", expected_version=2, outcome="care"
    )
    assert (closed.next_step, closed.next_step_due) == ("", None)


def test_a_follow_up_that_came_up_in_the_meeting_moves_on_when_the_chair_sets_no_new_date(
    signal, meeting, chair, professional
):
    services.signal_update(
        signal=signal,
        user=professional,
        expected_version=1,
        next_step="Bellen",
        next_step_due=datetime.date(2020, 1, 6),
    )
    services.discussion_save(
        meeting=meeting,
        signal=signal,
        user=chair,
        expected_version=2,
        notes="",
        decision="",
        status="in_progress",
        next_step="Bellen",
        next_step_due=datetime.date(2020, 1, 6),
    )
    signal.refresh_from_db()
    assert signal.next_step_due == add_working_days(timezone.localdate(meeting.starts_at), 20)
    assert not signal.is_overdue()


def test_purpose_is_stored_in_the_sites_language(professional, district):
    from django.utils import translation

    with translation.override("en"):
        signal = make_signal(reporter=professional, district=district)
    assert signal.purpose == "Passende ondersteuning vinden voor de bewoner"
