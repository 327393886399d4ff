"""Celery tasks of the Zelfregiecentrum: thin, idempotent, safe to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

from zelfregie import services


@shared_task(acks_late=True)
def plan_sessions() -> int:
    """Walk-in sessions and activity dates for the coming weeks; a second run creates nothing twice."""
    today = timezone.localdate()
    until = today + datetime.timedelta(weeks=services.PLAN_WEEKS)
    return services.sessions_plan(until=until, today=today) + services.occurrences_plan(until=until, today=today)
