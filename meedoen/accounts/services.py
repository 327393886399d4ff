from django.db import transaction

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
