"""Exports and prints of personal data ask for the password (and a code) again after REAUTH_MINUTES."""

import pytest
import time_machine
from django.urls import reverse

from meedoen.accounts.models import Role
from tests.factories.accounts import PASSWORD
from tests.factories.signalering import district_with_members, make_meeting, make_signal
from tests.factories.two_factor import enrol, next_code

EXPORTS = ["/reports/export/signals.csv", "/reports/export/actions.csv", "/reports/export/visit-requests.csv"]


@pytest.fixture
def professional(make_user):
    user = make_user(role=Role.PROFESSIONAL, username="fatima")
    district = district_with_members(user)
    make_signal(reporter=user, district=district)
    return user


def log_in(client, user):
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


@pytest.mark.parametrize("url", EXPORTS)
def test_export_right_after_login_needs_no_second_password(client, professional, url):
    log_in(client, professional)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("url", [*EXPORTS, "meeting"])
def test_export_or_print_after_the_limit_asks_the_password_then_continues(client, professional, url):
    if url == "meeting":
        meeting = make_meeting(professional.memberships.get().district)
        url = reverse("signalering:meeting_print", args=[meeting.pk, "agenda"])
    with time_machine.travel("2026-11-23 09:00 +0100", tick=False) as traveller:
        log_in(client, professional)
        traveller.shift(11 * 60)
        assert client.get("/").status_code == 200, "still logged in: only the export asks"
        response = client.get(url + ("?order=-created_at" if url.endswith("signals.csv") else ""))
        assert response.status_code == 302
        confirm = response.url
        assert confirm.startswith(reverse("reauthenticate") + "?next=")
        page = client.get(confirm)
        assert "Bevestig dat u het bent" in page.content.decode()
        assert "code" not in page.context["form"].fields, "no second factor enrolled"
        wrong = client.post(confirm, {"password": "wrong-password"})
        assert "Dit wachtwoord klopt niet" in wrong.content.decode()
        done = client.post(confirm, {"password": PASSWORD}, follow=True)
        assert done.status_code == 200
        assert done["Content-Type"].split(";")[0] in ("text/csv", "application/pdf")


def test_the_limit_is_a_setting(client, professional, settings):
    settings.REAUTH_MINUTES = 2
    with time_machine.travel("2026-11-23 09:00 +0100", tick=False) as traveller:
        log_in(client, professional)
        traveller.shift(60)
        assert client.get(EXPORTS[0]).status_code == 200
        traveller.shift(90)
        assert client.get(EXPORTS[0]).status_code == 302


def test_a_user_with_a_second_factor_gives_a_code_too(client, professional):
    with time_machine.travel("2026-11-23 09:00 +0100", tick=False) as traveller:
        device, _ = enrol(professional)
        log_in(client, professional)
        client.post(reverse("two_factor_verify"), {"code": next_code(device)})
        traveller.shift(11 * 60)
        confirm = client.get(EXPORTS[0]).url
        without_code = client.post(confirm, {"password": PASSWORD})
        assert without_code.status_code == 200 and without_code.context["form"].errors["code"]
        traveller.shift(60)
        done = client.post(confirm, {"password": PASSWORD, "code": next_code(device)})
        assert done.url == EXPORTS[0]
        assert client.get(EXPORTS[0]).status_code == 200


def test_a_wrong_password_does_not_use_up_the_code(client, professional):
    with time_machine.travel("2026-11-23 09:00 +0100", tick=False) as traveller:
        device, codes = enrol(professional)
        log_in(client, professional)
        client.post(reverse("two_factor_verify"), {"code": codes[0]})
        traveller.shift(11 * 60)
        confirm = client.get(EXPORTS[0]).url
        client.post(confirm, {"password": "wrong", "code": codes[1]})
        assert client.post(confirm, {"password": PASSWORD, "code": codes[1]}).url == EXPORTS[0]


def test_wrong_passwords_when_confirming_count_towards_the_lockout(client, professional):
    with time_machine.travel("2026-11-23 09:00 +0100", tick=False) as traveller:
        log_in(client, professional)
        traveller.shift(11 * 60)
        confirm = client.get(EXPORTS[0]).url
        for _ in range(4):
            assert client.post(confirm, {"password": "wrong"}).status_code == 200
        locked = client.post(confirm, {"password": "wrong"})
        assert locked.status_code == 429
        assert client.get("/").status_code == 302, "logged out"


def test_confirming_never_redirects_off_the_site(client, professional):
    log_in(client, professional)
    response = client.post(reverse("reauthenticate") + "?next=https://evil.example/", {"password": PASSWORD})
    assert response.url == "/"
