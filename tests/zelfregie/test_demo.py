import datetime

from django.db.models import Count, Sum
from django.utils import timezone

from meedoen.accounts.models import User
from meedoen.privacy.models import AccessLog
from tests.factories.demo import seed_demo
from zelfregie.models import (
    Activity,
    Closure,
    ExpectedVisitor,
    Location,
    LocationHost,
    Occurrence,
    Participant,
    Session,
    SignUp,
    WalkInHours,
)
from zelfregie.selectors import closed_days, open_expected_visitors, visible_participants

MODELS = (
    Location,
    WalkInHours,
    Closure,
    LocationHost,
    Session,
    Participant,
    Activity,
    Occurrence,
    SignUp,
    ExpectedVisitor,
)


def test_prints_a_summary_with_counts(seeded):
    line = next(line for line in seeded.splitlines() if line.startswith("Zelfregiecentrum:"))
    assert f"{Session.objects.count()} walk-in sessions" in line
    assert f"{Participant.objects.count()} participants" in line


def test_matilo_opens_six_afternoons_a_week_and_gastvrouw_is_its_host(seeded):
    matilo = Location.objects.get(name="Huis van de Buurt Matilo")
    hours = list(matilo.walk_in_hours.all())
    assert len(hours) == 6 and len({h.weekday for h in hours}) == 6
    assert all(h.start_time >= datetime.time(12) for h in hours)
    gastvrouw = User.objects.get(username="gastvrouw")
    assert list(LocationHost.objects.filter(user=gastvrouw).values_list("location__name", flat=True)) == [matilo.name]
    assert set(visible_participants(gastvrouw).values_list("location", flat=True)) == {matilo.pk}
    assert open_expected_visitors(gastvrouw).exists()


def test_two_more_places_with_hours_and_a_host(seeded):
    assert Location.objects.filter(active=True).count() == 3
    for location in Location.objects.all():
        assert location.walk_in_hours.exists() and location.hosts.exists() and location.description


def test_18_months_of_counts_add_up_to_about_8000_visitors(seeded):
    today = timezone.localdate()
    past = Session.objects.filter(date__lt=today)
    assert 7800 <= past.aggregate(total=Sum("visitors"))["total"] <= 8200
    first = past.order_by("date").first().date
    assert today - datetime.timedelta(days=560) <= first <= today - datetime.timedelta(days=540)
    per_place = dict(past.values_list("location__slug").annotate(n=Sum("visitors")).order_by())
    assert per_place["matilo"] > per_place["de-kooi"] and per_place["matilo"] > per_place["merenwijk"]
    assert past.aggregate(new=Sum("new_visitors"))["new"] < 0.2 * 8000


def test_no_session_on_a_public_holiday_or_a_closure(seeded):
    today = timezone.localdate()
    for location in Location.objects.all():
        closed = closed_days([location.pk], today - datetime.timedelta(days=560), today + datetime.timedelta(weeks=9))
        dates = set(Session.objects.filter(location=location).values_list("date", flat=True))
        assert not dates & set(closed[location.pk]), location


def test_sessions_are_planned_weeks_ahead_with_an_empty_count_from_today(seeded):
    today = timezone.localdate()
    coming = Session.objects.filter(date__gte=today)
    assert coming.filter(date__gte=today + datetime.timedelta(weeks=7)).exists()
    assert not coming.exclude(visitors=0).exists()


def test_activities_have_dates_with_attendance_and_a_full_one_has_a_waiting_list(seeded):
    today = timezone.localdate()
    assert Activity.objects.count() >= 7
    assert Activity.objects.filter(public=False).exists() and Activity.objects.filter(recurrence="once").exists()
    past = Occurrence.objects.filter(date__lt=today)
    assert past.count() >= 300 and not past.filter(attendance__isnull=True).exists()
    assert Occurrence.objects.filter(date__gt=today).exists()
    cooking = Activity.objects.get(title="Samen koken")
    statuses = dict(cooking.signups.values_list("status").annotate(n=Count("pk")).order_by())
    assert statuses == {"confirmed": cooking.capacity, "waiting": 2}
    last_confirmed = cooking.signups.filter(status="confirmed").latest("created_at").created_at
    assert cooking.signups.filter(status="waiting").earliest("created_at").created_at > last_confirmed
    assert Activity.objects.filter(organiser_participant__isnull=False).exists()


def test_participants_are_pseudonymous_with_consent_and_a_retention_date(seeded):
    today = timezone.localdate()
    assert Participant.objects.count() >= 25
    for participant in Participant.objects.all():
        assert participant.pseudonym.startswith("D-")
        assert participant.consent_at.date() <= today < participant.retain_until
        assert participant.retain_until.strftime("%d-%m-%Y") in participant.consent_text


def test_writes_no_access_log(seeded):
    assert not AccessLog.objects.exists()


def test_is_idempotent(seeded):
    counts = [model.objects.count() for model in MODELS]
    output = seed_demo()
    assert "Zelfregiecentrum: demo history already there, nothing added." in output
    assert [model.objects.count() for model in MODELS] == counts


def test_is_deterministic(seeded):
    def fingerprint():
        return (
            list(
                Session.objects.order_by("location__slug", "date", "start_time").values_list(
                    "date", "visitors", "new_visitors"
                )
            ),
            list(Participant.objects.order_by("pseudonym").values_list("pseudonym", "first_name", "retain_until")),
            list(
                Occurrence.objects.order_by("activity__title", "date").values_list(
                    "activity__title", "date", "attendance"
                )
            ),
        )

    before = fingerprint()
    for model in (ExpectedVisitor, SignUp, Occurrence, Activity, Participant, Session):
        model.objects.all().delete()
    seed_demo()
    assert fingerprint() == before


def test_the_brigade_announced_visitors_by_first_name_only_with_consent_when_announced(seeded):
    expected = list(ExpectedVisitor.objects.all())
    assert {visitor.first_name for visitor in expected} == {"Kees", "Mirjam", "Ahmed"}
    assert all(visitor.consent_at == visitor.announced_at for visitor in expected)
