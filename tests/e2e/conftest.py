"""Browser-test harness: Playwright driving Debian's Chromium against pytest-django's live server.

Every test in this folder is marked `e2e`, so `pytest -m "not e2e"` skips the browser.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import translated

# Playwright's sync API keeps an asyncio loop running in the main thread from the first browser test until the
# session ends, so Django would refuse ORM calls in tests (and in later non-browser tests) with
# SynchronousOnlyOperation. The ORM calls are synchronous all the same; this only silences the guard.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = HERE.parent.parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium: Playwright's own browser download does not work on these machines."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; install it with `make browser` (Debian: apt-get install chromium).")
    args = CHROMIUM_ARGS
    if browser_type_launch_args.get("headless") is False:  # pytest --headed
        args = [arg for arg in args if arg != "--headless"]
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": args}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The app's strict CSP (script-src 'self') would block the inline axe-core script the tests inject.
    return {**browser_context_args, "bypass_csp": True, "locale": "nl-NL"}


def _describe(violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s):"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            if node.get("failureSummary"):
                lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


@pytest.fixture
def axe_check():
    """Return a function that runs axe-core in the page and fails the test on any violation."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing; run `npm ci`.")

    def check(page):
        __tracebackhide__ = True
        page.add_script_tag(path=str(AXE_SCRIPT))
        violations = page.evaluate("async () => (await axe.run()).violations")
        if violations:
            raise AssertionError(f"{page.url}\n{_describe(violations)}")

    return check


@pytest.fixture(autouse=True)
def two_factor_required(settings):
    """The journeys run as in production: roles that see personal data log in with two factors."""
    settings.TWO_FACTOR_REQUIRED = True


def two_factor_ready(username):
    """The user's TOTP device, enrolling them through the real service first where they must have one (as if
    they had enrolled on an earlier day); None for a user who logs in with a password only."""
    from meedoen.accounts import two_factor
    from meedoen.accounts.models import User
    from tests.factories.two_factor import enrol

    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    if not two_factor.is_enrolled(user) and two_factor.required_for(user):
        enrol(user)
    return two_factor.totp_device(user)


@pytest.fixture
def login():
    """Return a function that logs in through the login form, as a person would, and waits for the answer.

    Where the user has a second factor (every role that must, since the journeys run with TWO_FACTOR_REQUIRED), it
    then types the code the user's app would show.
    """
    from tests.factories.two_factor import next_code

    def log_in(page, live_server, username, password):
        device = two_factor_ready(username)
        page.goto(f"{live_server.url}/accounts/login/")
        # The cursor starts in the username field; waiting for it keeps the browser's late autofocus from moving
        # the focus halfway through typing the password.
        name_field = page.get_by_label(translated("username"), exact=False)
        expect(name_field).to_be_focused()
        name_field.fill(username)
        page.get_by_label(translated("Password"), exact=False).fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name=translated("Log in"), exact=True).click()
        if device is not None and "/accounts/two-factor/verify/" in page.url:
            code_field = page.get_by_label(translated("Code"), exact=False)
            expect(code_field).to_be_focused()
            code_field.fill(next_code(device))
            with page.expect_navigation():
                page.get_by_role("button", name=translated("Verify"), exact=True).click()

    return log_in
