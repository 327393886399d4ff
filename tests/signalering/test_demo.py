import datetime
from collections import Counter

import pytest
from django.apps import apps
from django.db.models import Count, Max, Min
from django.utils import timezone

from meedoen.accounts.models import District, DistrictMembership, MembershipRole, User
from meedoen.privacy.models import AccessLog, Resident
from meedoen.privacy.selectors import known_resident
from signalering.models import Action, Discussion, Event, Meeting, MeetingSeries, Signal
from signalering.selectors import agenda_signals, next_meeting
from signalering.workflow import OPEN_STATUSES, Outcome, Status, can_transition
from tests.factories.demo import seed_demo

MODELS = (User, DistrictMembership, MeetingSeries, Meeting, Resident, Signal, Discussion, Action, Event)


def test_prints_a_summary_with_counts(seeded):
    line = next(line for line in seeded.splitlines() if line.startswith("Signaleringsoverleg:"))
    assert f"{Signal.objects.count()} signals" in line
    assert f"{Meeting.objects.count()} meetings" in line
    assert f"{Action.objects.count()} actions" in line


def test_about_450_signals_over_18_months(seeded):
    now = timezone.now()
    assert 400 <= Signal.objects.count() <= 500
    span = Signal.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert now - datetime.timedelta(days=560) <= span["first"] <= now - datetime.timedelta(days=480)
    assert now - datetime.timedelta(days=14) <= span["last"] < now


def test_every_district_has_an_overleg_members_meetings_and_signals(seeded):
    today = timezone.localdate()
    for district in District.objects.all():
        series = MeetingSeries.objects.get(district=district)
        assert series.interval_weeks in (2, 4) and series.location
        memberships = DistrictMembership.objects.filter(district=district).select_related("user")
        assert 4 <= len(memberships) <= 7, district
        assert len({m.user.organisation_id for m in memberships}) >= 4, district
        assert sum(m.role == MembershipRole.CHAIR for m in memberships) == 1, district
        meetings = Meeting.objects.filter(district=district)
        assert meetings.filter(state=Meeting.State.HELD).count() >= 15, district
        assert not meetings.filter(state=Meeting.State.HELD, minutes="").exists()
        planned = meetings.filter(state=Meeting.State.PLANNED)
        assert planned.count() >= 2
        assert all(m.starts_at > timezone.now() - datetime.timedelta(hours=3) for m in planned)  # or running now
        assert timezone.localdate(planned.last().starts_at) <= today + datetime.timedelta(weeks=12)
        assert Signal.objects.filter(district=district).count() >= 20, district


def test_more_signals_in_the_inner_city_and_leiden_noord(seeded):
    counts = dict(Signal.objects.order_by().values_list("district__name").annotate(n=Count("pk")))
    busy = min(counts[name] for name in ("Binnenstad-Noord", "Binnenstad-Zuid", "Leiden-Noord"))
    assert busy > max(counts[name] for name in ("Stevenshof", "Boerhaavedistrict", "Merenwijk"))


def test_closed_signals_show_a_realistic_mix_of_outcomes(seeded):
    closed = Signal.objects.filter(status=Status.CLOSED)
    outcomes = Counter(closed.values_list("outcome", flat=True))
    assert set(outcomes) == set(Outcome.values)
    assert outcomes.most_common(1)[0][0] == Outcome.REFERRED_TO_CARE
    assert outcomes[Outcome.REFERRED_TO_ACTIVITY] > outcomes[Outcome.BRIGADE]
    assert 0.02 <= outcomes[Outcome.BRIGADE] / closed.count() <= 0.10


def test_closed_signals_have_an_outcome_and_close_after_their_discussion(seeded):
    for signal in Signal.objects.all():
        if signal.status == Status.CLOSED:
            assert signal.outcome and signal.closed_at, signal.pk
            assert signal.first_discussed_at is not None and signal.first_discussed_at <= signal.closed_at
        else:
            assert not signal.outcome and signal.closed_at is None, signal.pk


def test_old_signals_are_mostly_closed_and_recent_ones_open(seeded):
    now = timezone.now()
    old = Signal.objects.filter(created_at__lt=now - datetime.timedelta(days=100))
    assert old.filter(status=Status.CLOSED).count() >= 0.8 * old.count()
    recent = Signal.objects.filter(created_at__gte=now - datetime.timedelta(days=30))
    assert recent.filter(status__in=OPEN_STATUSES).count() >= 0.5 * recent.count()
    assert set(Signal.objects.values_list("status", flat=True)) == set(Status.values)


def test_reporter_is_a_member_and_the_source_is_their_organisation(seeded):
    seats = set(DistrictMembership.objects.values_list("user_id", "district_id"))
    for signal in Signal.objects.select_related("reporter"):
        assert (signal.reporter_id, signal.district_id) in seats, signal.pk
        assert signal.source_organisation_id == signal.reporter.organisation_id
        assert signal.neighbourhood.district_id == signal.district_id
        assert signal.created_at < timezone.now()
        assert signal.first_discussion_due > timezone.localdate(signal.created_at)
        assert 1 <= signal.categories.count() <= 3
        if signal.lead_id:
            assert (signal.lead_id, signal.district_id) in seats, signal.pk


def test_discussions_happen_at_held_meetings_of_the_signals_district(seeded):
    for discussion in Discussion.objects.select_related("meeting", "signal"):
        assert discussion.meeting.state == Meeting.State.HELD
        assert discussion.meeting.district_id == discussion.signal.district_id
        assert discussion.meeting.starts_at > discussion.signal.created_at
        assert discussion.decision
    firsts = Discussion.objects.values("signal").annotate(first=Min("meeting__starts_at"))
    discussed = dict(Signal.objects.filter(first_discussed_at__isnull=False).values_list("pk", "first_discussed_at"))
    assert {row["signal"]: row["first"] for row in firsts} == discussed


def test_open_discussed_signals_have_a_lead_and_a_next_step(seeded):
    today = timezone.localdate()
    active = Signal.objects.filter(status__in=[Status.IN_PROGRESS, Status.MONITORING])
    assert active.exists()
    assert not active.filter(lead__isnull=True).exists()
    assert not active.filter(next_step_due__isnull=True).exists()
    assert active.filter(next_step_due__lt=today).exists()  # some follow-ups are overdue
    assert active.filter(next_step_due__gte=today).exists()


def test_actions_are_done_before_closing_and_some_are_open_or_overdue(seeded):
    today = timezone.localdate()
    for action in Action.objects.select_related("signal", "owner"):
        assert DistrictMembership.objects.filter(user=action.owner, district=action.signal.district_id).exists()
        if action.signal.status == Status.CLOSED:
            assert action.done_at is not None and action.done_at <= action.signal.closed_at
        if action.done_at:
            assert action.done_at > action.created_at
    assert max(Counter(Action.objects.values_list("signal", flat=True)).values()) <= 2
    open_actions = Action.objects.filter(done_at__isnull=True)
    assert open_actions.filter(due__lt=today).exists() and open_actions.filter(due__gte=today).exists()


@pytest.mark.parametrize("username", ["wijkteam", "voorzitter"])
def test_demo_accounts_have_plenty_of_work(seeded, username):
    today = timezone.localdate()
    user = User.objects.get(username=username)
    assert Signal.objects.filter(lead=user, status__in=OPEN_STATUSES).count() >= 2
    actions = Action.objects.filter(owner=user, done_at__isnull=True)
    assert actions.count() >= 2
    assert actions.filter(due__lt=today).exists()


def test_binnenstad_zuid_meets_within_two_weeks_with_a_full_agenda(seeded):
    district = District.objects.get(name="Binnenstad-Zuid")
    meeting = next_meeting(district.pk)
    assert meeting is not None
    assert meeting.starts_at <= timezone.now() + datetime.timedelta(days=14)
    agenda = list(agenda_signals(meeting))
    assert len(agenda) >= 8
    assert sum(signal.first_discussed_at is None for signal in agenda) >= 4
    assert sum(signal.first_discussed_at is not None for signal in agenda) >= 3  # follow-ups due
    assert any(signal.urgency == Signal.Urgency.URGENT for signal in agenda)
    assert any(signal.lead and signal.lead.username == "wijkteam" for signal in agenda)


def test_events_tell_each_signals_story_in_order(seeded):
    events = {}
    for event in Event.objects.order_by("signal", "pk"):
        events.setdefault(event.signal_id, []).append(event)
    actions = dict(Action.objects.values_list("pk", "signal_id"))
    for signal in Signal.objects.all():
        timeline = events[signal.pk]
        assert timeline[0].kind == Event.Kind.REPORTED and timeline[0].at == signal.created_at
        assert [e.at for e in timeline] == sorted(e.at for e in timeline), signal.pk
        status = Status.NEW
        for event in timeline:
            event.detail()  # the timeline renders every event
            if event.kind == Event.Kind.STATUS:
                assert event.data["old"] == status and can_transition(status, event.data["new"]), signal.pk
                status = event.data["new"]
                assert bool(event.data["outcome"]) == (status == Status.CLOSED)
            if event.kind in (Event.Kind.ACTION, Event.Kind.ACTION_DONE):
                assert actions[event.data["action"]] == signal.pk
        assert status == signal.status, signal.pk
        if signal.status == Status.CLOSED:
            last = [e for e in timeline if e.kind == Event.Kind.STATUS][-1]
            assert last.data["outcome"] == signal.outcome and last.at == signal.closed_at
        assert timeline[-1].at <= timezone.now()


def test_residents_are_pseudonymous_and_some_are_known_in_several_signals(seeded):
    assert Signal.objects.filter(resident__isnull=False).count() >= 0.8 * Signal.objects.count()
    per_resident = Counter(Signal.objects.filter(resident__isnull=False).values_list("resident", flat=True))
    assert max(per_resident.values()) <= 3
    repeated = [pk for pk, n in per_resident.items() if n > 1]
    assert 0.05 <= len(repeated) / len(per_resident) <= 0.2
    resident = Resident.objects.filter(pk__in=repeated).exclude(identity_hash="").first()
    assert known_resident(full_name=resident.full_name, date_of_birth=resident.date_of_birth) == resident
    assert not Resident.objects.filter(identity_hash="", address_hash="").exists()


def test_writes_no_access_log(seeded):
    assert not AccessLog.objects.exists()


def test_is_idempotent(seeded):
    counts = [model.objects.count() for model in MODELS]
    output = seed_demo()
    assert "nothing added" in output
    assert [model.objects.count() for model in MODELS] == counts


def test_is_deterministic(seeded):
    def fingerprint():
        return list(
            Signal.objects.order_by("created_at", "district__name").values_list(
                "district__name", "created_at", "status", "outcome", "description", "resident__pseudonym"
            )
        )

    before = fingerprint()
    for model in (Event, Action, Discussion):
        model.objects.all().delete()
    Signal.objects.all().delete()
    apps.get_model("brigade", "VisitRequest").objects.all().delete()  # the brigade demo's requests hold residents
    Resident.objects.all().delete()
    Meeting.objects.all().delete()
    seed_demo()
    assert fingerprint() == before
