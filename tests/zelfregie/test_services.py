import contextlib
import datetime
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from meedoen.accounts.models import Role
from meedoen.notifications.models import Notification
from meedoen.privacy.models import AccessLog
from meedoen.privacy.tasks import run_retention
from tests.factories.zelfregie import make_activity, make_location, make_participant, make_session
from zelfregie import services, tasks
from zelfregie.models import (
    Activity,
    Closure,
    CountCorrection,
    ExpectedVisitor,
    Occurrence,
    Participant,
    Session,
    SignUp,
    WalkInHours,
)
from zelfregie.selectors import visible_expected_visitors

KINGS_DAY = datetime.date(2026, 4, 27)  # a Monday


class TestPlanning:
    def test_sessions_follow_the_weekly_hours_without_public_holidays(self, location):
        created = services.sessions_plan(today=datetime.date(2026, 4, 20), until=datetime.date(2026, 5, 2))
        dates = list(Session.objects.filter(location=location).values_list("date", flat=True))
        assert created == len(dates) == 11  # two weeks of six afternoons, less King's Day
        assert KINGS_DAY not in dates
        assert datetime.date(2026, 4, 28) in dates
        assert not [day for day in dates if day.weekday() == 6]  # closed on Sundays

    def test_planning_twice_creates_nothing_twice(self, location):
        today, until = datetime.date(2026, 6, 1), datetime.date(2026, 7, 26)
        first = services.sessions_plan(today=today, until=until)
        assert first > 0
        assert services.sessions_plan(today=today, until=until) == 0
        assert Session.objects.count() == first

    def test_the_task_run_twice_creates_sessions_and_activity_dates_once(self, workday, location, host):
        make_activity(location=location, host=host)  # on Wednesdays, like the workday
        Session.objects.all().delete()
        Occurrence.objects.all().delete()
        first = tasks.plan_sessions.apply().get()
        counts = (Session.objects.count(), Occurrence.objects.count())
        # Eight weeks and a day (Wednesday to Wednesday), Mondays to Saturdays, without holidays: 8 × 6 + 1, and
        # nine Wednesdays.
        assert first == sum(counts) and counts == (49, 9)
        assert tasks.plan_sessions.apply().get() == 0
        assert (Session.objects.count(), Occurrence.objects.count()) == counts

    def test_a_closure_skips_its_days_and_removes_empty_planned_sessions(self, location):
        today, until = datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)
        services.sessions_plan(today=today, until=until)
        counted = Session.objects.get(location=location, date=datetime.date(2026, 6, 10))
        Session.objects.filter(pk=counted.pk).update(visitors=4)
        Closure.objects.create(
            location=location,
            start_date=datetime.date(2026, 6, 8),
            end_date=datetime.date(2026, 6, 13),
            reason="Zomerstop",
        )
        assert services.sessions_plan(today=today, until=until) == 0
        dates = set(Session.objects.filter(location=location).values_list("date", flat=True))
        assert datetime.date(2026, 6, 9) not in dates
        assert datetime.date(2026, 6, 10) in dates  # it holds a count: kept
        assert datetime.date(2026, 6, 15) in dates

    def test_a_closed_place_gets_no_new_sessions(self, location):
        location.active = False
        location.save()
        assert services.sessions_plan(today=datetime.date(2026, 6, 1), until=datetime.date(2026, 6, 30)) == 0

    def test_activity_dates_skip_public_holidays(self, location, host):
        activity = make_activity(location=location, host=host, first_date=datetime.date(2026, 4, 6))
        Occurrence.objects.all().delete()
        services.occurrences_plan(today=datetime.date(2026, 4, 20), until=datetime.date(2026, 5, 10))
        dates = list(activity.occurrences.values_list("date", flat=True))
        assert dates == [datetime.date(2026, 4, 20), datetime.date(2026, 5, 4)]  # not King's Day

    def test_a_one_off_activity_has_one_date(self, workday, location, host):
        day = workday + datetime.timedelta(days=10)
        activity = make_activity(location=location, host=host, recurrence="once", first_date=day)
        assert [o.date for o in activity.occurrences.all()] == [day]

    def test_changed_hours_move_the_end_of_later_sessions_without_a_count(self, location):
        today, until = datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)  # a Monday
        services.sessions_plan(today=today, until=until)
        counted = Session.objects.get(location=location, date=datetime.date(2026, 6, 8))
        Session.objects.filter(pk=counted.pk).update(visitors=4)  # a count is kept as it was
        WalkInHours.objects.filter(location=location, weekday=0).update(end_time=datetime.time(16))
        assert services.sessions_plan(today=today, until=until) == 0
        mondays = dict(
            Session.objects.filter(location=location, date__week_day=2).values_list("date", "end_time")
        )  # week_day 2: Monday
        assert mondays == {
            datetime.date(2026, 6, 1): datetime.time(17),  # today's session is under way
            datetime.date(2026, 6, 8): datetime.time(17),
            datetime.date(2026, 6, 15): datetime.time(16),
            datetime.date(2026, 6, 22): datetime.time(16),
            datetime.date(2026, 6, 29): datetime.time(16),
        }
        assert set(Session.objects.filter(location=location, date__week_day=3).values_list("end_time", flat=True)) == {
            datetime.time(17)
        }  # Tuesdays did not change

    def test_replanning_one_place_leaves_the_others_alone(self, workday, location, host, other_host):
        elsewhere = other_host.hosted_places.get().location
        services.sessions_plan(until=workday + datetime.timedelta(weeks=services.PLAN_WEEKS))
        activity = make_activity(location=location, host=host)
        closed = workday + datetime.timedelta(days=7)
        Closure.objects.create(location=location, start_date=closed, end_date=closed, reason="Schilderwerk")
        Closure.objects.create(location=elsewhere, start_date=closed, end_date=closed, reason="Verbouwing")
        services.location_replan(location=location)
        assert not Session.objects.filter(location=location, date=closed).exists()
        assert not activity.occurrences.filter(date=closed).exists()
        assert Session.objects.filter(location=elsewhere, date=closed).exists()  # until its own replanning


class TestCounting:
    @pytest.mark.parametrize(
        ("change", "expected"), [("plus", (1, 0)), ("new", (1, 1))], ids=["plus-one", "new-visitor"]
    )
    def test_a_tap_adds_to_the_count(self, session, host, change, expected):
        session = services.count_tap(session=session, user=host, change=change)
        assert (session.visitors, session.new_visitors) == expected

    def test_minus_one_undoes_a_visitor_and_a_new_visitor_when_all_were_new(self, location, host):
        session = make_session(location, visitors=3, new_visitors=1)
        session = services.count_tap(session=session, user=host, change="minus")
        assert (session.visitors, session.new_visitors) == (2, 1)
        session = make_session(location, start=datetime.time(18), visitors=2, new_visitors=2)
        session = services.count_tap(session=session, user=host, change="minus")
        assert (session.visitors, session.new_visitors) == (1, 1)

    def test_minus_one_at_zero_is_refused(self, session, host):
        with pytest.raises(services.CountAtZero):
            services.count_tap(session=session, user=host, change="minus")
        session.refresh_from_db()
        assert session.visitors == 0

    def test_unknown_button_is_refused(self, session, host):
        with pytest.raises(ValidationError):
            services.count_tap(session=session, user=host, change="plus2")

    def test_only_hosts_of_the_place_count(self, session, other_host, users):
        for user in (other_host, users[Role.PROFESSIONAL], users[Role.PROJECT_LEADER]):
            with pytest.raises(PermissionDenied):
                services.count_tap(session=session, user=user, change="plus")
        assert services.count_tap(session=session, user=users[Role.ADMIN], change="plus").visitors == 1

    def test_taps_are_for_today_and_corrections_for_the_past(self, location, host):
        yesterday = make_session(location, day=timezone.localdate() - datetime.timedelta(days=1), visitors=5)
        with pytest.raises(ValidationError):
            services.count_tap(session=yesterday, user=host, change="plus")
        services.count_correct(session=yesterday, user=host, visitors=7, new_visitors=1, reason="Turflijst")
        yesterday.refresh_from_db()
        assert (yesterday.visitors, yesterday.new_visitors) == (7, 1)
        tomorrow = make_session(location, day=timezone.localdate() + datetime.timedelta(days=1))
        with pytest.raises(ValidationError):
            services.count_correct(session=tomorrow, user=host, visitors=1, new_visitors=0, reason="Vooruit")

    def test_a_correction_records_who_when_why_and_the_count_before(self, workday, session, host):
        services.count_tap(session=session, user=host, change="new")
        correction = services.count_correct(
            session=session, user=host, visitors=12, new_visitors=2, reason="Vergeten te tellen", expected_visitors=1
        )
        assert (correction.by, correction.reason) == (host, "Vergeten te tellen")
        assert (correction.visitors_before, correction.new_visitors_before) == (1, 1)
        assert (correction.visitors, correction.new_visitors) == (12, 2)
        assert correction.at == timezone.now()
        session.refresh_from_db()
        assert (session.visitors, session.new_visitors) == (12, 2)

    def test_a_correction_after_someone_tapped_is_a_conflict_and_changes_nothing(self, session, host, colleague):
        services.count_tap(session=session, user=colleague, change="plus")
        with pytest.raises(services.CountConflict) as conflict:
            services.count_correct(
                session=session, user=host, visitors=10, new_visitors=0, reason="Turflijst", expected_visitors=0
            )
        assert conflict.value.current.visitors == 1
        assert not CountCorrection.objects.exists()

    @pytest.mark.parametrize(
        ("visitors", "new", "reason"), [(3, 4, "Turflijst"), (3, 0, "  "), (-1, 0, "Turflijst"), (5000, 0, "x")]
    )
    def test_a_bad_correction_is_refused(self, session, host, visitors, new, reason):
        with pytest.raises(ValidationError):
            services.count_correct(session=session, user=host, visitors=visitors, new_visitors=new, reason=reason)
        session.refresh_from_db()
        assert session.visitors == 0 and not CountCorrection.objects.exists()


def _in_threads(workers: int, work) -> list[BaseException]:
    """Run work(index) in `workers` threads that start together; each thread has its own database connection."""
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def run(index):
        try:
            barrier.wait()
            work(index)
        except BaseException as error:  # reported by the test, whatever it is
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_counting_loses_nothing(make_user):
    hosts = [make_user(role=Role.HOST) for _ in range(8)]
    location = make_location(hosts=hosts)
    session = make_session(location)
    taps = 60

    def count(index):
        for tap in range(taps):
            services.count_tap(session=session, user=hosts[index], change="new" if tap % 4 == 0 else "plus")

    assert _in_threads(len(hosts), count) == []
    session.refresh_from_db()
    assert (session.visitors, session.new_visitors) == (len(hosts) * taps, len(hosts) * taps // 4)


@pytest.mark.django_db(transaction=True)
def test_concurrent_undo_never_goes_below_zero(make_user):
    hosts = [make_user(role=Role.HOST) for _ in range(6)]
    location = make_location(hosts=hosts)
    session = make_session(location, visitors=100, new_visitors=100)

    def undo(index):
        for _ in range(25):  # 150 undos on a count of 100
            with contextlib.suppress(services.CountAtZero):
                services.count_tap(session=session, user=hosts[index], change="minus")

    assert _in_threads(len(hosts), undo) == []
    session.refresh_from_db()
    assert (session.visitors, session.new_visitors) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_exceed_the_places(make_user):
    host = make_user(role=Role.HOST)
    location = make_location(hosts=[host])
    activity = make_activity(location=location, host=host, capacity=3, signup_required=True)
    participants = [make_participant(location=location, host=host, first_name=f"P{n}") for n in range(10)]

    def sign_up(index):
        services.signup_create(activity=activity, participant=participants[index], user=host)

    assert _in_threads(len(participants), sign_up) == []
    statuses = list(activity.signups.values_list("status", flat=True))
    assert statuses.count("confirmed") == 3 and statuses.count("waiting") == 7


def _wait_until_blocked_by_me(timeout: float = 10.0) -> None:
    """Wait until another connection waits for a lock this connection holds."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0]:
                return
    raise AssertionError("the other connection never waited for our lock")


@pytest.mark.django_db(transaction=True)
def test_deleting_a_participant_while_a_sign_up_is_cancelled_does_not_deadlock(make_user):
    """A cancellation locks the activity, then changes a sign-up. The deletion must take its locks in that order
    too: had it deleted the participant's sign-ups first, it would hold a row the cancellation needs while waiting
    for the activity the cancellation holds, and PostgreSQL would abort one of them."""
    host = make_user(role=Role.HOST)
    location = make_location(hosts=[host])
    activity = make_activity(location=location, host=host, capacity=1, signup_required=True)
    leaving, waiting = (make_participant(location=location, host=host, first_name=name) for name in ("Kees", "Anna"))
    leaving_signup = services.signup_create(activity=activity, participant=leaving, user=host)
    services.signup_create(activity=activity, participant=waiting, user=host)
    errors: list[BaseException] = []

    def delete():
        try:
            services.participant_delete(participant=leaving, user=host)
        except BaseException as error:  # reported by the test, whatever it is
            errors.append(error)
        finally:
            connection.close()

    deleter = threading.Thread(target=delete)
    with transaction.atomic():  # what signup_cancel does, held open while the deletion starts
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '20s'")
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        deleter.start()
        _wait_until_blocked_by_me()
        SignUp.objects.filter(pk=leaving_signup.pk).update(status=SignUp.Status.CANCELLED)
        services._promote(locked)
    deleter.join(timeout=30)
    assert not deleter.is_alive()
    assert errors == []
    assert not Participant.objects.filter(pk=leaving.pk).exists()
    assert list(activity.signups.values_list("participant", "status")) == [(waiting.pk, SignUp.Status.CONFIRMED)]


class TestParticipants:
    def test_registration_keeps_consent_text_date_and_retention(self, workday, location, host):
        participant = make_participant(location=location, host=host, first_name=" Kees ")
        assert participant.first_name == "Kees" and participant.pseudonym.startswith("D-")
        assert participant.retain_until == datetime.date(2027, 6, 10)  # twelve months
        assert participant.consent_at == timezone.now()
        assert participant.retain_until.strftime("%d-%m-%Y") in participant.consent_text
        assert AccessLog.objects.filter(object_type="participant", action="create", username=host.username).exists()

    def test_registration_without_consent_is_refused(self, location, host):
        with pytest.raises(ValidationError):
            services.participant_register(location=location, user=host, first_name="Kees", consent=False)
        assert not Participant.objects.exists()

    def test_only_hosts_of_the_place_register(self, location, other_host):
        with pytest.raises(PermissionDenied):
            make_participant(location=location, host=other_host)

    @pytest.mark.parametrize(
        ("today", "months", "until"),
        [
            (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
            (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
            (datetime.date(2026, 11, 15), 14, datetime.date(2028, 1, 15)),
        ],
    )
    def test_retention_ends_on_the_same_day_or_the_end_of_a_shorter_month(self, location, today, months, until):
        location.retention_months = months
        assert services.participant_retain_until(location, today) == until

    def test_deleting_an_organiser_keeps_the_activity_without_one(self, location, host):
        kees = make_participant(location=location, host=host)
        activity = make_activity(location=location, host=host, organiser=kees)
        assert services.participant_delete(participant=kees, user=host) == []
        activity.refresh_from_db()
        assert activity.organiser is None

    def test_retention_sweep_deletes_expired_participants_once_and_moves_the_queue(self, location, host):
        activity = make_activity(location=location, host=host, capacity=1, signup_required=True)
        leaving, waiting, staying = (make_participant(location=location, host=host, first_name=n) for n in "ABC")
        for participant in (leaving, waiting):
            services.signup_create(activity=activity, participant=participant, user=host)
        Participant.objects.filter(pk=leaving.pk).update(retain_until=timezone.localdate() - datetime.timedelta(days=1))
        assert run_retention.apply().get()["counts"]["participant"] == 1
        assert run_retention.apply().get()["counts"]["participant"] == 0
        assert set(Participant.objects.all()) == {waiting, staying}
        assert SignUp.objects.get(participant=waiting).status == SignUp.Status.CONFIRMED
        logged = AccessLog.objects.get(object_type="participant", action="delete")
        assert (logged.object_id, logged.username) == (str(leaving.pk), "")

    def test_retention_sweep_forgets_old_expected_visitors_names_and_keeps_the_rows(self, location, users, host):
        expected = services.expected_visitor_announce(
            location=location, first_name="Kees", consent=True, announced_by=users[Role.BRIGADIER]
        )
        later = timezone.now() + datetime.timedelta(days=43)
        assert services.expected_visitors_forget(now=later - datetime.timedelta(days=2)) == 0
        assert services.expected_visitors_forget(now=later) == 1
        assert services.expected_visitors_forget(now=later) == 0
        expected.refresh_from_db()
        assert expected.first_name == ""  # the row stays for the figure "referrals arrived"
        assert not visible_expected_visitors(host).filter(pk=expected.pk).exists()


class TestExpectedVisitors:
    def test_the_brigade_announces_a_visitor_and_the_hosts_are_told_without_the_name(
        self, workday, location, host, colleague, other_host, users
    ):
        expected = services.expected_visitor_announce(
            location=location, first_name=" Kees ", consent=True, announced_by=users[Role.BRIGADIER]
        )
        assert (expected.first_name, expected.consent_at, expected.arrived_at) == ("Kees", timezone.now(), None)
        notices = Notification.objects.filter(kind="expected_visitor")
        assert {notice.recipient for notice in notices} == {host, colleague}
        assert not [n for n in notices if "Kees" in n.subject or "Kees" in n.body]
        assert AccessLog.objects.filter(object_type="expected_visitor", action="create").count() == 1

    @pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.PROJECT_LEADER, Role.MUNICIPALITY])
    def test_other_roles_cannot_announce(self, location, users, role):
        with pytest.raises(PermissionDenied):
            services.expected_visitor_announce(
                location=location, first_name="Kees", consent=True, announced_by=users[role]
            )

    def test_without_consent_nothing_is_announced(self, location, host, users):
        with pytest.raises(ValidationError) as refused:
            services.expected_visitor_announce(
                location=location, first_name="Kees", consent=False, announced_by=users[Role.BRIGADIER]
            )
        assert "consent" in refused.value.error_dict
        assert not ExpectedVisitor.objects.exists()
        assert not Notification.objects.filter(recipient=host).exists()

    def test_no_note_about_the_visitor_can_reach_the_hosts(self, location, users):
        assert "note" not in {field.name for field in ExpectedVisitor._meta.get_fields()}
        with pytest.raises(TypeError):
            services.expected_visitor_announce(
                location=location,
                first_name="Kees",
                consent=True,
                announced_by=users[Role.BRIGADIER],
                note="Vindt drukte lastig",
            )

    def test_a_first_name_is_needed_and_the_place_must_be_open(self, location, users):
        brigadier = users[Role.BRIGADIER]
        with pytest.raises(ValidationError):
            services.expected_visitor_announce(location=location, first_name="  ", consent=True, announced_by=brigadier)
        location.active = False
        location.save()
        with pytest.raises(ValidationError):
            services.expected_visitor_announce(
                location=location, first_name="Kees", consent=True, announced_by=brigadier
            )
        assert not ExpectedVisitor.objects.exists()

    def test_arrival_is_noted_and_logged_once(self, location, host, colleague, users):
        expected = services.expected_visitor_announce(
            location=location, first_name="Kees", consent=True, announced_by=users[Role.BRIGADE_COORDINATOR]
        )
        assert services.expected_visitor_arrived(expected=expected, user=host) is True
        assert services.expected_visitor_arrived(expected=expected, user=colleague) is False
        expected.refresh_from_db()
        assert expected.arrival_noted_by == host
        updates = AccessLog.objects.filter(object_type="expected_visitor", action="update")
        assert list(updates.values_list("username", flat=True)) == [host.username]

    def test_hosts_of_another_place_cannot_note_arrival(self, location, other_host, users):
        expected = services.expected_visitor_announce(
            location=location, first_name="Kees", consent=True, announced_by=users[Role.BRIGADIER]
        )
        with pytest.raises(PermissionDenied):
            services.expected_visitor_arrived(expected=expected, user=other_host)


class TestActivities:
    def test_a_full_activity_puts_the_next_on_the_waiting_list_and_a_cancellation_promotes(self, location, host):
        activity = make_activity(location=location, host=host, capacity=2, signup_required=True)
        first, second, third, fourth = (make_participant(location=location, host=host, first_name=n) for n in "ABCD")
        signups = [
            services.signup_create(activity=activity, participant=p, user=host) for p in (first, second, third, fourth)
        ]
        assert [s.status for s in signups] == ["confirmed", "confirmed", "waiting", "waiting"]
        promoted = services.signup_cancel(signup=signups[0], user=host)
        assert [s.participant for s in promoted] == [third]
        assert services.signup_cancel(signup=signups[0], user=host) == []  # cancelling twice changes nothing
        statuses = dict(activity.signups.values_list("participant", "status"))
        assert statuses == {first.pk: "cancelled", second.pk: "confirmed", third.pk: "confirmed", fourth.pk: "waiting"}

    def test_cancelling_a_waiting_sign_up_promotes_no_one(self, location, host):
        activity = make_activity(location=location, host=host, capacity=1, signup_required=True)
        a, b, c = (make_participant(location=location, host=host, first_name=n) for n in "ABC")
        services.signup_create(activity=activity, participant=a, user=host)
        waiting = services.signup_create(activity=activity, participant=b, user=host)
        services.signup_create(activity=activity, participant=c, user=host)
        assert services.signup_cancel(signup=waiting, user=host) == []
        assert activity.signups.get(participant=c).status == "waiting"

    def test_more_places_move_people_up(self, location, host):
        activity = make_activity(location=location, host=host, capacity=1, signup_required=True)
        a, b = (make_participant(location=location, host=host, first_name=n) for n in "AB")
        services.signup_create(activity=activity, participant=a, user=host)
        services.signup_create(activity=activity, participant=b, user=host)
        promoted = services.activity_update(activity=activity, user=host, organiser=host, capacity=2)
        assert [s.participant for s in promoted] == [b]

    def test_a_sign_up_twice_another_place_or_without_sign_up_is_refused(self, location, host, other_host):
        activity = make_activity(location=location, host=host, signup_required=True)
        kees = make_participant(location=location, host=host)
        services.signup_create(activity=activity, participant=kees, user=host)
        with pytest.raises(ValidationError):
            services.signup_create(activity=activity, participant=kees, user=host)
        elsewhere = make_participant(location=other_host.hosted_places.get().location, host=other_host)
        with pytest.raises(ValidationError):
            services.signup_create(activity=activity, participant=elsewhere, user=host)
        walk_in = make_activity(location=location, host=host, title="Wandelen")
        with pytest.raises(ValidationError):
            services.signup_create(activity=walk_in, participant=kees, user=host)
        assert SignUp.objects.count() == 1

    def test_the_organiser_is_a_host_or_a_participant_of_the_place(self, location, host, other_host):
        kees = make_participant(location=location, host=host)
        activity = make_activity(location=location, host=host, organiser=kees)
        assert activity.organiser == kees
        with pytest.raises(ValidationError):
            make_activity(location=location, host=host, organiser=other_host)
        elsewhere = make_participant(location=other_host.hosted_places.get().location, host=other_host)
        with pytest.raises(ValidationError):
            make_activity(location=location, host=host, organiser=elsewhere)

    def test_an_activity_that_ends_before_it_starts_is_refused(self, location, host):
        with pytest.raises(ValidationError):
            make_activity(location=location, host=host, start_time=datetime.time(17), end_time=datetime.time(16))

    def test_changing_the_time_moves_later_dates_but_not_noted_ones(self, workday, location, host):
        activity = make_activity(location=location, host=host)
        today = timezone.localdate()
        past = activity.occurrences.filter(date__lte=today).first()
        services.attendance_set(occurrence=past, user=host, attendance=6)
        services.activity_update(
            activity=activity, user=host, organiser=host, start_time=datetime.time(18), end_time=datetime.time(20)
        )
        later = activity.occurrences.filter(date__gt=today)
        assert later.exists() and set(later.values_list("start_time", flat=True)) == {datetime.time(18)}
        past.refresh_from_db()
        assert (past.attendance, past.start_time) == (6, datetime.time(17))

    def test_attendance_is_noted_from_the_day_on(self, workday, location, host):
        activity = make_activity(location=location, host=host)
        future = activity.occurrences.filter(date__gt=timezone.localdate()).first()
        with pytest.raises(ValidationError):
            services.attendance_set(occurrence=future, user=host, attendance=5)
        past = activity.occurrences.filter(date__lte=timezone.localdate()).first()
        services.attendance_set(occurrence=past, user=host, attendance=5)
        past.refresh_from_db()
        assert (past.attendance, past.attendance_noted_by) == (5, host)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_plans_the_sessions_once_when_the_task_runs_twice(worker, make_user):
    host = make_user(role=Role.HOST)
    make_location(hosts=[host])
    first = tasks.plan_sessions.delay().get(timeout=30)
    count = Session.objects.count()
    assert first == count > 40
    assert tasks.plan_sessions.delay().get(timeout=30) == 0
    assert Session.objects.count() == count
