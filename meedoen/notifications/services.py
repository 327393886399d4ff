"""Notifications: in the app at once, by e-mail through Celery. Once per recipient, kind, item and day."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from meedoen.notifications.models import Notification

logger = logging.getLogger(__name__)

# A claim on an e-mail older than this is taken to belong to a worker that died; the next sweep tries again.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


def notify(
    *, recipient, kind: str, item, subject: str, body: str, url: str = "", day: datetime.date | None = None
) -> Notification | None:
    """Create the notification unless it exists for this day; returns it when new, else None.

    The e-mail is queued when the transaction commits; a message lost on the way is found by the sweep.
    """
    day = day or timezone.localdate()
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                item_type=item._meta.model_name,
                item_id=item.pk,
                day=day,
                subject=str(subject)[:200],
                body=str(body),
                url=url,
            )
    except IntegrityError:
        return None  # already sent today
    from meedoen.notifications.tasks import send_notification_email

    transaction.on_commit(lambda: send_notification_email.delay(notification.pk), robust=True)
    return notification


def email_send(*, notification_id: int) -> bool:
    """Send one notification's e-mail, unless it was sent or another worker is sending it. Returns True if sent."""
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
        .exclude(email_claimed_at__gt=now - CLAIM_TIMEOUT)
        .update(email_claimed_at=now)
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    if recipient.email and recipient.is_active:
        with translation.override(settings.LANGUAGE_CODE):
            context = {"notification": notification, "user": recipient, "site_url": settings.SITE_URL}
            subject = render_to_string("emails/notification_subject.txt", context).strip()
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string("emails/notification_body.txt", context),
                to=[recipient.email],
            )
            message.attach_alternative(render_to_string("emails/notification_body.html", context), "text/html")
            try:
                message.send()
            except Exception:
                # Give the claim back so that the retry (or the next sweep) can send it.
                Notification.objects.filter(pk=notification_id).update(email_claimed_at=None)
                raise
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


def unsent_notification_ids(*, older_than: datetime.timedelta = datetime.timedelta(minutes=2)) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff)
        .exclude(email_claimed_at__gt=timezone.now() - CLAIM_TIMEOUT)
        .values_list("pk", flat=True)[:500]
    )


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())
