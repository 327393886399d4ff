"""The one way to write the access log. If the row cannot be written, the caller's request fails."""

import hashlib
import hmac
import logging

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.utils import timezone

from meedoen.core.bulk import copy_rows
from meedoen.privacy.models import AccessAction, AccessLog, AccessResult

logger = logging.getLogger(__name__)


class AccessLogError(RuntimeError):
    """The access log could not be written; the access it describes must not happen."""


def client_address(request) -> str | None:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


# The columns of a row, in the order of AccessLog.content_of.
FIELDS = ["at", "user_id", "username", "role", "organisation", "resident_id", "object_type", "object_id", "action",
          "result", "origin"]  # fmt: skip


def _values(*, user, action, object_type, object_id, resident, allowed, request) -> tuple:
    """A row's values in the order of FIELDS."""
    authenticated = user is not None and user.is_authenticated
    organisation = getattr(user, "organisation", None) if authenticated else None
    return (
        timezone.now(),
        user.pk if authenticated else None,
        user.get_username() if authenticated else "",
        getattr(user, "role", "") if authenticated else "",
        organisation.name if organisation else "",
        getattr(resident, "pk", resident),
        object_type,
        str(object_id or ""),
        str(action),
        str(AccessResult.ALLOWED if allowed else AccessResult.DENIED),
        client_address(request),
    )


CHAIN_LOCK = 7513  # pg_advisory_xact_lock key: one writer extends the chain at a time (NEN 7513)


def chain_hash(previous: str, entry: AccessLog) -> str:
    return chain_hash_of(previous, entry.content())


def chain_hash_of(previous: str, content: bytes, keyed=None) -> str:
    """HMAC-SHA256 of the previous row's hash and this row's content; `keyed` (from `chain_key()`) saves setting
    the key up again for every row of a large batch."""
    digest = (keyed or chain_key()).copy()
    digest.update(previous.encode() + b"\x1e" + content)
    return digest.hexdigest()


def chain_key():
    return hmac.new(settings.ACCESS_LOG_KEY.encode(), digestmod=hashlib.sha256)


def _write(rows: list[tuple]) -> AccessLog | None:
    """Append rows (values in the order of FIELDS) to the chain; one row comes back saved, more are copied in bulk
    (COPY: an export logs a million rows). The advisory lock is held until the surrounding transaction commits, so
    the next writer reads the last committed row."""
    if not rows:
        return None
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
            # Raw SQL: this runs on every page, and the ORM takes longer to build the query than PostgreSQL to answer.
            cursor.execute(f"SELECT chain_hash FROM {AccessLog._meta.db_table} ORDER BY id DESC LIMIT 1")  # noqa: S608
            last = cursor.fetchone()
        previous = last[0] if last else ""
        chained, keyed = [], chain_key()
        for row in rows:
            previous = chain_hash_of(previous, AccessLog.content_of(*row), keyed)
            chained.append((*row, previous))
        if len(chained) == 1:
            return AccessLog.objects.create(**dict(zip([*FIELDS, "chain_hash"], chained[0], strict=True)))
        copy_rows(AccessLog, [*FIELDS, "chain_hash"], chained)
    return None


def log_access_many(*, user, action, object_type: str, objects: list[tuple[object, object]], request=None) -> None:
    """One row per (object id, resident id) pair, written at once: for lists, agendas and exports."""
    if not objects:
        return
    first = _values(
        user=user, action=action, object_type=object_type, object_id="", resident=None, allowed=True, request=request
    )
    rows = [(*first[:5], getattr(resident, "pk", resident), object_type, str(object_id or ""), *first[8:])
            for object_id, resident in objects]  # fmt: skip
    try:
        _write(rows)
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
    row = _values(
        user=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        resident=resident,
        allowed=allowed,
        request=request,
    )
    try:
        return _write([row])
    except DatabaseError as error:
        logger.exception("Access log write failed")
        raise AccessLogError("The access log could not be written") from error


def verify_chain() -> tuple[int, int | None]:
    """Walk the log in order. Returns (rows checked, id of the first row that does not fit, or None)."""
    previous = ""
    checked = 0
    for entry in AccessLog.objects.order_by("id").iterator(chunk_size=5000):
        if entry.chain_hash != chain_hash(previous, entry):
            return checked, entry.pk
        previous = entry.chain_hash
        checked += 1
    return checked, None


def get_logged_or_404(request, visible, pk, *, object_type: str, action=AccessAction.READ, resident_of=None):
    """The object `pk` from `visible` (a selector's queryset), with an access-log row. When the user may not see it:
    a "denied" row (naming the resident if the object exists, for the privacy officer) and a 404, so that its
    existence is not revealed."""
    resident_of = resident_of or (lambda obj: getattr(obj, "resident_id", None))
    found = visible.filter(pk=pk).first()
    subject = found or visible.model._base_manager.filter(pk=pk).first()
    log_access(
        user=request.user,
        action=action,
        object_type=object_type,
        object_id=pk,
        resident=resident_of(subject) if subject is not None else None,
        allowed=found is not None,
        request=request,
    )
    if found is None:
        raise Http404
    return found
