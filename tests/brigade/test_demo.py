import datetime
from collections import defaultdict

import pytest
from django.conf import settings
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext

from brigade.models import (
    ACTIVE_ASSIGNMENT,
    Assignment,
    AssignmentStatus,
    Availability,
    BrigadeSettings,
    Brigadier,
    Contact,
    TrainingRecord,
    VisitRequest,
)
from brigade.selectors import REQUESTING_ROLES
from brigade.workflow import OPEN_STATUSES, REFERRED_ON, Referral, RequestStatus
from meedoen.accounts.demo import DEMO_PASSWORD
from meedoen.accounts.models import DistrictMembership, Role, User
from meedoen.privacy.models import AccessLog, Resident
from signalering.models import Event, Signal
from signalering.workflow import Outcome, Status
from tests.factories.demo import seed_demo

MODELS = (
    User,
    Brigadier,
    Availability,
    TrainingRecord,
    BrigadeSettings,
    VisitRequest,
    Assignment,
    Contact,
    Resident,
    Event,
)
ORGANISATIONS = {"Stichting Lumen", "GGZ Rivierduinen", "Brijder Verslavingszorg", "Cliëntenraad Meedoen"}


def _visited() -> set[int]:
    """Residents with at least one contact that was not "no answer"."""
    return set(Contact.objects.exclude(kind=Contact.Kind.NO_ANSWER).values_list("request__resident", flat=True))


def _referred_on() -> set[int]:
    finished = VisitRequest.objects.filter(status=RequestStatus.DONE, referral__in=REFERRED_ON)
    return set(finished.values_list("resident", flat=True))


def test_prints_a_one_line_summary(seeded):
    line = next(line for line in seeded.splitlines() if line.startswith("Vliegende Brigade:"))
    assert "6 brigadiers (5 active)" in line
    assert f"{VisitRequest.objects.count()} visit requests" in line
    assert f"{len(_visited())} residents visited, {len(_referred_on())} referred on." in line


def test_six_trained_brigadiers_one_of_them_paused(seeded):
    brigadiers = list(
        Brigadier.objects.select_related("user__organisation").prefetch_related(
            "districts", "expertise", "availability", "training__module"
        )
    )
    assert len(brigadiers) == 6
    assert any(brigadier.user.username == "brigadier" for brigadier in brigadiers)
    assert sum(not brigadier.active for brigadier in brigadiers) == 1
    assert {brigadier.kind for brigadier in brigadiers} == set(Brigadier.Kind.values)
    assert {brigadier.user.organisation.name for brigadier in brigadiers} == ORGANISATIONS
    assert sum(len(brigadier.languages) > 1 for brigadier in brigadiers) >= 3
    for brigadier in brigadiers:
        assert brigadier.user.role == Role.BRIGADIER and brigadier.user.check_password(DEMO_PASSWORD)
        assert 2 <= len(brigadier.districts.all()) <= 5 and 2 <= brigadier.max_active <= 4
        assert "Nederlands" in brigadier.languages and brigadier.expertise.all() and brigadier.availability.all()
        basic = [r for r in brigadier.training.all() if r.module.name == "Basistraining ervaringsdeskundigheid"]
        assert len(basic) == 1 and basic[0].certified and basic[0].refresher_due > basic[0].completed_on
    assert BrigadeSettings.objects.count() == 1


def test_refreshers_due_soon_and_one_overdue_for_the_coordinator(seeded):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=BrigadeSettings.current().refresher_notice_days)
    due = TrainingRecord.objects.filter(refresher_due__lte=soon, brigadier__active=True)
    assert due.filter(refresher_due__lt=today).count() == 1
    assert 1 <= due.filter(refresher_due__gte=today).count() <= 2
    assert not TrainingRecord.objects.filter(completed_on__gt=today).exists()


def test_about_40_people_guided_over_18_months(seeded):
    assert 35 <= VisitRequest.objects.count() <= 45
    first = VisitRequest.objects.aggregate(first=Min("created_at"))["first"]
    assert timezone.now() - datetime.timedelta(days=560) <= first <= timezone.now() - datetime.timedelta(days=365)
    assert set(VisitRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert 4 <= VisitRequest.objects.filter(status__in=OPEN_STATUSES).count() <= 10


def test_about_20_residents_visited_and_10_referred_on(seeded):
    assert 18 <= len(_visited()) <= 22
    assert 9 <= len(_referred_on()) <= 11
    assert _referred_on() <= _visited()
    referrals = set(VisitRequest.objects.exclude(referral="").values_list("referral", flat=True))
    assert referrals >= {Referral.OWN_STRENGTH, Referral.NO_CONTACT} and len(referrals & REFERRED_ON) >= 3


def test_each_request_tells_a_consistent_story(seeded):
    now, today = timezone.now(), timezone.localdate()
    coordinator = User.objects.get(username="coordinator")
    seats = set(DistrictMembership.objects.values_list("user_id", "district_id"))
    requests = VisitRequest.objects.select_related("requested_by").prefetch_related("assignments", "contacts")
    for request in requests:
        assignments, contacts = list(request.assignments.all()), list(request.contacts.all())
        active = [a for a in assignments if a.status in ACTIVE_ASSIGNMENT]
        assert request.requested_by.role in REQUESTING_ROLES, request.number
        assert (request.requested_by_id, request.district_id) in seats, request.number
        assert 1 <= len(assignments) <= 2 or request.status in (RequestStatus.NEW, RequestStatus.CANCELLED)
        answered = {}
        for assignment in assignments:
            assert assignment.assigned_by_id == coordinator.pk
            assert request.created_at < assignment.assigned_at < now
            if assignment.responded_at:
                assert assignment.assigned_at < assignment.responded_at < now
            answered[assignment.brigadier_id] = assignment.responded_at
        for contact in contacts:
            assert answered.get(contact.brigadier_id) is not None, request.number  # one of its brigadiers
            assert answered[contact.brigadier_id] < contact.created_at < (request.closed_at or now)
            assert contact.date <= today and contact.note and contact.duration_minutes > 0
        real = [c.created_at for c in contacts if c.kind != Contact.Kind.NO_ANSWER]
        assert request.first_contact_at == (min(real) if real else None), request.number
        if request.status in OPEN_STATUSES:
            assert request.closed_at is None and not request.referral
        else:
            assert request.created_at < request.closed_at < now and request.outcome_note and not active
        if request.status == RequestStatus.NEW:
            assert not active and not contacts
        elif request.status == RequestStatus.ASSIGNED:
            assert active and {a.status for a in active} == {AssignmentStatus.PROPOSED} and not contacts
        elif request.status == RequestStatus.IN_CONTACT:
            assert active and {a.status for a in active} == {AssignmentStatus.ACCEPTED} and contacts
        elif request.status == RequestStatus.DONE:
            assert request.referral and {a.status for a in assignments} == {AssignmentStatus.ENDED}
            assert bool(real) == (request.referral != Referral.NO_CONTACT), request.number
        else:
            assert not request.referral and not real


def test_no_brigadier_ever_has_more_than_their_maximum(seeded):
    periods = defaultdict(list)
    for assignment in Assignment.objects.select_related("request"):
        declined = assignment.status == AssignmentStatus.DECLINED
        periods[assignment.brigadier_id].append(
            (assignment.assigned_at, assignment.responded_at if declined else assignment.request.closed_at)
        )
    for brigadier in Brigadier.objects.all():
        active = brigadier.assignments.filter(status__in=ACTIVE_ASSIGNMENT).count()
        assert active <= brigadier.max_active
        assert active == 0 or brigadier.active
        for start, _ in periods[brigadier.pk]:
            taken = sum(1 for s, e in periods[brigadier.pk] if s <= start and (e is None or e > start))
            assert taken <= brigadier.max_active, brigadier


def test_the_brigadier_account_has_an_assignment_to_answer_and_one_with_contacts(seeded):
    mine = Assignment.objects.filter(brigadier__user__username="brigadier")
    assert mine.filter(status=AssignmentStatus.PROPOSED).exists()
    accepted = mine.filter(status=AssignmentStatus.ACCEPTED)
    assert any(Contact.objects.filter(request=a.request_id, brigadier=a.brigadier_id).exists() for a in accepted)


def test_the_coordinator_has_a_queue_and_an_assessment_list(seeded):
    assert VisitRequest.objects.filter(status=RequestStatus.NEW).exists()
    listed = VisitRequest.objects.filter(needs_assessment=True)
    assert listed.count() >= 2
    assert set(listed.values_list("status", flat=True)) <= {RequestStatus.NEW, RequestStatus.ASSIGNED}
    decided = VisitRequest.objects.exclude(assessment_decision="")
    assert decided.count() == 1 and not decided.get().needs_assessment
    assert decided.get().created_at < decided.get().assessed_at < decided.get().assignments.get().assigned_at


def test_requests_from_signals_follow_the_signal_and_its_timeline(seeded):
    linked = VisitRequest.objects.filter(signal__isnull=False).select_related("signal")
    assert linked.count() >= 10
    for request in linked:
        signal = request.signal
        assert (request.resident_id, request.district_id) == (signal.resident_id, signal.district_id)
        assert request.requested_by_id in (signal.lead_id, signal.reporter_id)
        assert request.created_at > signal.first_discussed_at
        if signal.status == Status.CLOSED:
            assert request.closed_at < signal.closed_at, request.number
        events = list(Event.objects.filter(signal=signal, kind=Event.Kind.BRIGADE, data__visit_request=request.pk))
        with translation.override(settings.LANGUAGE_CODE):
            texts = [gettext("Visit by the Vliegende Brigade requested (%(number)s).") % {"number": request.number}]
            if request.status == RequestStatus.DONE:
                label = Referral(request.referral).label
                texts.append(gettext("Vliegende Brigade finished: %(outcome)s.") % {"outcome": label})
            elif request.status == RequestStatus.CANCELLED:
                texts.append(
                    gettext("Visit request %(number)s cancelled: %(reason)s")
                    % {"number": request.number, "reason": request.outcome_note}
                )
        assert [event.text for event in events] == texts
        assert (events[0].at, events[0].actor_id) == (request.created_at, request.requested_by_id)
        assert events[-1].at == (request.closed_at or request.created_at)


def test_every_signal_closed_by_the_brigade_has_its_finished_request(seeded):
    closed = Signal.objects.filter(status=Status.CLOSED, outcome=Outcome.BRIGADE)
    assert closed.exists()
    for signal in closed:
        assert signal.visit_requests.filter(status=RequestStatus.DONE).count() == 1, signal.pk


def test_signal_timelines_stay_in_order_of_writing(seeded):
    for signal_id in VisitRequest.objects.filter(signal__isnull=False).values_list("signal", flat=True):
        moments = list(Event.objects.filter(signal=signal_id).order_by("pk").values_list("at", flat=True))
        assert moments == sorted(moments), signal_id


def test_direct_requests_are_about_residents_new_to_the_system(seeded):
    direct = VisitRequest.objects.filter(signal__isnull=True).select_related("resident")
    assert direct.count() >= 5
    for request in direct:
        assert not request.resident.signals.exists()
        assert request.resident.identity_hash and request.resident.full_name
        assert request.resident.created_at == request.created_at


def test_writes_no_access_log(seeded):
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("username", "url"),
    [("coordinator", "/brigade/"), ("coordinator", "/brigade/assessment/"), ("brigadier", "/brigade/mine/")],
)
def test_demo_accounts_see_their_brigade_pages(seeded, client, username, url):
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200
    if url == "/brigade/":
        assert response.context["queue"] and len(response.context["training_due"]) >= 2
    if url == "/brigade/mine/":
        assert {a.status for a in response.context["assignments"]} == set(ACTIVE_ASSIGNMENT)


def test_coordinator_sees_the_ranking_for_an_open_request(seeded, client):
    client.force_login(User.objects.get(username="coordinator"))
    request = VisitRequest.objects.filter(status=RequestStatus.NEW).first()
    response = client.get(f"/brigade/requests/{request.pk}/")
    assert response.status_code == 200
    assert any(match.assignable for match in response.context["matches"])


def test_is_idempotent(seeded):
    counts = [model.objects.count() for model in MODELS]
    output = seed_demo()
    assert "Vliegende Brigade: demo requests already there, nothing added." in output
    assert [model.objects.count() for model in MODELS] == counts


def test_is_deterministic(seeded):
    def fingerprint():
        requests = VisitRequest.objects.order_by("created_at").values_list(
            "created_at", "district__name", "signal", "status", "referral", "question", "first_contact_at", "closed_at"
        )
        assignments = Assignment.objects.order_by("request__created_at", "assigned_at").values_list(
            "brigadier__user__username", "status", "assigned_at"
        )
        return list(requests), list(assignments), Contact.objects.count()

    before = fingerprint()
    direct = list(VisitRequest.objects.filter(signal__isnull=True).values_list("resident", flat=True))
    Event.objects.filter(kind=Event.Kind.BRIGADE).delete()
    VisitRequest.objects.all().delete()
    Resident.objects.filter(pk__in=direct).delete()
    seed_demo()
    assert fingerprint() == before
