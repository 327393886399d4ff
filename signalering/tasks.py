"""Celery tasks of the signaleringsoverleg: thin, idempotent, safe to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

from signalering import reminders, services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_urgent_signal(signal_id: int) -> int:
    return reminders.urgent_signal_notices(signal_ids=[signal_id])


@shared_task(acks_late=True)
def sweep_urgent_signals() -> int:
    return reminders.urgent_signal_notices()


@shared_task(acks_late=True)
def send_daily_digests() -> int:
    return reminders.daily_digest()


@shared_task(acks_late=True)
def send_agenda_notices() -> int:
    return reminders.agenda_notices()


@shared_task(acks_late=True)
def plan_meetings() -> int:
    return services.meetings_plan(until=timezone.localdate() + datetime.timedelta(weeks=12))
