"""seed_scale: a large synthetic set that holds together like real use (small here; `make bench` makes a million)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Min, Q
from django.test import override_settings
from django.utils import timezone

from brigade.models import ACTIVE_ASSIGNMENT, Assignment, Brigadier, VisitRequest
from meedoen.accounts.models import District, DistrictMembership, User
from meedoen.accounts.scale import BENCH_ACCOUNTS, BENCH_PASSWORD
from meedoen.core.workdays import add_working_days, working_days_between
from meedoen.privacy.audit import verify_chain
from meedoen.privacy.models import AccessLog, Resident
from meedoen.reports.figures import Period, all_figures
from signalering.models import Action, ConcernCategory, Discussion, Event, Meeting, Signal
from signalering.workflow import Status
from zelfregie.models import Session

SIGNALS = 3000


@pytest.fixture(scope="module")
def scale_set(django_db_setup, django_db_blocker):
    """One small set per module, rolled back afterwards."""
    from django.db import transaction

    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):
            call_command("seed_scale", signals=SIGNALS, years=2, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def scaled(scale_set, db):
    return scale_set


def test_makes_the_signals_asked_for_in_districts_of_their_size(scaled):
    assert Signal.objects.count() == SIGNALS
    assert District.objects.count() == 10  # at least one region; 2,500 signals per district beyond that
    per_district = Signal.objects.values("district").annotate(n=Count("pk")).values_list("n", flat=True)
    assert set(per_district) == {SIGNALS // 10}
    assert 0.75 * SIGNALS <= Resident.objects.count() <= 0.85 * SIGNALS + 0.05 * SIGNALS  # brigade adds some


def test_every_signal_is_reported_by_a_member_of_its_district_for_their_organisation(scaled):
    members = set(DistrictMembership.objects.values_list("user", "district"))
    for reporter, district, organisation, reporter_organisation in Signal.objects.values_list(
        "reporter", "district", "source_organisation", "reporter__organisation"
    ):
        assert (reporter, district) in members
        assert organisation == reporter_organisation


def test_discussions_happen_in_held_meetings_of_the_signals_district_after_the_report(scaled):
    now = timezone.now()
    bad = Discussion.objects.exclude(meeting__district=F("signal__district"))
    assert not bad.exists()
    assert not Discussion.objects.filter(meeting__starts_at__gte=now).exists()
    assert not Discussion.objects.filter(meeting__starts_at__lt=F("signal__created_at")).exists()
    assert not Discussion.objects.exclude(meeting__state=Meeting.State.HELD).exists()


def test_first_discussion_deadlines_and_working_days_follow_the_calendar(scaled):
    firsts = dict(
        Discussion.objects.values("signal").annotate(first=Min("meeting__starts_at")).values_list("signal", "first")
    )
    for signal in Signal.objects.all():
        reported = timezone.localdate(signal.created_at)
        assert signal.first_discussion_due == add_working_days(reported, 10)
        assert signal.first_discussed_at == firsts.get(signal.pk)
        if signal.first_discussed_at:
            expected = working_days_between(reported, timezone.localdate(signal.first_discussed_at))
            assert signal.first_discussion_working_days == expected


def test_states_fit_the_story(scaled):
    last = dict(Discussion.objects.values("signal").annotate(at=Max("updated_at")).values_list("signal", "at"))
    for signal in Signal.objects.all():
        if signal.status == Status.CLOSED:
            assert signal.outcome and signal.closed_at >= last[signal.pk]
        else:
            assert not signal.outcome and signal.closed_at is None
        if signal.status in (Status.IN_PROGRESS, Status.MONITORING):
            assert signal.pk in last and signal.next_step_due and signal.lead_id
        if signal.status in (Status.NEW, Status.SCHEDULED):
            assert signal.pk not in last
    statuses = dict(Signal.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses[Status.CLOSED] > SIGNALS / 2 and statuses.get(Status.IN_PROGRESS, 0) > 0


def test_concerns_vary_from_signal_to_signal(scaled):
    per_signal = Signal.objects.annotate(n=Count("categories")).values_list("n", flat=True)
    assert set(per_signal) == {1, 2, 3}
    used = Signal.categories.through.objects.values("concerncategory").distinct().count()
    assert used == ConcernCategory.objects.filter(active=True).count()


def test_actions_are_done_after_they_were_agreed(scaled):
    assert Action.objects.count() > SIGNALS / 2
    assert not Action.objects.filter(done_at__lt=F("created_at")).exists()
    assert not Action.objects.filter(signal__status=Status.CLOSED, done_at__isnull=True).exists()


def test_every_signal_has_a_timeline_that_starts_with_its_report(scaled):
    first_events = Event.objects.filter(kind=Event.Kind.REPORTED).values_list("signal", "at")
    assert dict(first_events) == dict(Signal.objects.values_list("pk", "created_at"))
    closed = Event.objects.filter(kind=Event.Kind.STATUS).count()
    assert closed == Signal.objects.filter(status=Status.CLOSED).count()
    assert Event.objects.filter(kind=Event.Kind.DISCUSSED).count() == Discussion.objects.count()


def test_brigade_keeps_every_brigadier_within_their_maximum(scaled):
    assert VisitRequest.objects.count() > SIGNALS * 0.05
    for brigadier in Brigadier.objects.annotate(
        taken=Count("assignments", filter=Q(assignments__status__in=ACTIVE_ASSIGNMENT))
    ):
        assert brigadier.taken <= brigadier.max_active
    from_signals = VisitRequest.objects.filter(signal__isnull=False)
    assert not from_signals.exclude(resident=F("signal__resident")).exists()
    assert not Assignment.objects.exclude(brigadier__districts=F("request__district")).exists()


def test_access_log_is_chained_and_about_five_rows_a_signal(scaled):
    checked, broken = verify_chain()
    assert broken is None and checked == AccessLog.objects.count()
    assert 4 * SIGNALS <= checked <= 7 * SIGNALS
    ordered = list(AccessLog.objects.order_by("id").values_list("at", flat=True)[:2000])
    assert ordered == sorted(ordered)


def test_figures_read_the_set(scaled):
    today = timezone.localdate()
    figures = all_figures(Period(today - datetime.timedelta(days=365), today))
    assert figures["signals"]["new"] > 0 and figures["signals"]["median_working_days_to_first_discussion"]
    assert figures["brigade"]["requests"] > 0 and figures["zelfregie"]["visitors"] > 0
    assert Session.objects.filter(date__gt=today, visitors=0).exists()  # planned ahead, not yet counted


def test_bench_accounts_log_in(scaled, client):
    for username, *_ in BENCH_ACCOUNTS:
        assert User.objects.get(username=username).check_password(BENCH_PASSWORD)
    # Through the login form, as the benchmark does (django-axes needs the request).
    response = client.post("/accounts/login/", {"username": "bench.professional", "password": BENCH_PASSWORD})
    assert response.status_code == 302
    assert client.get("/signals/").status_code == 200


def test_refuses_a_database_with_data(scaled):
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="empty database"):
        call_command("seed_scale", signals=10, stdout=io.StringIO())


def test_refuses_without_debug(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_scale", signals=10, stdout=io.StringIO())


def test_every_benchmark_page_answers_its_user_and_has_its_queries_explained(scaled, monkeypatch):
    from meedoen.bench import __main__ as bench

    monkeypatch.setattr(bench, "LARGE_TABLE_ROWS", -1)  # a small set: every table counts, so that scans are seen
    with override_settings(ROOT_URLCONF="meedoen.bench.urls"):
        pages = [page for page in bench.pages() if page.user]
        checked = [bench.queries_and_indexes(page) for page in pages]  # raises unless each page answers 200
    assert {page.name for page in pages} >= {"signal list", "signal page", "meeting agenda"}
    assert all(queries > 0 for queries, _ in checked)
    assert any("django_session" in scans for _, scans in checked)  # the session is read by a sequential scan
