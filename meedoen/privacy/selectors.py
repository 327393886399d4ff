"""Who may see which resident. Every view, export and search of residents goes through here."""

from meedoen.accounts.models import Role
from meedoen.privacy.models import AccessLog, Resident


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


def access_log_for(user):
    """The access log, readable only by the privacy officer."""

    if user.is_authenticated and user.is_active and user.role == Role.PRIVACY_OFFICER:
        return AccessLog.objects.all()
    return AccessLog.objects.none()
