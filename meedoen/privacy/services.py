"""Writes of residents' data: creating and changing residents, the nightly retention sweep, and erasure."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.models import Role
from meedoen.privacy.audit import log_access
from meedoen.privacy.models import AccessAction, Resident, ResidentErasure, RetentionRun
from meedoen.privacy.records import keepers
from meedoen.privacy.selectors import erasure_blockers, known_resident

IDENTIFYING_FIELDS = ("full_name", "date_of_birth", "street", "house_number", "postcode", "phone")
RESIDENTS = "resident"  # the key of anonymised residents in a run's counts


@transaction.atomic
def resident_create(*, created_by, request=None, **identifying) -> Resident:
    unknown = set(identifying) - set(IDENTIFYING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    resident = Resident(**identifying)
    resident.refresh_hashes()
    resident.full_clean()
    resident.save()
    log_access(
        user=created_by,
        action=AccessAction.CREATE,
        object_type="resident",
        object_id=resident.pk,
        resident=resident,
        request=request,
    )
    return resident


@transaction.atomic
def resident_update(*, resident: Resident, changed_by, request=None, **identifying) -> Resident:
    for field, value in identifying.items():
        if field not in IDENTIFYING_FIELDS:
            raise TypeError(f"Unknown resident field: {field}")
        setattr(resident, field, value)
    resident.refresh_hashes()
    resident.full_clean()
    resident.save()
    log_access(
        user=changed_by,
        action=AccessAction.UPDATE,
        object_type="resident",
        object_id=resident.pk,
        resident=resident,
        request=request,
    )
    return resident


@transaction.atomic
def resident_find_or_create(*, created_by, request=None, **identifying) -> Resident:
    """The resident already known by these details (see known_resident), else a new one.

    The known resident's row stays locked until the caller's transaction ends, so the retention sweep (which locks
    it too before it empties it) cannot anonymise the resident while a new record is being linked to them.
    """
    known = known_resident(**identifying)
    if known is not None:
        locked = Resident.objects.select_for_update().filter(pk=known.pk, anonymised_at__isnull=True).first()
        if locked is not None:
            return locked
    return resident_create(created_by=created_by, request=request, **identifying)


def _live_elsewhere(resident_id: int) -> bool:
    return any(
        keeper.live_records().filter(resident_id=resident_id).exists() for keeper in keepers() if keeper.live_records
    )


@transaction.atomic
def resident_anonymise(*, resident_id: int, now: datetime.datetime, user=None, request=None) -> bool:
    """Empty a resident's identifying fields and blind indexes, when no live record needs them any more.

    The pseudonym stays, so that the access log about the resident can still be read; nothing links it to a person.
    The row is locked first and the live records are looked up after, so a record linked meanwhile is seen.
    Returns whether this call anonymised the resident.
    """
    locked = Resident.objects.select_for_update().filter(pk=resident_id, anonymised_at__isnull=True)
    if not locked.values_list("pk", flat=True) or _live_elsewhere(resident_id):
        return False
    locked.update(
        full_name="",
        date_of_birth=None,
        street="",
        house_number="",
        postcode="",
        phone="",
        identity_hash="",
        address_hash="",
        anonymised_at=now,
    )
    log_access(
        user=user,
        action=AccessAction.DELETE,
        object_type="resident",
        object_id=resident_id,
        resident=resident_id,
        request=request,
    )
    return True


def residents_anonymise_unneeded(*, now: datetime.datetime) -> int:
    """Anonymise every resident whom no live record points at any more. Returns how many."""
    candidates = Resident.objects.filter(anonymised_at__isnull=True)
    for keeper in keepers():
        if keeper.live_records:
            candidates = candidates.filter(~Exists(keeper.live_records().filter(resident_id=OuterRef("pk"))))
    ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    return sum(resident_anonymise(resident_id=pk, now=now) for pk in ids)


def retention_sweep(*, now: datetime.datetime | None = None) -> RetentionRun:
    """Anonymise or delete every kind of record past its retention period, then the residents no record needs.

    Not one transaction: each record is claimed and changed in its own (a conditional UPDATE, or a row lock and a
    second look), so a run that stops halfway has done part of the work and the next run does the rest, and two
    runs at once never do a record twice. The run record gets each kind's count as soon as it is known.
    """
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now)
    for keeper in keepers():
        run.counts[keeper.kind] = keeper.sweep(now=now)
        run.save(update_fields=["counts"])
    run.counts[RESIDENTS] = residents_anonymise_unneeded(now=now)
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    return run


@transaction.atomic
def resident_erase(*, resident: Resident, erased_by, reason: str, request=None) -> ResidentErasure:
    """Erase a resident at their request (AVG art. 17): every record about them is anonymised now, as retention
    would do later, and their identifying fields are emptied. What the figures count stays; so does the access log.

    Only the privacy officer erases, with a reason; refused while a signal or visit request about the resident is
    open (see erasure_blockers), and refused a second time.
    """
    if erased_by.role != Role.PRIVACY_OFFICER or not erased_by.is_active:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the erasure, for example the request's reference.")})
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    refused = erasure_blockers(resident=locked)
    if refused:
        raise ValidationError(refused)
    now = timezone.now()
    counts = {}
    for keeper in keepers():
        counts[keeper.kind] = keeper.erase(resident=locked, now=now, user=erased_by)
    if not resident_anonymise(resident_id=locked.pk, now=now, user=erased_by, request=request):
        # A record was linked to the resident after the check: nothing of this erasure is kept (one transaction).
        raise ValidationError(_("Something about this resident changed meanwhile. Nothing was erased; try again."))
    erasure = ResidentErasure(resident=locked, erased_at=now, erased_by=erased_by, reason=reason, counts=counts)
    erasure.full_clean()
    erasure.save()
    return erasure
