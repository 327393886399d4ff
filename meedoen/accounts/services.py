from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts import two_factor
from meedoen.accounts.models import District, DistrictMembership, MembershipRole, Organisation, Role, User


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    password: str | None = None,
    organisation: Organisation | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        # The administrator role is the one that may use the Django admin.
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def membership_set(*, user: User, district: District, role: str = MembershipRole.MEMBER) -> DistrictMembership:
    membership, _ = DistrictMembership.objects.update_or_create(user=user, district=district, defaults={"role": role})
    return membership


@transaction.atomic
def two_factor_enrol(*, user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm a TOTP app with its first code, replacing any earlier device, and make recovery codes.

    The first code's time step is stored, so the same code cannot be used again to log in.
    """
    step = two_factor.first_code_step(key, code)
    if step is None:
        raise ValidationError({"code": _("This code is not correct. Check the time on your phone and try again.")})
    two_factor_remove(user=user)
    device = two_factor.unconfirmed_device(user, key)
    device.confirmed = True
    device.last_t = step
    device.full_clean()
    device.save()
    return device, recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes in place of the old ones; only their digests are stored. Returns the codes, to show once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Herstelcodes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [two_factor.new_recovery_code() for _ in range(settings.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=two_factor.recovery_digest(user, code)) for code in codes]
    )
    return codes


@transaction.atomic
def two_factor_remove(*, user: User) -> None:
    """Remove the user's TOTP apps and recovery codes (a lost phone; an administrator resets the same way)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
