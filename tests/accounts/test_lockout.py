"""Brute force: lockout per account and per address, a clear Dutch message, unlocking, and what is recorded."""

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.urls import reverse

from meedoen.accounts.models import Role
from tests.factories.accounts import PASSWORD
from tests.factories.two_factor import enrol, next_code

LOCKED = "Te veel mislukte pogingen om in te loggen"
WRONG = "wrong-password"


@pytest.fixture
def fatima(make_user):
    return make_user(role=Role.PROFESSIONAL, username="fatima")


def attempt(client, username, password=WRONG, address="192.0.2.10"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_with_a_clear_dutch_message(client, fatima):
    for _ in range(4):
        assert attempt(client, "fatima").status_code == 200
    locked = attempt(client, "fatima")
    assert locked.status_code == 429
    content = locked.content.decode()
    assert LOCKED in content and "15 minuten" in content
    assert '<html lang="nl">' in content
    # Now even the right password, from another address, is refused.
    again = attempt(client, "fatima", PASSWORD, address="198.51.100.7")
    assert again.status_code == 429 and LOCKED in again.content.decode()
    assert client.get("/").status_code == 302, "not logged in"


def test_the_lock_ends_after_the_cool_off(client, fatima):
    with time_machine.travel("2026-11-23 09:00 +0100", tick=False) as traveller:
        for _ in range(5):
            attempt(client, "fatima")
        traveller.shift(14 * 60)
        assert attempt(client, "fatima", PASSWORD).status_code == 429
        traveller.shift(16 * 60)
        assert attempt(client, "fatima", PASSWORD).status_code == 302


def test_thresholds_and_cool_off_are_settings(client, fatima, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    settings.LOGIN_COOLOFF_MINUTES = 60
    attempt(client, "fatima")
    locked = attempt(client, "fatima")
    assert locked.status_code == 429 and "60 minuten" in locked.content.decode()


def test_an_address_is_locked_after_its_own_higher_limit(client, fatima, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    for number in range(7):  # different accounts: no account reaches its limit
        assert attempt(client, f"guess{number}").status_code == 200
    assert attempt(client, "guess7").status_code == 429
    assert attempt(client, "fatima", PASSWORD).status_code == 429, "the address is locked for every account"
    assert attempt(client, "fatima", PASSWORD, address="198.51.100.7").status_code == 302, "other addresses are not"


def test_wrong_second_factor_codes_count_and_lock(client, fatima):
    with time_machine.travel("2026-11-23 09:00 +0100", tick=False) as traveller:
        device, _ = enrol(fatima)
        assert attempt(client, "fatima", PASSWORD).status_code == 302
        for _ in range(4):
            traveller.shift(60)  # past django-otp's own throttle, so each wrong code is checked
            response = client.post(reverse("two_factor_verify"), {"code": "000000"}, REMOTE_ADDR="192.0.2.10")
            assert response.status_code == 200
        traveller.shift(60)
        locked = client.post(reverse("two_factor_verify"), {"code": "000000"}, REMOTE_ADDR="192.0.2.10")
        assert locked.status_code == 429 and LOCKED in locked.content.decode()
        assert client.get("/").status_code == 302, "a locked-out user is logged out"
        traveller.shift(60)
        assert attempt(client, "fatima", PASSWORD).status_code == 429
        assert device.user == fatima


def test_admin_command_unlocks_an_account(client, fatima):
    for _ in range(5):
        attempt(client, "fatima")
    call_command("axes_reset_username", "fatima")
    assert attempt(client, "fatima", PASSWORD).status_code == 302


def test_admin_screen_lists_and_removes_a_lock(client, fatima, users):
    for _ in range(5):
        attempt(client, "fatima")
    lock = AccessAttempt.objects.get(username="fatima")
    admin = client.__class__()
    admin.force_login(users[Role.ADMIN])
    assert "fatima" in admin.get("/admin/axes/accessattempt/").content.decode()
    admin.post(f"/admin/axes/accessattempt/{lock.pk}/delete/", {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    assert attempt(client, "fatima", PASSWORD).status_code == 302


def test_failed_and_successful_logins_are_recorded(client, fatima):
    attempt(client, "fatima")
    attempt(client, "fatima", PASSWORD)
    failure = AccessFailureLog.objects.get()
    assert (failure.username, failure.ip_address, failure.locked_out) == ("fatima", "192.0.2.10", False)
    assert AccessLog.objects.get().username == "fatima"
    assert "wrong-password" not in AccessAttempt.objects.get().post_data, "the password is never stored"


def test_only_staff_see_the_login_records(client, users):
    client.force_login(users[Role.PRIVACY_OFFICER])
    assert client.get("/admin/axes/accesslog/").status_code == 302


def test_a_right_code_after_a_wrong_one_still_works_before_the_limit(client, fatima):
    with time_machine.travel("2026-11-23 09:00 +0100", tick=False) as traveller:
        device, _ = enrol(fatima)
        attempt(client, "fatima", PASSWORD)
        client.post(reverse("two_factor_verify"), {"code": "000000"})
        traveller.shift(40)
        assert client.post(reverse("two_factor_verify"), {"code": next_code(device)}).status_code == 302


def test_a_session_waiting_for_its_code_gets_nothing_once_the_account_is_locked(client, fatima):
    with time_machine.travel("2026-11-23 09:00 +0100", tick=False):
        device, _ = enrol(fatima)
        attempt(client, "fatima", PASSWORD)  # this session now waits for the code
        other = client.__class__()
        for _ in range(5):
            attempt(other, "fatima")
        locked = client.post(reverse("two_factor_verify"), {"code": next_code(device)}, REMOTE_ADDR="192.0.2.10")
    assert locked.status_code == 429
    assert client.get("/").status_code == 302
