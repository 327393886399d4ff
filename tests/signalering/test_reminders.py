"""Reminders: derived from the database, so running twice sends once and a lost run is caught up."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from meedoen.notifications.models import Notification
from meedoen.notifications.services import email_send
from signalering import reminders, services, tasks
from signalering.models import Signal
from tests.factories.signalering import make_meeting, make_signal


def test_daily_digest_goes_to_members_with_something_to_do_once(professional, colleague, district):
    signal = make_signal(reporter=colleague, district=district)
    services.action_create(
        signal=signal, user=colleague, description="Bellen", owner=professional, due=datetime.date(2020, 1, 1)
    )
    assert reminders.daily_digest() == 3  # the professional, the colleague and the chair: a new signal
    assert reminders.daily_digest() == 0
    digest = Notification.objects.get(recipient=professional, kind="daily_digest")
    assert "1 action due or overdue" in digest.body or "1 actie" in digest.body


def test_daily_digest_skips_members_with_nothing_to_do(professional, district):
    assert reminders.daily_digest() == 0


def test_agenda_goes_to_every_member_once_per_meeting(professional, colleague, chair, district):
    meeting = make_meeting(district, days_ahead=1)
    signal = make_signal(reporter=professional, district=district)
    assert reminders.agenda_notices() == 3
    assert reminders.agenda_notices() == 0
    # A day later, closer to the meeting: still nothing new.
    assert reminders.agenda_notices(now=timezone.now() + datetime.timedelta(hours=20)) == 0
    signal.refresh_from_db()
    assert signal.status == "scheduled"
    meeting.refresh_from_db()
    assert meeting.agenda_sent_at is not None


def test_agenda_waits_until_n_days_before_the_meeting(professional, district):
    make_meeting(district, days_ahead=6)
    assert reminders.agenda_notices() == 0


def test_urgent_signal_reaches_the_chair_once_even_when_the_task_runs_twice(professional, chair, district):
    signal = make_signal(reporter=professional, district=district, urgency=Signal.Urgency.URGENT)
    assert tasks.notify_urgent_signal.apply(args=[signal.pk]).get() == 1
    assert tasks.notify_urgent_signal.apply(args=[signal.pk]).get() == 0
    assert Notification.objects.filter(recipient=chair, kind="urgent_signal").count() == 1


def test_the_sweep_finds_an_urgent_signal_whose_message_was_lost(professional, chair, district):
    make_signal(reporter=professional, district=district, urgency=Signal.Urgency.URGENT)  # on_commit never ran
    assert tasks.sweep_urgent_signals.apply().get() == 1
    assert tasks.sweep_urgent_signals.apply().get() == 0


def test_email_is_sent_once_per_notification(professional, colleague, district):
    make_signal(reporter=colleague, district=district)
    reminders.daily_digest()
    notification = Notification.objects.get(recipient=professional)
    assert email_send(notification_id=notification.pk) is True
    assert email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [professional.email]
    assert notification.subject in message.subject


def test_unsent_emails_are_found_by_the_sweep(professional, colleague, district):
    make_signal(reporter=colleague, district=district)
    reminders.daily_digest()
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    from meedoen.notifications.tasks import send_unsent_emails

    assert send_unsent_emails.apply().get() == 3
    assert send_unsent_emails.apply().get() == 0
    assert len(mail.outbox) == 3


def test_a_failed_send_is_released_for_the_next_try(professional, colleague, district, monkeypatch):
    make_signal(reporter=colleague, district=district)
    reminders.daily_digest()
    notification = Notification.objects.get(recipient=professional)

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(OSError):
        email_send(notification_id=notification.pk)
    monkeypatch.undo()
    assert email_send(notification_id=notification.pk) is True


def test_a_claim_of_a_dead_worker_expires(professional, colleague, district):
    make_signal(reporter=colleague, district=district)
    reminders.daily_digest()
    notification = Notification.objects.get(recipient=professional)
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=timezone.now())
    assert email_send(notification_id=notification.pk) is False  # another worker is busy with it
    Notification.objects.filter(pk=notification.pk).update(
        email_claimed_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    assert email_send(notification_id=notification.pk) is True


def test_planning_meetings_twice_plans_once(district):
    first = tasks.plan_meetings.apply().get()
    assert first > 0
    assert tasks.plan_meetings.apply().get() == 0


def test_notifications_page_and_mark_read(client, professional, colleague, district):
    make_signal(reporter=colleague, district=district)
    reminders.daily_digest()
    client.force_login(professional)
    response = client.get("/notifications/")
    assert response.context["unread_notifications"] == 1
    client.post("/notifications/read/")
    assert client.get("/notifications/").context["unread_notifications"] == 0


@pytest.mark.django_db(transaction=True)
def test_urgent_signal_travels_through_the_real_broker_and_worker(worker, make_user):
    import time

    from meedoen.accounts.models import Role
    from tests.factories.signalering import district_with_members

    professional, chair = make_user(role=Role.PROFESSIONAL), make_user(role=Role.CHAIR)
    district = district_with_members(professional, chairs=[chair])
    make_signal(reporter=professional, district=district, urgency=Signal.Urgency.URGENT)
    deadline = time.monotonic() + 15
    while not Notification.objects.filter(recipient=chair, emailed_at__isnull=False).exists():
        assert time.monotonic() < deadline, "the worker did not deliver the urgent notice"
        time.sleep(0.1)
    assert len(mail.outbox) == 1
