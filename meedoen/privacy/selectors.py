"""Who may see which resident. Every view, export and search of residents goes through here."""

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from meedoen.accounts.models import Role
from meedoen.privacy.models import AccessLog, Resident, ResidentErasure, RetentionRun
from meedoen.privacy.records import keepers


def known_resident(*, full_name: str = "", date_of_birth=None, postcode: str = "", house_number: str = "", **_):
    """The resident already known by these details, comparing keyed hashes only (nothing is decrypted).

    By name and date of birth; or, when only an address is given, the address-only resident there. An address
    alone never matches a named person: a housemate or a later tenant is somebody else.
    """
    identity = Resident.identity_key(full_name, date_of_birth)
    address = Resident.address_key(postcode, house_number)
    known = Resident.objects.filter(anonymised_at__isnull=True).order_by("pk")
    if identity:
        return known.filter(identity_hash=identity).first()
    if address:
        return known.filter(address_hash=address, identity_hash="").first()
    return None


def _privacy_officer(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.PRIVACY_OFFICER


def access_log_for(user):
    """The access log, readable only by the privacy officer."""

    if _privacy_officer(user):
        return AccessLog.objects.all()
    return AccessLog.objects.none()


def residents_for(user) -> QuerySet[Resident]:
    """Residents for subject access and erasure: the privacy officer only."""
    return Resident.objects.all() if _privacy_officer(user) else Resident.objects.none()


def residents_matching(
    user, *, pseudonym: str = "", full_name: str = "", date_of_birth=None, postcode: str = "", house_number: str = ""
) -> QuerySet[Resident]:
    """The residents a subject-access request can be about: by pseudonym, by name and date of birth, or by postcode
    and house number, through the blind indexes (nothing is decrypted to search). Unlike known_resident, an address
    finds everyone known there, named or not: the privacy officer then checks who the request is from."""
    residents = residents_for(user)
    if pseudonym:
        return residents.filter(pseudonym=pseudonym.strip().upper())
    identity = Resident.identity_key(full_name, date_of_birth)
    if identity:
        return residents.filter(identity_hash=identity)
    address = Resident.address_key(postcode, house_number)
    if address:
        return residents.filter(address_hash=address)
    return residents.none()


def erasure_blockers(*, resident: Resident) -> list[str]:
    """Why the resident cannot be erased (yet), in words; empty when erasure may go ahead."""
    if resident.anonymised_at is not None:
        return [_("The identifying data of %(pseudonym)s has been erased already.") % {"pseudonym": resident.pseudonym}]
    reasons: list[str] = []
    for keeper in keepers():
        reasons += keeper.blockers(resident=resident)
    return reasons


def retention_runs_for(user) -> QuerySet[RetentionRun]:
    return RetentionRun.objects.all() if _privacy_officer(user) else RetentionRun.objects.none()


def erasures_for(user) -> QuerySet[ResidentErasure]:
    if not _privacy_officer(user):
        return ResidentErasure.objects.none()
    # The pseudonym only: selecting the resident itself would decrypt (what is left of) its fields.
    return ResidentErasure.objects.select_related("erased_by").annotate(pseudonym=F("resident__pseudonym"))
