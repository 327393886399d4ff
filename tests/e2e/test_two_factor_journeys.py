"""Two-factor journeys: enrolling with the QR page, logging in with an app code or a recovery code, being locked
out after too many failures, and confirming identity before an export."""

import re
import time
from base64 import b32decode
from binascii import hexlify
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from meedoen.accounts import two_factor
from meedoen.accounts.models import Role
from tests.e2e.helpers import translated
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.signalering import district_with_members, make_signal
from tests.factories.two_factor import code_for_key, enrol, next_code

pytestmark = pytest.mark.django_db(transaction=True)


def password_step(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(translated("username"), exact=False).fill(username)
    page.get_by_label(translated("Password"), exact=False).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Log in"), exact=True).click()


def test_professional_enrols_with_the_qr_code_and_sees_recovery_codes_once(page, live_server, axe_check):
    user = UserFactory(role=Role.PROFESSIONAL)

    password_step(page, live_server, user.username)

    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/\?next="))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(translated("Set up two-factor authentication"))
    qr = main.get_by_role("img", name=translated("QR code to scan with the authenticator app"))
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.naturalWidth") > 0, "the browser draws the QR code under the strict CSP"
    axe_check(page)

    # The app: the key as typed by hand, turned into the code it would show.
    key_text = main.locator("#totp-key").inner_text().replace(" ", "")
    key = hexlify(b32decode(key_text)).decode()
    main.get_by_label(translated("Code from the app")).fill(code_for_key(key))
    main.get_by_role("button", name=translated("Confirm and continue")).click()

    expect(page).to_have_url(re.compile(r"/accounts/two-factor/recovery-codes/"))
    codes = main.locator("ul.recovery-codes li")
    expect(codes).to_have_count(10)
    expect(main.get_by_role("alert")).to_contain_text("maar één keer getoond")
    axe_check(page)
    assert two_factor.is_enrolled(user)

    main.get_by_role("link", name=translated("I have saved the codes, continue")).click()
    expect(page).to_have_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/accounts/two-factor/recovery-codes/")
    expect(main.locator("ul.recovery-codes li")).to_have_count(0)


def test_host_logs_in_with_a_code_from_the_app(page, live_server, axe_check):
    user = UserFactory(role=Role.HOST)
    device, _ = enrol(user)

    password_step(page, live_server, user.username)

    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/\?next="))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(translated("Enter your code"))
    expect(page.get_by_role("banner").get_by_role("link", name=translated("Security"))).to_have_count(0)
    axe_check(page)

    main.get_by_label(translated("Code"), exact=False).fill("000000")
    main.get_by_role("button", name=translated("Verify"), exact=True).click()
    expect(main.locator(".invalid-feedback")).to_contain_text(
        translated("This code is not correct or has already been used.")
    )
    axe_check(page)

    # A few seconds pass before the next try (django-otp waits a second after a wrong code).
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(seconds=5))
    main.get_by_label(translated("Code"), exact=False).fill(next_code(device))
    main.get_by_role("button", name=translated("Verify"), exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("banner").get_by_role("link", name=translated("Security"))).to_be_visible()


def test_brigadier_without_the_phone_logs_in_with_a_recovery_code(page, live_server, axe_check):
    user = UserFactory(role=Role.BRIGADIER)
    _, codes = enrol(user)

    password_step(page, live_server, user.username)
    main = page.get_by_role("main")
    main.get_by_label(translated("Code"), exact=False).fill(codes[3])
    main.get_by_role("button", name=translated("Verify"), exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(main.get_by_role("status")).to_contain_text("nog 9 over")
    axe_check(page)
    assert two_factor.recovery_codes_left(user) == 9


def test_too_many_wrong_passwords_show_a_clear_dutch_lockout_page(page, live_server, axe_check):
    user = UserFactory(role=Role.CHAIR)

    for _ in range(5):
        password_step(page, live_server, user.username, "wrong-password")

    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(translated("Temporarily blocked"))
    expect(main.get_by_role("alert")).to_contain_text("Te veel mislukte pogingen om in te loggen")
    expect(main.get_by_role("alert")).to_contain_text("15 minuten")
    axe_check(page)

    password_step(page, live_server, user.username)  # the right password does not help now
    expect(main.get_by_role("heading", level=1)).to_have_text(translated("Temporarily blocked"))


def test_export_after_a_while_asks_password_and_code_then_downloads(page, live_server, axe_check, login):
    user = UserFactory(role=Role.PROFESSIONAL)
    make_signal(reporter=user, district=district_with_members(user))
    login(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server.url}/signals/")

    # Eleven minutes pass since logging in (the session is on the server, so the test can age it).
    session = SessionStore(session_key=_session_cookie(page))
    session[two_factor.AUTH_TIME_KEY] = time.time() - 11 * 60
    session.save()

    page.get_by_role("link", name=re.compile("CSV")).first.click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm/\?next="))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(translated("Confirm it is you"))
    axe_check(page)

    main.get_by_label(translated("Password"), exact=False).fill(PASSWORD)
    main.get_by_label(translated("Code"), exact=False).fill(next_code(two_factor.totp_device(user)))
    with page.expect_download() as download_info:
        main.get_by_role("button", name=translated("Confirm and continue")).click()
    assert download_info.value.suggested_filename.endswith(".csv")


def _session_cookie(page) -> str:
    return next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "sessionid")
