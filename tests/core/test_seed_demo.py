import os

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from meedoen.accounts.demo import ACCOUNTS, DEMO_PASSWORD
from meedoen.accounts.models import District, DistrictMembership, Neighbourhood, Organisation, Role, User


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_loads_the_ten_leiden_districts_with_neighbourhoods(seeded):
    assert District.objects.count() == 10
    assert set(Neighbourhood.objects.filter(district__name="Binnenstad-Zuid").values_list("name", flat=True)) >= {
        "Pieterswijk",
        "Academiewijk",
        "Levendaal-West",
        "Levendaal-Oost",
    }
    assert set(Neighbourhood.objects.filter(district__name="Roodenburgerdistrict").values_list("name", flat=True)) >= {
        "Meerburg",
        "Tuinstadwijk",
        "Fruitbuurt",
        "Roomburg",
        "Waardeiland",
        "Zeeheldenbuurt",
    }
    assert not District.objects.filter(neighbourhoods=None).exists()


def test_loads_partner_organisations(seeded):
    names = set(Organisation.objects.values_list("name", flat=True))
    for partner in (
        "GGZ Rivierduinen",
        "Brijder",
        "Ons Doel",
        "De Sleutels",
        "Portaal",
        "Lumen",
        "Matilo",
        "Gemeente",
    ):
        assert any(partner in name for name in names), partner


def test_one_account_per_role_that_can_log_in(seeded):
    assert {role for _, role, *_ in ACCOUNTS} == set(Role.values)
    for username, role, *_ in ACCOUNTS:
        # Through the login form: django-axes needs the request that Client.login() does not pass.
        response = Client().post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and response.url == reverse("home"), username
        assert User.objects.get(username=username).role == role


def test_chair_chairs_a_district(seeded):
    assert DistrictMembership.objects.filter(user__username="voorzitter", role="chair").exists()


def test_is_idempotent(seeded):
    counts = [model.objects.count() for model in (District, Neighbourhood, Organisation, User, DistrictMembership)]
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert counts == [
        model.objects.count() for model in (District, Neighbourhood, Organisation, User, DistrictMembership)
    ]


def test_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()
