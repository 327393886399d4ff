"""Accounts part of `seed_scale`: regions of ten districts, each with its partner organisations and the members of
every district's overleg; plus the accounts the benchmark logs in with."""

from django.contrib.auth.hashers import make_password

from meedoen.accounts.models import (
    District,
    DistrictMembership,
    MembershipRole,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from meedoen.core.scale import DISTRICTS_PER_REGION, Scale

BENCH_PASSWORD = "meedoen-bench-2026"  # noqa: S105 - synthetic accounts; seed_scale refuses when DEBUG is off
NEIGHBOURHOODS = 5
# Each district's overleg: the first seat chairs it.
SEATS = [
    OrganisationKind.SOCIAL_TEAM,
    OrganisationKind.POLICE,
    OrganisationKind.MENTAL_HEALTH,
    OrganisationKind.ADDICTION_CARE,
    OrganisationKind.HOUSING,
    OrganisationKind.GP,
]
# The benchmark's accounts: (username, role, districts they sit in, chair of the first).
BENCH_ACCOUNTS = [
    ("bench.professional", Role.PROFESSIONAL, (1, 2), False),
    ("bench.chair", Role.CHAIR, (1,), True),
    ("bench.coordinator", Role.BRIGADE_COORDINATOR, (), False),
    ("bench.leader", Role.PROJECT_LEADER, (), False),
    ("bench.municipality", Role.MUNICIPALITY, (), False),
    ("bench.privacy", Role.PRIVACY_OFFICER, (), False),
    ("bench.admin", Role.ADMIN, (), False),
]


def seed(scale: Scale) -> None:
    password = make_password(BENCH_PASSWORD)
    regions = -(-scale.districts // DISTRICTS_PER_REGION)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"{kind.label} regio {region:03d}", kind=kind)
        for region in range(1, regions + 1)
        for kind in OrganisationKind
    )
    by_region = {(org.name.rsplit(" ", 1)[1], org.kind): org for org in organisations}
    districts = District.objects.bulk_create(
        District(name=f"Wijk {number:03d}", cbs_code=f"WS{number:05d}") for number in range(1, scale.districts + 1)
    )
    Neighbourhood.objects.bulk_create(
        Neighbourhood(district=district, name=f"Buurt {number:03d}-{part}", cbs_code=f"BS{number:05d}{part}")
        for number, district in enumerate(districts, start=1)
        for part in range(1, NEIGHBOURHOODS + 1)
    )
    users, seats = [], []
    for number, district in enumerate(districts, start=1):
        region = f"{(number - 1) // DISTRICTS_PER_REGION + 1:03d}"
        for index, kind in enumerate(SEATS):
            chair = index == 0 and number != 1  # district 1 is chaired by bench.chair
            users.append(
                User(
                    username=f"w{number:03d}.{kind}",
                    first_name=kind.label,
                    last_name=f"wijk {number:03d}",
                    role=Role.CHAIR if chair else Role.PROFESSIONAL,
                    organisation=by_region[(region, kind)],
                    password=password,
                )
            )
            seats.append((district, MembershipRole.CHAIR if chair else MembershipRole.MEMBER))
    for region in range(1, regions + 1):
        users.append(
            User(
                username=f"r{region:03d}.coordinator",
                first_name="Coördinator",
                last_name=f"regio {region:03d}",
                role=Role.BRIGADE_COORDINATOR,
                organisation=by_region[(f"{region:03d}", OrganisationKind.CLIENTS)],
                password=password,
            )
        )
    bench = []
    for username, role, _, _ in BENCH_ACCOUNTS:
        admin = role == Role.ADMIN
        bench.append(
            User(
                username=username,
                first_name="Bench",
                last_name=role.label,
                role=role,
                organisation=by_region[("001", OrganisationKind.SOCIAL_TEAM)],
                password=password,
                is_staff=admin,
                is_superuser=admin,
            )
        )
    created = User.objects.bulk_create(users + bench)
    memberships = [
        DistrictMembership(user=user, district=district, role=role)
        for user, (district, role) in zip(created, seats, strict=False)
    ]
    for user, (_, _, numbers, chairs) in zip(created[-len(bench) :], BENCH_ACCOUNTS, strict=True):
        memberships += [
            DistrictMembership(
                user=user,
                district=districts[number - 1],
                role=MembershipRole.CHAIR if chairs and index == 0 else MembershipRole.MEMBER,
            )
            for index, number in enumerate(numbers)
        ]
    DistrictMembership.objects.bulk_create(memberships)
    scale.say(
        f"Accounts: {scale.districts} districts in {regions} regions, {len(organisations)} organisations, "
        f"{len(created)} users (benchmark accounts {', '.join(name for name, *_ in BENCH_ACCOUNTS)}; "
        f"password {BENCH_PASSWORD})."
    )
