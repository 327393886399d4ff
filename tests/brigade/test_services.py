import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections

from brigade import services
from brigade.matching import rank
from brigade.models import Assignment, Contact
from meedoen.notifications.models import Notification
from signalering.models import Event
from tests.factories.brigade import make_brigadier, make_request
from tests.factories.signalering import district_with_members, make_signal


class TestRequest:
    def test_from_a_signal_takes_resident_and_district_and_shows_on_the_timeline(self, visit_request, signal):
        assert (visit_request.resident, visit_request.district, visit_request.status) == (
            signal.resident,
            signal.district,
            "new",
        )
        assert Event.objects.filter(signal=signal, kind="brigade").count() == 1

    def test_only_from_a_signal_one_may_see(self, signal, make_user):
        other = make_user(role="professional")
        district_with_members(other)
        with pytest.raises(PermissionDenied):
            make_request(signal=signal, requested_by=other)

    def test_a_signal_without_resident_cannot_be_visited(self, professional, district):
        signal = make_signal(reporter=professional, district=district)
        with pytest.raises(ValidationError):
            make_request(signal=signal)


class TestMatching:
    def test_ranking_order_and_reasons(self, visit_request, district, coordinator):
        best = make_brigadier(districts=[district], expertise=["Psychose"], languages=["Arabisch"], username="best")
        make_brigadier(districts=[district], username="local")
        make_brigadier(expertise=["Psychose"], languages=["Arabisch"], username="elsewhere", weekdays=())
        full = make_brigadier(
            districts=[district], expertise=["Psychose"], languages=["Arabisch"], max_active=1, username="full"
        )
        other = make_request(signal=visit_request.signal)
        services.assignment_create(visit_request=other, brigadier=full, assigned_by=coordinator)
        matches = rank(visit_request, today=datetime.date(2026, 11, 23))
        names = [m.brigadier.user.username for m in matches]
        assert matches[0].brigadier == best and names[-1] == "full"
        scores = {m.brigadier.user.username: m.score for m in matches}
        # district 3, each expertise 2, language 2, a free place 1, available in the coming week 1
        assert scores == {"best": 9, "local": 5, "elsewhere": 5, "full": 8}
        top = matches[0]
        assert top.score == 3 + 2 + 2 + 1 + 1
        assert any("Psychose" in reason for reason in top.reasons)
        assert any("Arabisch" in reason for reason in top.reasons)
        assert not matches[-1].assignable
        assert any("1" in concern for concern in matches[-1].concerns)
        assert any("7" in concern for concern in matches[names.index("elsewhere")].concerns)

    def test_paused_brigadiers_are_not_ranked(self, visit_request, brigadier):
        brigadier.active = False
        brigadier.save()
        assert rank(visit_request) == []


class TestAssignment:
    def test_assign_notifies_the_brigadier_once(
        self, visit_request, brigadier, coordinator, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            assignment = services.assignment_create(
                visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator
            )
        assert len(callbacks) == 1  # the notice is queued when the assignment commits
        from brigade.tasks import notify_new_assignment

        assert notify_new_assignment.apply(args=[assignment.pk]).get() == 1
        assert notify_new_assignment.apply(args=[assignment.pk]).get() == 0  # a second run sends nothing
        assert Notification.objects.filter(recipient=brigadier.user, kind="new_assignment").count() == 1
        visit_request.refresh_from_db()
        assert visit_request.status == "assigned"

    def test_never_over_the_maximum(self, visit_request, coordinator, district):
        brigadier = make_brigadier(districts=[district], max_active=1)
        services.assignment_create(visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator)
        other = make_request(signal=visit_request.signal)
        with pytest.raises(services.CapacityError):
            services.assignment_create(visit_request=other, brigadier=brigadier, assigned_by=coordinator)

    def test_at_most_two_brigadiers_per_request(self, visit_request, coordinator, district):
        for _ in range(2):
            services.assignment_create(
                visit_request=visit_request, brigadier=make_brigadier(districts=[district]), assigned_by=coordinator
            )
        with pytest.raises(ValidationError):
            services.assignment_create(visit_request=visit_request, brigadier=make_brigadier(), assigned_by=coordinator)

    def test_only_coordinators_assign(self, visit_request, brigadier, professional):
        with pytest.raises(PermissionDenied):
            services.assignment_create(visit_request=visit_request, brigadier=brigadier, assigned_by=professional)

    def test_declining_puts_the_request_back_in_the_queue(self, visit_request, brigadier, coordinator):
        assignment = services.assignment_create(
            visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator
        )
        services.assignment_respond(assignment=assignment, user=brigadier.user, accept=False, reason="Ken de bewoner")
        visit_request.refresh_from_db()
        assert visit_request.status == "new"
        with pytest.raises(ValidationError):
            services.assignment_respond(assignment=assignment, user=brigadier.user, accept=True)

    def test_another_brigadier_cannot_answer(self, visit_request, brigadier, coordinator, district):
        assignment = services.assignment_create(
            visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator
        )
        with pytest.raises(PermissionDenied):
            services.assignment_respond(assignment=assignment, user=make_brigadier().user, accept=True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_assignments_never_exceed_the_maximum(make_user):
    """50 coordinators assign the same brigadier (maximum 3) at the same moment, on real PostgreSQL."""
    professional, coordinator = make_user(role="professional"), make_user(role="brigade_coordinator")
    district = district_with_members(professional)
    signal = make_signal(
        reporter=professional, district=district, new_resident={"postcode": "2311 AA", "house_number": "1"}
    )
    requests = [make_request(signal=signal) for _ in range(50)]
    brigadier = make_brigadier(districts=[district], max_active=3)
    barrier = threading.Barrier(50)
    outcomes = []

    def attempt(visit_request):
        try:
            barrier.wait()
            services.assignment_create(visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator)
            outcomes.append("assigned")
        except services.CapacityError:
            outcomes.append("full")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=attempt, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("assigned") == 3 and outcomes.count("full") == 47
    assert Assignment.objects.filter(brigadier=brigadier).count() == 3


class TestContactAndClose:
    @pytest.fixture
    def assignment(self, visit_request, brigadier, coordinator):
        return services.assignment_create(visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator)

    def test_first_contact_moves_the_request_in_contact(self, assignment, brigadier):
        services.contact_log(
            assignment=assignment,
            user=brigadier.user,
            date=datetime.date(2026, 11, 20),
            kind="home_visit",
            duration_minutes=45,
            note="Thee gedronken",
        )
        assignment.refresh_from_db()
        assert assignment.status == "accepted"
        assignment.request.refresh_from_db()
        assert assignment.request.status == "in_contact" and assignment.request.first_contact_at

    def test_a_contact_in_the_future_is_refused(self, assignment, brigadier):
        with pytest.raises(ValidationError):
            services.contact_log(
                assignment=assignment,
                user=brigadier.user,
                date=datetime.date(2099, 1, 1),
                kind="phone",
                duration_minutes=5,
            )
        assert not Contact.objects.exists()

    def test_closing_goes_back_to_the_signal_and_the_requester(self, assignment, brigadier, professional, signal):
        services.contact_log(
            assignment=assignment,
            user=brigadier.user,
            date=datetime.date(2026, 11, 20),
            kind="home_visit",
            duration_minutes=30,
        )
        done = services.visit_request_close(
            visit_request=assignment.request,
            user=brigadier.user,
            referral="social_team",
            outcome_note="Aangemeld bij wijkteam",
        )
        assert (done.status, done.referral) == ("done", "social_team")
        assert Event.objects.filter(signal=signal, kind="brigade").count() == 2
        assert Notification.objects.filter(recipient=professional, kind="visit_request_done").exists()
        assignment.refresh_from_db()
        assert assignment.status == "ended"

    def test_closing_needs_a_referral(self, assignment, brigadier):
        with pytest.raises(ValidationError):
            services.visit_request_close(visit_request=assignment.request, user=brigadier.user, referral="")

    def test_an_unassigned_brigadier_cannot_close(self, assignment):
        with pytest.raises(PermissionDenied):
            services.visit_request_close(visit_request=assignment.request, user=make_brigadier().user, referral="care")

    def test_assessment_list_and_decision(self, visit_request, coordinator):
        services.assessment_record(visit_request=visit_request, user=coordinator, to_assessment=True)
        visit_request.refresh_from_db()
        assert visit_request.needs_assessment
        with pytest.raises(ValidationError):
            services.assessment_record(visit_request=visit_request, user=coordinator, to_assessment=False)
        services.assessment_record(
            visit_request=visit_request, user=coordinator, to_assessment=False, decision="Eerst huisarts"
        )
        visit_request.refresh_from_db()
        assert not visit_request.needs_assessment and visit_request.assessment_decision == "Eerst huisarts"


class TestOutcomeDetails:
    @pytest.fixture
    def assignment(self, visit_request, brigadier, coordinator):
        return services.assignment_create(visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator)

    def test_no_answer_at_the_door_is_not_yet_contact(self, assignment, brigadier):
        services.contact_log(
            assignment=assignment,
            user=brigadier.user,
            date=datetime.date(2026, 11, 20),
            kind="no_answer",
            duration_minutes=5,
        )
        assignment.request.refresh_from_db()
        assert (assignment.request.status, assignment.request.first_contact_at) == ("assigned", None)

    def test_first_contact_is_dated_by_the_contact(self, assignment, brigadier):
        services.contact_log(
            assignment=assignment,
            user=brigadier.user,
            date=datetime.date(2026, 11, 18),
            kind="phone",
            duration_minutes=5,
        )
        assignment.request.refresh_from_db()
        assert assignment.request.first_contact_at.date() == datetime.date(2026, 11, 18)

    def test_a_referral_needs_contact_first(self, assignment, brigadier):
        with pytest.raises(ValidationError):
            services.visit_request_close(visit_request=assignment.request, user=brigadier.user, referral="care")
        closed = services.visit_request_close(
            visit_request=assignment.request, user=brigadier.user, referral="no_contact"
        )
        assert closed.status == "done"

    def test_referral_to_a_meeting_place_announces_the_consented_first_name(self, assignment, brigadier, make_user):
        from tests.factories.zelfregie import make_location
        from zelfregie.models import ExpectedVisitor

        host = make_user(role="host")
        place = make_location(hosts=[host])
        services.contact_log(
            assignment=assignment,
            user=brigadier.user,
            date=datetime.date(2026, 11, 20),
            kind="out_together",
            duration_minutes=90,
        )
        services.visit_request_close(
            visit_request=assignment.request,
            user=brigadier.user,
            referral="zelfregie",
            location=place,
            first_name="Jan",
        )
        expected = ExpectedVisitor.objects.get()
        assert (expected.location, expected.first_name) == (place, "Jan")
        assert expected.consent_at is not None  # the close form passes a first name only with consent
        assert Notification.objects.filter(recipient=host, kind="expected_visitor").exists()

    def test_assessment_decision_records_who_took_it(self, visit_request, coordinator):
        services.assessment_record(visit_request=visit_request, user=coordinator, to_assessment=True)
        services.assessment_record(
            visit_request=visit_request, user=coordinator, to_assessment=False, decision="Eerst huisarts"
        )
        visit_request.refresh_from_db()
        assert visit_request.assessed_by == coordinator


def test_a_replaced_training_record_is_not_due(brigadier):
    from django.utils import timezone

    from brigade.models import TrainingModule, TrainingRecord
    from brigade.selectors import refreshers_due

    module = TrainingModule.objects.create(name="Veiligheid", refresher_months=12)
    old = TrainingRecord.objects.create(
        brigadier=brigadier,
        module=module,
        completed_on=datetime.date(2024, 1, 1),
        refresher_due=datetime.date(2025, 1, 1),
    )
    assert list(refreshers_due(timezone.localdate())) == [old]
    TrainingRecord.objects.create(
        brigadier=brigadier,
        module=module,
        completed_on=datetime.date(2025, 1, 2),
        refresher_due=datetime.date(2027, 6, 1),
    )
    assert list(refreshers_due(timezone.localdate())) == []


def test_nobody_is_assigned_to_a_closed_request(visit_request, brigadier, coordinator):
    services.visit_request_cancel(visit_request=visit_request, user=coordinator, reason="Verhuisd")
    with pytest.raises(ValidationError):
        services.assignment_create(visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator)


def test_no_contact_after_a_cancel(visit_request, brigadier, coordinator):
    assignment = services.assignment_create(visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator)
    services.visit_request_cancel(visit_request=visit_request, user=coordinator, reason="Verhuisd")
    with pytest.raises(ValidationError):
        services.contact_log(
            assignment=assignment,
            user=brigadier.user,
            date=datetime.date(2026, 11, 20),
            kind="phone",
            duration_minutes=5,
        )
    assignment.refresh_from_db()
    assert assignment.status == "ended"
