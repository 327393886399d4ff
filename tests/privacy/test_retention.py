"""The nightly retention sweep: periods as data, what goes and what stays, the figures unchanged, safe to run twice."""

import datetime
import json

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from brigade.models import Assignment, Contact, VisitRequest
from brigade.selectors import visible_requests
from meedoen.privacy.models import AccessLog, Resident, RetentionPeriod, RetentionRun
from meedoen.privacy.selectors import known_resident
from meedoen.privacy.services import retention_sweep
from meedoen.privacy.tasks import run_retention
from signalering import services
from signalering.models import Action, Discussion, Event, Signal
from signalering.selectors import visible_signals
from tests.factories.signalering import district_with_members, make_signal
from tests.privacy.conftest import JAN, at, figures
from zelfregie.models import ExpectedVisitor

# Jan's signal was closed on 4 March 2024, his last visit request finished on 25 February 2024; 24 months each.


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_the_default_periods_are_two_years_and_live_in_the_database(db):
    assert dict(RetentionPeriod.objects.values_list("kind", "months")) == {"signal": 24, "visit_request": 24}


def test_a_closed_signal_stays_one_day_before_its_period_and_goes_one_day_after(history):
    with at("2026-03-03"):
        retention_sweep()
    assert fresh(history.signal).anonymised_at is None
    assert fresh(history.signal).description
    with at("2026-03-05"):
        run = retention_sweep()
    assert fresh(history.signal).anonymised_at is not None
    assert run.counts["signal"] == 2  # Jan's and Klaas's, closed the same day


def test_anonymising_a_signal_removes_its_personal_content_and_keeps_what_is_counted(history):
    before = fresh(history.signal)
    categories = list(before.categories.values_list("pk", flat=True))
    with at("2026-03-05"):
        retention_sweep()
    after = fresh(history.signal)
    assert (after.description, after.next_step, after.resident, after.neighbourhood) == ("", "", None, None)
    kept = ("district_id", "created_at", "closed_at", "status", "outcome", "urgency", "first_discussed_at")
    assert [getattr(after, name) for name in kept] == [getattr(before, name) for name in kept]
    assert list(after.categories.values_list("pk", flat=True)) == categories
    assert set(Discussion.objects.filter(signal=after).values_list("notes", "decision")) == {("", "")}
    assert set(Action.objects.filter(signal=after).values_list("description", flat=True)) == {""}
    assert set(Event.objects.filter(signal=after).values_list("text", flat=True)) == {""}
    assert Event.objects.filter(signal=after).count() == before.events.count()  # the timeline's dates stay
    assert not visible_signals(history.professional).filter(pk=after.pk).exists()


def test_an_anonymised_signal_can_no_longer_be_changed_or_opened(history, client_for):
    with at("2026-03-05"):
        retention_sweep()
    with pytest.raises(ValidationError):
        services.signal_transition(
            signal=history.signal, user=history.professional, target="in_progress", expected_version=None, reason="x"
        )
    response = client_for(history.professional).get(reverse("signalering:signal", args=[history.signal.pk]))
    assert response.status_code == 404


def test_an_open_signal_is_never_anonymised_however_old(history):
    with at("2030-01-01"):
        retention_sweep()
    piet = fresh(history.open_signal)
    assert piet.anonymised_at is None and piet.resident_id == history.piet.pk
    assert fresh(history.piet).full_name == "Piet de Vries"


def test_visit_requests_go_one_day_after_the_residents_last_one_with_assignments_and_contacts(history):
    requests = [history.first_request, history.second_request]
    with at("2026-02-24"):
        assert retention_sweep().counts["visit_request"] == 0
    with at("2026-02-26"):
        assert retention_sweep().counts["visit_request"] == 2
    anonymised = VisitRequest.objects.filter(pk__in=[r.pk for r in requests])
    assert {(r.question, r.outcome_note, r.preferred_language) for r in anonymised} == {("", "", "")}
    assert not anonymised.filter(preferred_expertise__isnull=False).exists()
    assert {r.referral for r in anonymised} == {"zelfregie", "own_strength"}
    stand_ins = set(anonymised.values_list("resident_id", flat=True))
    assert len(stand_ins) == 1 and history.jan.pk not in stand_ins  # together, and no longer linked to Jan
    stand_in = Resident.objects.get(pk=stand_ins.pop())
    assert stand_in.anonymised_at is not None and stand_in.full_name == "" and stand_in.identity_hash == ""
    assert set(Contact.objects.filter(request__in=anonymised).values_list("note", flat=True)) == {""}
    assert Contact.objects.filter(request__in=anonymised).count() == 2  # dates, kinds and durations stay
    assert set(Assignment.objects.filter(request__in=anonymised).values_list("decline_reason", flat=True)) == {""}
    assert not visible_requests(history.coordinator).filter(pk__in=[r.pk for r in requests]).exists()


def test_a_finished_request_stays_while_the_resident_has_an_open_one(history):
    from brigade.services import visit_request_create

    with at("2026-02-01"):
        visit_request_create(
            requested_by=history.coordinator, resident=history.jan, district=history.district, question="Weer zorgen."
        )
    with at("2026-03-10"):
        assert retention_sweep().counts["visit_request"] == 0
    assert fresh(history.first_request).question


def test_the_resident_keeps_identifying_data_while_a_live_record_needs_them(history):
    with at("2026-02-26"):  # the visit requests went, the closed signal is still within its period
        retention_sweep()
    jan = fresh(history.jan)
    assert (jan.full_name, jan.anonymised_at) == ("Jan Smit", None)
    with at("2026-03-05"):
        run = retention_sweep()
    jan = fresh(history.jan)
    assert jan.anonymised_at is not None
    assert (jan.full_name, jan.date_of_birth, jan.street, jan.house_number, jan.postcode, jan.phone) == (
        "",
        None,
        "",
        "",
        "",
        "",
    )
    assert (jan.identity_hash, jan.address_hash) == ("", "")
    assert jan.pseudonym == history.jan.pseudonym  # the access log about Jan can still be read
    assert known_resident(**JAN) is None  # "already known?" no longer finds him
    assert run.counts["resident"] == 2  # Jan and Klaas; Piet's signal is open
    assert fresh(history.piet).full_name == "Piet de Vries"


def test_a_resident_known_again_after_anonymisation_is_a_new_resident(history):
    with at("2026-03-05"):
        retention_sweep()
        again = make_signal(reporter=history.professional, district=history.district, new_resident=JAN)
    assert again.resident_id != history.jan.pk
    assert again.resident.full_name == "Jan Smit"


def test_the_figures_are_the_same_before_and_after_the_sweep(history):
    with at("2026-03-05"):
        before = (figures(), figures(history.district), figures(history.other_district))
        run = retention_sweep()
        after = (figures(), figures(history.district), figures(history.other_district))
    assert run.counts["signal"] and run.counts["visit_request"] and run.counts["expected_visitor"]
    assert after == before
    assert before[0][0]["brigade"]["residents_visited"] == 1  # Jan's two requests still count as one person
    assert before[0][0]["path"]["referrals_arrived"] == 1


def test_the_period_is_data(history):
    RetentionPeriod.objects.filter(kind="signal").update(months=36)
    with at("2026-03-05"):
        assert retention_sweep().counts["signal"] == 0
    with at("2027-03-05"):
        assert retention_sweep().counts["signal"] == 2


def test_a_kind_without_a_row_keeps_its_default(history):
    RetentionPeriod.objects.all().delete()
    with at("2026-03-05"):
        assert retention_sweep().counts["signal"] == 2


def test_running_the_task_twice_does_everything_once(history):
    with at("2026-03-05"):
        first = run_retention.apply().get()
        second = run_retention.apply().get()
    assert first["counts"] == {"signal": 2, "visit_request": 2, "participant": 0, "expected_visitor": 1, "resident": 2}
    assert set(second["counts"].values()) == {0}
    assert RetentionRun.objects.count() == 2
    assert all(run.finished_at for run in RetentionRun.objects.all())


def test_the_run_record_holds_counts_per_kind_and_nothing_else(history):
    with at("2026-03-05"):
        run = retention_sweep()
    stored = json.dumps(RetentionRun.objects.values("counts").get(pk=run.pk)["counts"])
    assert all(isinstance(value, int) for value in run.counts.values())
    for text in ("Jan", "Smit", history.jan.pseudonym, "Matilo"):
        assert text not in stored


def test_the_sweep_is_in_the_access_log_without_a_user_and_without_content(history):
    since = AccessLog.objects.order_by("-id").values_list("id", flat=True).first()
    with at("2026-03-05"):
        retention_sweep()
    rows = AccessLog.objects.filter(id__gt=since)
    assert set(rows.values_list("action", flat=True)) == {"delete"}
    assert set(rows.values_list("username", flat=True)) == {""}
    assert rows.filter(object_type="signal", object_id=str(history.signal.pk), resident=history.jan).exists()
    assert rows.filter(object_type="resident", resident=history.jan).exists()
    assert rows.filter(object_type="visit_request", resident=history.jan).count() == 2


def test_the_expected_visitors_first_name_is_forgotten_and_the_arrival_kept(history):
    with at("2024-04-10"):
        retention_sweep()
    expected = ExpectedVisitor.objects.get()
    assert expected.first_name == "" and expected.arrived_at is not None


def test_the_retention_task_is_scheduled_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["retention"]
    assert entry["task"] == "meedoen.privacy.tasks.run_retention"
    assert entry["schedule"] == crontab(hour=3, minute=15)
    assert "zelfregie.tasks.sweep_retention" not in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_sweep_twice_and_does_everything_once(worker, make_user):
    from meedoen.accounts.models import Role

    professional = make_user(role=Role.PROFESSIONAL)
    district = district_with_members(professional)
    long_ago = timezone.now() - datetime.timedelta(days=3 * 365)
    signal = make_signal(
        reporter=professional, district=district, new_resident={"postcode": "2311 AA", "house_number": "9"}
    )
    services.signal_transition(
        signal=signal, user=professional, target="closed", expected_version=None, outcome="no_action"
    )
    Signal.objects.filter(pk=signal.pk).update(closed_at=long_ago)
    first = run_retention.delay().get(timeout=60)
    second = run_retention.delay().get(timeout=60)
    assert (first["counts"]["signal"], first["counts"]["resident"]) == (1, 1)
    assert set(second["counts"].values()) == {0}
    assert Signal.objects.get(pk=signal.pk).resident_id is None


def test_the_administrator_sets_the_periods_in_the_admin(users, client_for):
    from meedoen.accounts.models import Role

    client = client_for(users[Role.ADMIN])
    row = RetentionPeriod.objects.get(kind="signal")
    url = reverse("admin:privacy_retentionperiod_change", args=[row.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "signal", "months": "0"})
    assert response.status_code == 200 and RetentionPeriod.objects.get(pk=row.pk).months == 24  # at least a month
    assert client.post(url, {"kind": "signal", "months": "36"}).status_code == 302
    assert RetentionPeriod.months_for("signal") == 36
    assert client_for(users[Role.PRIVACY_OFFICER]).get(url).status_code == 302  # not staff: to the admin login
