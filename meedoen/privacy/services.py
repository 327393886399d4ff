from django.db import transaction

from meedoen.privacy.audit import log_access
from meedoen.privacy.models import AccessAction, Resident
from meedoen.privacy.selectors import known_resident

IDENTIFYING_FIELDS = ("full_name", "date_of_birth", "street", "house_number", "postcode", "phone")


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
    """The resident already known by these details (see known_resident), else a new one."""
    return known_resident(**identifying) or resident_create(created_by=created_by, request=request, **identifying)
