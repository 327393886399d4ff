import datetime

import pytest
from django.utils import timezone

from brigade import reminders, services, tasks
from brigade.models import Assignment, TrainingModule, TrainingRecord, VisitRequest
from meedoen.notifications.models import Notification


@pytest.fixture
def assignment(visit_request, brigadier, coordinator):
    return services.assignment_create(visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator)


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_no_contact_within_n_working_days_reminds_brigadier_and_coordinator_once(assignment, brigadier, coordinator):
    Assignment.objects.filter(pk=assignment.pk).update(assigned_at=timezone.now() - datetime.timedelta(days=14))
    assert reminders.contact_overdue_notices() == 2
    assert reminders.contact_overdue_notices() == 0
    assert "contact_overdue" in kinds(brigadier.user) and "contact_overdue" in kinds(coordinator)


def test_a_logged_contact_stops_the_reminder(assignment, brigadier):
    Assignment.objects.filter(pk=assignment.pk).update(assigned_at=timezone.now() - datetime.timedelta(days=14))
    services.contact_log(
        assignment=assignment, user=brigadier.user, date=timezone.localdate(), kind="phone", duration_minutes=10
    )
    assert reminders.contact_overdue_notices() == 0


def test_a_fresh_assignment_is_not_overdue(assignment):
    assert reminders.contact_overdue_notices() == 0


def test_unassigned_request_reminds_the_coordinators_once(visit_request, coordinator):
    assert reminders.unassigned_notices() == 0
    VisitRequest.objects.filter(pk=visit_request.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    assert reminders.unassigned_notices() == 1
    assert reminders.unassigned_notices() == 0


def test_refresher_due_reminds_the_coordinator_once(brigadier, coordinator):
    module = TrainingModule.objects.create(name="Veiligheid", refresher_months=12)
    TrainingRecord.objects.create(
        brigadier=brigadier,
        module=module,
        completed_on=datetime.date(2025, 12, 1),
        refresher_due=timezone.localdate() + datetime.timedelta(days=10),
    )
    TrainingRecord.objects.create(
        brigadier=brigadier,
        module=module,
        completed_on=datetime.date(2025, 1, 1),
        refresher_due=timezone.localdate() + datetime.timedelta(days=200),
    )
    assert reminders.refresher_notices() == 1
    assert reminders.refresher_notices() == 0


def test_the_sweep_run_twice_sends_once(assignment, brigadier, coordinator):
    VisitRequest.objects.create(
        resident=assignment.request.resident,
        district=assignment.request.district,
        question="x",
        requested_by=coordinator,
        created_at=timezone.now() - datetime.timedelta(days=10),
    )
    first = tasks.sweep_brigade_reminders.apply().get()
    assert first == 2  # the new assignment (lost message) and the unassigned request
    assert tasks.sweep_brigade_reminders.apply().get() == 0
