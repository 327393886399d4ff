"""Journeys from the login page to each role's home page, and back out."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from meedoen.accounts.models import Role
from meedoen.core import attention
from tests.e2e.helpers import translated
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# Every link in the main navigation, per role: the brand, "Home" and the own account for all, plus what the
# role may use. A role that sees a page it may not open, or misses one it may, fails here.
EVERYONE = ["/", "/", "/notifications/", "/accounts/two-factor/", "/accounts/password/change/"]
SIGNALS = ["/signals/", "/signals/new/", "/meetings/", "/actions/"]
VISIT_REQUESTS = ["/brigade/requests/"]
COORDINATION = ["/brigade/", "/brigade/requests/", "/brigade/assessment/", "/brigade/brigadiers/"]
ZELFREGIE = ["/zelfregie/", "/zelfregie/activities/", "/zelfregie/participants/"]
EXTRA_LINKS = {
    Role.PROFESSIONAL: [*SIGNALS, *VISIT_REQUESTS],
    Role.CHAIR: [*SIGNALS, *VISIT_REQUESTS],
    Role.BRIGADE_COORDINATOR: COORDINATION,
    Role.BRIGADIER: ["/brigade/mine/"],
    Role.HOST: ZELFREGIE,
    Role.PROJECT_LEADER: ["/reports/", "/reports/quarterly/"],
    Role.MUNICIPALITY: ["/reports/quarterly/"],
    Role.PRIVACY_OFFICER: ["/privacy/access-log/", "/privacy/residents/", "/privacy/retention/"],
    Role.ADMIN: [*SIGNALS, *COORDINATION, *ZELFREGIE, "/reports/", "/reports/quarterly/", "/admin/"],
}


def expected_panel_titles(user) -> list[str]:
    """The home page's panels, from the providers the apps register."""
    with translation.override("nl"):
        panels = attention.panels_for(user)
        assert panels, f"every role has its panels, {user.role} has none"
        return [str(panel.title) for panel in panels]


def main_navigation(page):
    return page.get_by_role("banner").get_by_role("navigation")


def log_out_button(page, language="nl"):
    return main_navigation(page).get_by_role("button", name=translated("Log out", language), exact=True)


def test_login_page_is_accessible_and_explains_a_failed_login(page, live_server, axe_check, login):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("Log in to Meedoen"))
    axe_check(page)

    login(page, live_server, "nobody", "wrong-password")

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)


@pytest.mark.parametrize("role", Role.values)
def test_role_logs_in_to_a_home_page_with_only_its_own_navigation(page, live_server, axe_check, login, role):
    user = UserFactory(role=role, first_name="Noor")

    login(page, live_server, user.username, PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    main = page.get_by_role("main")
    greeting = translated("Good to see you, %(name)s", name="Noor")
    expect(main.get_by_role("heading", level=1)).to_have_text(greeting)
    expect(main.get_by_role("heading", level=2)).to_have_text(translated("What needs my attention"))
    titles = expected_panel_titles(user)
    expect(main.get_by_role("region")).to_have_count(len(titles))
    for title in titles:
        expect(main.get_by_role("region", name=title, exact=True)).to_be_visible()

    links = main_navigation(page).get_by_role("link")
    hrefs = links.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert sorted(hrefs) == sorted(EVERYONE + EXTRA_LINKS.get(role, []))
    axe_check(page)


def test_log_out_from_the_navigation_returns_to_the_login_page(page, live_server, login):
    user = UserFactory(role=Role.PROFESSIONAL)
    login(page, live_server, user.username, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")

    log_out_button(page).click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_language_switch_in_the_footer_changes_to_english_and_back(page, live_server, login):
    user = UserFactory(role=Role.PROFESSIONAL)
    login(page, live_server, user.username, PASSWORD)
    footer = page.get_by_role("contentinfo")

    for shown, chosen in [("nl", "en"), ("en", "nl")]:
        footer.get_by_label(translated("Language", shown)).select_option(chosen)
        footer.get_by_role("button", name=translated("Switch", shown), exact=True).click()

        expect(page).to_have_url(f"{live_server.url}/")
        expect(page.locator("html")).to_have_attribute("lang", chosen)
        expect(log_out_button(page, chosen)).to_be_visible()
