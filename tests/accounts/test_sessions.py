"""Sessions: a new id at login, logout ends the session on the server, and the limits are settings."""

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from meedoen.accounts.models import Role
from tests.factories.accounts import PASSWORD


@pytest.fixture
def professional(make_user):
    return make_user(role=Role.PROFESSIONAL, username="fatima")


def test_login_gives_a_new_session_id(client, professional):
    client.get(reverse("login"))
    session = client.session
    session["before_login"] = True  # an anonymous session that an attacker could have planted
    session.save()
    before = session.session_key
    client.post(reverse("login"), {"username": "fatima", "password": PASSWORD})
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_ends_the_session_on_the_server_so_the_old_cookie_is_worthless(client, professional):
    client.post(reverse("login"), {"username": "fatima", "password": PASSWORD})
    stolen = client.cookies["sessionid"].value
    assert client.get("/").status_code == 200
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=stolen).exists()
    thief = Client()
    thief.cookies["sessionid"] = stolen
    response = thief.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_absolute_limit_is_a_setting(client, professional, settings):
    settings.SESSION_ABSOLUTE_HOURS = 1
    with time_machine.travel("2026-11-23 08:00 +0100", tick=False) as traveller:
        client.post(reverse("login"), {"username": "fatima", "password": PASSWORD})
        for _ in range(3):
            traveller.shift(15 * 60)
            assert client.get("/").status_code == 200
        traveller.shift(16 * 60)
        assert client.get("/").status_code == 302


def test_idle_limit_is_a_setting(client, professional, settings):
    settings.SESSION_COOKIE_AGE = 5 * 60
    with time_machine.travel("2026-11-23 08:00 +0100", tick=False) as traveller:
        client.post(reverse("login"), {"username": "fatima", "password": PASSWORD})
        traveller.shift(4 * 60)
        assert client.get("/").status_code == 200
        traveller.shift(6 * 60)
        assert client.get("/").status_code == 302


def test_session_cookie_is_http_only_and_same_site(client, professional):
    client.post(reverse("login"), {"username": "fatima", "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
