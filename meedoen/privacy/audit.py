"""The one way to write the access log. If the row cannot be written, the caller's request fails."""

import logging

from django.db import DatabaseError, transaction

from meedoen.privacy.models import AccessAction, AccessLog, AccessResult

logger = logging.getLogger(__name__)


class AccessLogError(RuntimeError):
    """The access log could not be written; the access it describes must not happen."""


def client_address(request) -> str | None:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _entry(*, user, action, object_type, object_id, resident, allowed, request) -> AccessLog:
    authenticated = user is not None and user.is_authenticated
    organisation = getattr(user, "organisation", None) if authenticated else None
    return AccessLog(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        role=getattr(user, "role", "") if authenticated else "",
        organisation=organisation.name if organisation else "",
        resident_id=getattr(resident, "pk", resident),
        object_type=object_type,
        object_id=str(object_id or ""),
        action=action,
        result=AccessResult.ALLOWED if allowed else AccessResult.DENIED,
        origin=client_address(request),
    )


def log_access_many(*, user, action, object_type: str, objects: list[tuple[object, object]], request=None) -> None:
    """One row per (object id, resident id) pair, written in one statement: for lists, agendas and exports."""
    entries = [
        _entry(
            user=user,
            action=action,
            object_type=object_type,
            object_id=object_id,
            resident=resident,
            allowed=True,
            request=request,
        )
        for object_id, resident in objects
    ]
    try:
        with transaction.atomic():
            AccessLog.objects.bulk_create(entries, batch_size=1000)
    except DatabaseError as error:
        logger.exception("Access log write failed")
        raise AccessLogError("The access log could not be written") from error


def log_access(
    *,
    user,
    action: AccessAction | str,
    object_type: str,
    object_id: object = "",
    resident=None,
    allowed: bool = True,
    request=None,
) -> AccessLog:
    entry = _entry(
        user=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        resident=resident,
        allowed=allowed,
        request=request,
    )
    try:
        with transaction.atomic():
            entry.save(force_insert=True)
    except DatabaseError as error:
        logger.exception("Access log write failed")
        raise AccessLogError("The access log could not be written") from error
    return entry
