"""Leiden demo set: districts, neighbourhoods, partner organisations and one account per role.

Synthetic: names of places and partners are public; the people are made up. CBS codes follow the CBS pattern for
Leiden (GM0546); check them against the CBS list before using this set for anything but a demo.
"""

from meedoen.accounts.models import (
    District,
    MembershipRole,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from meedoen.accounts.services import membership_set, user_create

DEMO_PASSWORD = "meedoen-demo-2026"  # noqa: S105 - demo only; seed_demo refuses when DEBUG is off

DISTRICTS = {
    "Binnenstad-Noord": ["Havenwijk", "Marewijk", "Molenwijk", "Pancras-West"],
    "Binnenstad-Zuid": ["Pieterswijk", "Academiewijk", "Levendaal-West", "Levendaal-Oost"],
    "Stationsdistrict": ["Stationsplein", "Transvaal", "Schipholweg"],
    "Leiden-Noord": ["De Kooi", "Groenoord", "Staalwijk"],
    "Roodenburgerdistrict": [
        "Meerburg",
        "Tuinstadwijk",
        "Fruitbuurt",
        "Roomburg",
        "Waardeiland",
        "Zeeheldenbuurt",
    ],
    "Bos- en Gasthuisdistrict": ["Boshuizen", "Vogelwijk", "Haagweg-Zuid"],
    "Morsdistrict": ["Morskwartier", "Bockhorst", "Rijnsburgerblok"],
    "Boerhaavedistrict": ["Professorenwijk-West", "Burgemeesterswijk", "Oranjegracht"],
    "Merenwijk": ["Merenwijk-Noord", "Merenwijk-Zuid", "Slaaghwijk"],
    "Stevenshof": ["Stevenshof-Noord", "Stevenshof-Zuid"],
}

ORGANISATIONS = [
    ("Sociaal Wijkteam Leiden", OrganisationKind.SOCIAL_TEAM),
    ("Politie – wijkagenten Leiden", OrganisationKind.POLICE),
    ("GGZ Rivierduinen", OrganisationKind.MENTAL_HEALTH),
    ("Brijder Verslavingszorg", OrganisationKind.ADDICTION_CARE),
    ("Woningcorporatie Ons Doel", OrganisationKind.HOUSING),
    ("Woningstichting De Sleutels", OrganisationKind.HOUSING),
    ("Portaal Leiden", OrganisationKind.HOUSING),
    ("Huisartsenpraktijk De Vest", OrganisationKind.GP),
    ("Stichting Lumen", OrganisationKind.WELFARE),
    ("Libertas Leiden – Huis van de Buurt Matilo", OrganisationKind.WELFARE),
    ("Cliëntenraad Meedoen", OrganisationKind.CLIENTS),
    ("Vrijwilligers Leiden", OrganisationKind.VOLUNTEERS),
    ("Gemeente Leiden", OrganisationKind.MUNICIPALITY),
]

# username, role, first name, last name, organisation, districts (chair of the first when role is chair)
ACCOUNTS = [
    (
        "wijkteam",
        Role.PROFESSIONAL,
        "Fatima",
        "El Amrani",
        "Sociaal Wijkteam Leiden",
        ["Binnenstad-Zuid", "Roodenburgerdistrict"],
    ),
    ("voorzitter", Role.CHAIR, "Joost", "van Dam", "Sociaal Wijkteam Leiden", ["Binnenstad-Zuid"]),
    (
        "coordinator",
        Role.BRIGADE_COORDINATOR,
        "Ineke",
        "Bakker",
        "Libertas Leiden – Huis van de Buurt Matilo",
        [],
    ),
    ("brigadier", Role.BRIGADIER, "Ruud", "Verhoeven", "Cliëntenraad Meedoen", []),
    ("gastvrouw", Role.HOST, "Sanne", "de Wit", "Libertas Leiden – Huis van de Buurt Matilo", []),
    ("projectleider", Role.PROJECT_LEADER, "Marloes", "Jansen", "Gemeente Leiden", []),
    ("gemeente", Role.MUNICIPALITY, "Pieter", "Kok", "Gemeente Leiden", []),
    ("privacy", Role.PRIVACY_OFFICER, "Anouk", "Visser", "Gemeente Leiden", []),
    ("beheerder", Role.ADMIN, "Bram", "Smit", "Gemeente Leiden", []),
]


def seed(stdout) -> None:
    for number, (district_name, neighbourhoods) in enumerate(DISTRICTS.items()):
        district, _ = District.objects.update_or_create(
            name=district_name, defaults={"cbs_code": f"WK0546{number:02d}"}
        )
        for index, name in enumerate(neighbourhoods):
            Neighbourhood.objects.update_or_create(
                district=district, name=name, defaults={"cbs_code": f"BU0546{number:02d}{index:02d}"}
            )
    organisations = {}
    for name, kind in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(name=name, defaults={"kind": kind})
    for username, role, first, last, organisation, districts in ACCOUNTS:
        user = User.objects.filter(username=username).first() or user_create(
            username=username,
            role=role,
            password=DEMO_PASSWORD,
            organisation=organisations[organisation],
            first_name=first,
            last_name=last,
            email=f"{username}@meedoen.example",
        )
        for index, district_name in enumerate(districts):
            chair = role == Role.CHAIR and index == 0
            membership_set(
                user=user,
                district=District.objects.get(name=district_name),
                role=MembershipRole.CHAIR if chair else MembershipRole.MEMBER,
            )
    stdout.write(
        f"Demo foundation: {District.objects.count()} districts, {Organisation.objects.count()} organisations."
    )


def describe_accounts() -> str:
    from django.conf import settings

    lines = ["", f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    for username, role, *_ in ACCOUNTS:
        lines.append(f"  {username:<14} {Role(role).label}")
    if settings.TWO_FACTOR_REQUIRED:
        lines.append("Two-factor authentication is required: on first login each account sets up an authenticator app.")
    else:
        lines.append(
            "Two-factor authentication is optional here (TWO_FACTOR_REQUIRED=false): set it up under Beveiliging (Security)."
        )
    return "\n".join(lines) + "\n"
