"""Who may see which resident. Every view, export and search of residents goes through here."""

from django.db.models import Q

from meedoen.accounts.models import Role
from meedoen.privacy.models import AccessLog, Resident


def visible_residents(user):
    """Residents the user may see. Pillars widen this as they add reasons (a signal in one's district)."""
    if not user.is_authenticated or not user.is_active:
        return Resident.objects.none()
    if user.role == Role.ADMIN:
        return Resident.objects.all()
    return Resident.objects.none()


def known_residents(*, full_name: str = "", date_of_birth=None, postcode: str = "", house_number: str = ""):
    """Residents matching exactly on name and date of birth, or on postcode and house number.

    Compares keyed hashes only; callers decide what of the result the user may see (usually just a count).
    """
    identity = Resident.identity_key(full_name, date_of_birth)
    address = Resident.address_key(postcode, house_number)
    if not identity and not address:
        return Resident.objects.none()
    query = Q()
    if identity:
        query |= Q(identity_hash=identity)
    if address:
        query |= Q(address_hash=address)
    return Resident.objects.filter(query, anonymised_at__isnull=True)


def access_log_for(user):
    """The access log, readable only by the privacy officer."""

    if user.is_authenticated and user.is_active and user.role == Role.PRIVACY_OFFICER:
        return AccessLog.objects.all()
    return AccessLog.objects.none()
