"""Two-factor authentication: who must, enrolment, logging in with a code or a recovery code, and the admin."""

import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts import two_factor
from meedoen.accounts.models import Role
from tests import test_access_matrix as matrix
from tests.factories.accounts import PASSWORD
from tests.factories.two_factor import code_for_key, enrol, next_code

FORCED = {
    Role.PROFESSIONAL,
    Role.CHAIR,
    Role.BRIGADE_COORDINATOR,
    Role.BRIGADIER,
    Role.HOST,
    Role.PRIVACY_OFFICER,
    Role.ADMIN,
}


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def log_in(client, user, next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


@pytest.mark.parametrize("role", Role.values)
def test_required_for_roles_with_personal_data_the_privacy_officer_and_staff(settings, users, role):
    settings.TWO_FACTOR_REQUIRED = True
    assert two_factor.required_for(users[role]) == (role in FORCED)
    settings.TWO_FACTOR_REQUIRED = False
    assert not two_factor.required_for(users[role])


def test_staff_must_use_two_factors_whatever_their_role(required, make_user):
    user = make_user(role=Role.PROJECT_LEADER)
    assert not two_factor.required_for(user)
    user.is_staff = True
    assert two_factor.required_for(user)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/signals/",
        "/reports/export/signals.csv",
        "/privacy/access-log/",
        "/notifications/",
        "/accounts/password/change/",
        "/agenda/",
        "/admin/",
        "/api/v1/",
    ],
)
def test_a_user_who_must_but_has_not_enrolled_is_sent_to_enrolment_before_any_page(required, client, users, url):
    client.force_login(users[Role.ADMIN])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup") + "?next=")


def test_login_without_enrolment_goes_straight_to_enrolment_keeping_the_page_asked_for(required, client, users):
    response = log_in(client, users[Role.PROFESSIONAL], next_url="/signals/")
    assert response.url == reverse("two_factor_setup") + "?next=%2Fsignals%2F"


@pytest.mark.parametrize("role", [Role.PROJECT_LEADER, Role.MUNICIPALITY])
def test_aggregate_roles_may_enrol_but_are_not_forced(required, client, users, role):
    client.force_login(users[role])
    assert client.get("/").status_code == 200
    assert client.get(reverse("two_factor_setup")).status_code == 200


def test_enrolled_user_must_verify_before_any_page_even_where_not_required(client, users):
    user = users[Role.PROJECT_LEADER]
    enrol(user)
    response = log_in(client, user)
    assert response.url == reverse("two_factor_verify") + "?next=%2F"
    for url in ("/", "/reports/", "/admin/", "/api/v1/", "/accounts/two-factor/"):
        assert client.get(url).url.startswith(reverse("two_factor_verify")), url


def test_pending_user_sees_no_navigation_only_log_out(required, client, users):
    enrol(users[Role.HOST])
    log_in(client, users[Role.HOST])
    page = client.get(reverse("two_factor_verify")).content.decode()
    assert "Meldingen" not in page and "Beveiliging" not in page
    assert "Uitloggen" in page


class TestEnrolment:
    def test_page_shows_a_qr_code_drawn_on_the_server_and_the_key(self, required, client, users):
        client.force_login(users[Role.BRIGADIER])
        page = client.get(reverse("two_factor_setup"))
        content = page.content.decode()
        assert page.status_code == 200
        assert 'src="data:image/svg+xml' in content
        assert "<script" not in content.split("<main", 1)[1].split("</main>", 1)[0], "no script needed"
        key = client.session[two_factor.SETUP_KEY]
        assert two_factor.key_text(key).replace(" ", "") in content.replace(" ", "")
        assert "no-store" in page["Cache-Control"]

    @pytest.mark.parametrize("code", ["000000", "¹²³⁴⁵⁶"])  # superscripts are digits to str.isdigit, not to int()
    def test_a_wrong_first_code_is_refused_in_dutch(self, required, client, users, code):
        client.force_login(users[Role.BRIGADIER])
        client.get(reverse("two_factor_setup"))
        response = client.post(reverse("two_factor_setup"), {"code": code})
        assert response.status_code == 200
        assert "Deze code klopt niet" in response.content.decode()
        assert not TOTPDevice.objects.exists()

    def test_first_code_confirms_the_app_shows_recovery_codes_once_and_opens_the_site(self, required, client, users):
        user = users[Role.BRIGADIER]
        client.force_login(user)
        client.get(reverse("two_factor_setup") + "?next=/brigade/mine/")
        key = client.session[two_factor.SETUP_KEY]
        response = client.post(
            reverse("two_factor_setup"), {"code": code_for_key(key), "next": "/brigade/mine/"}, follow=True
        )
        content = response.content.decode()
        codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", content)
        assert len(codes) == 10 and len(set(codes)) == 10
        assert "maar één keer getoond" in content
        assert TOTPDevice.objects.get(user=user).confirmed
        # Stored as digests only: a copy of the database holds no usable code.
        stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
        assert len(stored) == 10 and not stored & {two_factor.normalise_recovery_code(c) for c in codes}
        # Shown once.
        again = client.get(reverse("two_factor_recovery_codes")).content.decode()
        assert not re.findall(r"<code>[a-z2-9]{5}-[a-z2-9]{5}</code>", again)
        # The session is verified: pages open.
        assert client.get("/brigade/mine/").status_code == 200

    def test_the_enrolment_code_cannot_be_used_again_to_log_in(self, required, client, users):
        user = users[Role.HOST]
        with time_machine.travel("2026-11-23 09:00:05 +0100", tick=False):
            client.force_login(user)
            client.get(reverse("two_factor_setup"))
            key = client.session[two_factor.SETUP_KEY]
            code = code_for_key(key)
            client.post(reverse("two_factor_setup"), {"code": code})
            client.post(reverse("logout"))
            log_in(client, user)
            response = client.post(reverse("two_factor_verify"), {"code": code})
        assert "al gebruikt" in response.content.decode()


class TestLoginWithCode:
    def test_right_code_opens_the_page_asked_for_under_a_new_session_id(self, required, client, users):
        user = users[Role.CHAIR]
        device, _ = enrol(user)
        response = log_in(client, user, next_url="/meetings/")
        assert response.url == reverse("two_factor_verify") + "?next=%2Fmeetings%2F"
        before = client.cookies["sessionid"].value
        response = client.post(reverse("two_factor_verify"), {"code": next_code(device), "next": "/meetings/"})
        assert response.url == "/meetings/"
        assert client.cookies["sessionid"].value != before
        assert client.get("/meetings/").status_code == 200

    def test_a_code_is_accepted_once(self, required, client, users):
        user = users[Role.CHAIR]
        with time_machine.travel("2026-11-23 09:00:05 +0100", tick=False) as traveller:
            device, _ = enrol(user)
            traveller.shift(30)
            code = next_code(device)
            log_in(client, user)
            assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
            client.post(reverse("logout"))
            log_in(client, user)
            replay = client.post(reverse("two_factor_verify"), {"code": code})
        assert replay.status_code == 200
        assert "Deze code klopt niet of is al gebruikt" in replay.content.decode()
        assert client.get("/").status_code == 302

    def test_a_wrong_code_is_refused_and_the_next_try_is_throttled(self, required, client, users):
        user = users[Role.CHAIR]
        with time_machine.travel("2026-11-23 09:00:05 +0100", tick=False):
            device, _ = enrol(user)
            log_in(client, user)
            wrong = client.post(reverse("two_factor_verify"), {"code": "123456"})
            assert "Deze code klopt niet" in wrong.content.decode()
            right_too_soon = client.post(reverse("two_factor_verify"), {"code": next_code(device)})
            assert "Te veel verkeerde codes" in right_too_soon.content.decode()

    def test_recovery_code_logs_in_once_and_is_used_up(self, required, client, users):
        user = users[Role.BRIGADE_COORDINATOR]
        _, codes = enrol(user)
        log_in(client, user)
        response = client.post(reverse("two_factor_verify"), {"code": codes[0].upper().replace("-", " ")}, follow=True)
        assert response.redirect_chain[-1][0] == "/"
        assert "9 over" in response.content.decode()
        assert two_factor.recovery_codes_left(user) == 9
        client.post(reverse("logout"))
        log_in(client, user)
        again = client.post(reverse("two_factor_verify"), {"code": codes[0]})
        assert "Deze code klopt niet of is al gebruikt" in again.content.decode()

    def test_verify_page_without_anything_pending_sends_the_user_on(self, client, users):
        client.force_login(users[Role.PROJECT_LEADER])
        response = client.get(reverse("two_factor_verify") + "?next=/reports/")
        assert response.url == "/reports/"

    def test_verify_does_not_follow_a_next_address_off_the_site(self, required, client, users):
        user = users[Role.CHAIR]
        device, _ = enrol(user)
        log_in(client, user)
        response = client.post(
            reverse("two_factor_verify"), {"code": next_code(device), "next": "https://evil.example/"}
        )
        assert response.url == "/"


class TestAdmin:
    def test_admin_needs_a_verified_second_factor(self, required, client, users):
        admin = users[Role.ADMIN]
        device, _ = enrol(admin)
        client.force_login(admin)
        assert client.get("/admin/").url.startswith(reverse("two_factor_verify"))
        client.post(reverse("two_factor_verify"), {"code": next_code(device)})
        assert client.get("/admin/").status_code == 200

    def test_admin_login_page_leads_to_the_second_factor_too(self, required, client, users):
        admin = users[Role.ADMIN]
        enrol(admin)
        client.post("/admin/login/?next=/admin/", {"username": admin.username, "password": PASSWORD})
        assert client.get("/admin/").url.startswith(reverse("two_factor_verify"))

    def test_admin_never_shows_a_totp_key(self, client, users):
        admin = users[Role.ADMIN]
        device, _ = enrol(users[Role.HOST])
        client.force_login(admin)
        page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
        assert device.key not in page


class TestManagingTheSecondFactor:
    def test_new_recovery_codes_replace_the_old_ones(self, client, users):
        user = users[Role.PROJECT_LEADER]
        _, old = enrol(user)
        client.force_login(user)
        client.post(reverse("two_factor_verify"), {"code": old[0]})
        response = client.post(reverse("two_factor_recovery_codes_new"), follow=True)
        new = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.content.decode())
        assert len(new) == 10 and not set(new) & set(old)
        assert two_factor.recovery_codes_left(user) == 10

    def test_turning_off_where_not_required(self, client, users):
        user = users[Role.MUNICIPALITY]
        _, codes = enrol(user)
        client.force_login(user)
        client.post(reverse("two_factor_verify"), {"code": codes[0]})
        response = client.post(reverse("two_factor_remove"), follow=True)
        assert "staat uit" in response.content.decode()
        assert not two_factor.is_enrolled(user)
        assert client.get("/").status_code == 200

    def test_removing_where_required_leads_to_enrolling_a_new_app(self, required, client, users):
        user = users[Role.HOST]
        _, codes = enrol(user)
        client.force_login(user)
        client.post(reverse("two_factor_verify"), {"code": codes[0]})
        response = client.post(reverse("two_factor_remove"))
        assert response.url == reverse("two_factor_setup")
        assert client.get("/").url.startswith(reverse("two_factor_setup"))

    def test_replacing_the_app_needs_a_recent_password(self, client, users):
        user = users[Role.PROJECT_LEADER]
        _, codes = enrol(user)
        with time_machine.travel("2026-11-23 09:00 +0100", tick=False) as traveller:
            client.force_login(user)
            client.post(reverse("two_factor_verify"), {"code": codes[0]})
            traveller.shift(11 * 60)
            response = client.get(reverse("two_factor_setup"))
        assert response.url.startswith(reverse("reauthenticate"))


def test_every_url_of_the_matrix_waits_for_enrolment(required, client, users, world):
    """The whole role × URL matrix: before enrolling, a professional gets nothing but the way to enrolment."""
    client.force_login(users[Role.PROFESSIONAL])
    open_before = {"login", "two_factor_setup", "two_factor_verify"}
    for name, args in matrix.MATRIX:
        if name in open_before:
            continue
        resolved = [arg[1:] if arg.startswith("=") else world[arg] for arg in args]
        response = client.get(reverse(name, args=resolved))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("two_factor_setup")), name
