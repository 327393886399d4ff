"""Celery tasks of the Vliegende Brigade: thin, idempotent, safe to run twice."""

from celery import shared_task

from brigade import reminders


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_new_assignment(assignment_id: int) -> int:
    return reminders.new_assignment_notices(assignment_ids=[assignment_id])


@shared_task(acks_late=True)
def sweep_brigade_reminders() -> int:
    return (
        reminders.new_assignment_notices()
        + reminders.contact_overdue_notices()
        + reminders.unassigned_notices()
        + reminders.refresher_notices()
    )
