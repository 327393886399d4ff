import datetime
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from meedoen.accounts.models import Role


@pytest.fixture
def professional(make_user):
    return make_user(role=Role.PROFESSIONAL, username="fatima", email="fatima@example.org")


def test_login_page_is_dutch(client, db):
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="nl">' in content
    assert "Gebruikersnaam" in content and "Wachtwoord" in content


def test_login_with_the_right_password_lands_on_the_home_page(client, professional, password):
    response = client.post(reverse("login"), {"username": "fatima", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == professional


def test_login_with_a_wrong_password_says_so_in_dutch_and_keeps_the_username(client, professional):
    response = client.post(reverse("login"), {"username": "fatima", "password": "wrong"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in content
    assert 'value="fatima"' in content


def test_password_change_refuses_a_short_or_common_password(client, professional, password):
    client.force_login(professional)
    for weak in ("kort-1", "password1234"):
        response = client.post(
            reverse("password_change"),
            {"old_password": password, "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["new_password2"]


def test_password_change_accepts_a_strong_password(client, professional, password):
    client.force_login(professional)
    strong = "zeven-lange-wandelingen-42"
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": strong, "new_password2": strong},
    )
    assert response.url == reverse("password_change_done")
    professional.refresh_from_db()
    assert professional.check_password(strong)


@pytest.mark.parametrize(
    ("password", "valid"), [("elf-tekens1", False), ("twaalf-teken", True), ("123456789012", False)]
)
def test_password_rules(password, valid, professional):
    if valid:
        validate_password(password, professional)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, professional)


def test_password_reset_sends_a_dutch_email_with_a_working_link(client, professional):
    response = client.post(reverse("password_reset"), {"email": "fatima@example.org"})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Stel een nieuw wachtwoord in voor Meedoen"
    assert message.alternatives, "an HTML body too"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    page = client.get(link, follow=True)
    new = "een-nieuw-lang-wachtwoord-7"
    done = client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.url == reverse("password_reset_complete")
    professional.refresh_from_db()
    assert professional.check_password(new)


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_session_ends_after_the_idle_timeout(client, professional, settings):
    import time_machine

    with time_machine.travel("2026-11-23 09:00 +0100", tick=False) as traveller:
        client.force_login(professional)
        traveller.shift(61)
        response = client.get(reverse("home"))  # renews the session, so sends its cookie again
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert response.cookies["sessionid"]["max-age"] == "", "the cookie ends with the browser too"
    assert client.session.get_expiry_age() == 30 * 60


def test_a_request_renews_the_session_at_most_once_a_minute(client, professional):
    import time_machine
    from django.contrib.sessions.models import Session

    def expiry():
        return Session.objects.get(session_key=client.session.session_key).expire_date

    with time_machine.travel("2026-11-23 09:00 +0100", tick=False) as traveller:
        client.force_login(professional)
        client.get(reverse("home"))
        renewed = expiry()
        traveller.shift(30)
        client.get(reverse("home"))
        assert expiry() == renewed, "not written again within the minute"
        traveller.shift(31)
        client.get(reverse("home"))
        assert expiry() == renewed + datetime.timedelta(seconds=61)


def test_session_is_gone_once_idle_for_longer_than_the_timeout(client, professional):
    import time_machine

    with time_machine.travel("2026-11-23 09:00 +0100", tick=False) as traveller:
        client.force_login(professional)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200, "activity renews the session"
        traveller.shift(31 * 60)
        assert client.get(reverse("home")).status_code == 302


def test_language_switch_to_english_and_back(client, professional):
    client.force_login(professional)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "What needs my attention" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Wat vraagt mijn aandacht" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", Role.values)
def test_home_page_shows_each_role_its_attention_panels(client, users, role):
    client.force_login(users[role])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(response.context["panels"]) >= 1
    nav = [entry["url_name"] for entry in response.context["navigation"]]
    assert nav[0] == "home"
    assert ("privacy:access_log" in nav) == (role == Role.PRIVACY_OFFICER)


def test_dutch_even_for_an_english_browser_until_the_user_switches(client, professional):
    client.force_login(professional)
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert "Wat vraagt mijn aandacht" in home.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "What needs my attention" in client.get(reverse("home")).content.decode()


def test_session_ends_after_the_absolute_limit_however_active(client, professional):
    import time_machine

    with time_machine.travel("2026-11-23 08:00 +0100", tick=False) as traveller:
        client.force_login(professional)
        for _ in range(11 * 4):  # active every 15 minutes for 11 hours
            traveller.shift(15 * 60)
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(61 * 60)
        assert client.get(reverse("home")).status_code == 302


def test_pages_for_logged_in_users_are_not_stored(client, professional):
    client.force_login(professional)
    response = client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
