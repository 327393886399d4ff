from celery import shared_task

from meedoen.notifications import services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    return services.email_send(notification_id=notification_id)


@shared_task
def send_unsent_emails() -> int:
    """Find e-mails whose queue message was lost (or whose worker died) and send them."""
    ids = services.unsent_notification_ids()
    for notification_id in ids:
        services.email_send(notification_id=notification_id)
    return len(ids)
