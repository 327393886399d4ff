"""Journeys of the figures: the project leader reads the dashboard; a professional exports the filtered signal list."""

import csv
import datetime
import importlib
import io
import re

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import expect

from meedoen.accounts.models import Role
from meedoen.privacy.models import AccessLog
from signalering.models import Signal
from tests.e2e.helpers import translated
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.signalering import district_with_members, make_signal

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def concern_categories():
    """The default concern categories come from a data migration, which a transactional test's flush removes."""
    migration = importlib.import_module("signalering.migrations.0002_add_default_concern_categories")
    migration.add_categories(apps, None)


def main_navigation(page):
    return page.get_by_role("banner").get_by_role("navigation")


def field(scope, msgid):
    """The form control labelled with the (translated, capitalised) text, allowing crispy's required asterisk."""
    label = re.escape(capfirst(translated(msgid)))
    return scope.get_by_label(re.compile(rf"^\s*{label}\s*\*?\s*$", re.IGNORECASE))


def figure(page, msgid):
    """The value of the figure tile headed `msgid`."""
    tile = page.locator("dl.figure-tile").filter(has=page.get_by_role("term").filter(has_text=translated(msgid)))
    return tile.locator("dd.figure-value")


def test_project_leader_reads_the_dashboard_for_a_period_and_a_district(page, live_server, axe_check, login):
    professional = UserFactory(role=Role.PROFESSIONAL)
    centre = district_with_members(professional)
    other = district_with_members(UserFactory(role=Role.PROFESSIONAL))
    for _ in range(3):
        make_signal(reporter=professional, district=centre)
    make_signal(reporter=other.memberships.get().user, district=other)
    # One signal of the centre from half a year ago: outside this quarter, inside the last 12 months.
    older = make_signal(reporter=professional, district=centre)
    Signal.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=200))
    leader = UserFactory(role=Role.PROJECT_LEADER, first_name="Anouk")
    login(page, live_server, leader.username, PASSWORD)

    with page.expect_navigation():
        main_navigation(page).get_by_role("link", name=translated("Dashboard"), exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("Dashboard"))
    expect(figure(page, "New signals")).to_have_text("4")  # this quarter, all districts

    periods = page.get_by_role("navigation", name=translated("Choose a period"))
    with page.expect_navigation():
        periods.get_by_role("link", name=translated("Last 12 months"), exact=True).click()
    expect(periods.get_by_role("link", name=translated("Last 12 months"), exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    expect(figure(page, "New signals")).to_have_text("5")

    form = page.get_by_role("form", name=translated("Period and district"))
    field(form, "District").select_option(label=centre.name)
    with page.expect_navigation():
        form.get_by_role("button", name=translated("Show figures"), exact=True).click()

    expect(page).to_have_url(re.compile(rf"/reports/\?.*\bdistrict={centre.pk}\b"))
    expect(field(form, "District")).to_have_value(str(centre.pk))
    expect(figure(page, "New signals")).to_have_text("4")
    expect(page.locator("#dashboard-scope")).to_contain_text(centre.name)

    concerns = page.locator("#chart-signals-category")
    expect(concerns.get_by_role("img")).to_be_visible()
    concerns.locator("summary", has_text=translated("Data table")).click()
    table = concerns.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="Sociaal isolement")).to_contain_text("4")
    axe_check(page)


def test_professional_exports_the_filtered_signal_list(page, live_server, axe_check, login):
    professional = UserFactory(role=Role.PROFESSIONAL)
    district = district_with_members(professional)
    urgent = make_signal(reporter=professional, district=district, urgency=Signal.Urgency.URGENT, description="Nu")
    normal = make_signal(reporter=professional, district=district, description="Later")
    stranger = UserFactory(role=Role.PROFESSIONAL)
    elsewhere = make_signal(reporter=stranger, district=district_with_members(stranger), urgency=3)
    login(page, live_server, professional.username, PASSWORD)

    page.goto(f"{live_server.url}/signals/")
    page.get_by_text(translated("Filter and sort"), exact=True).click()
    filters = page.get_by_role("form", name=translated("Filter signals"))
    field(filters, "Urgency").select_option(value=str(Signal.Urgency.URGENT))
    with page.expect_navigation():
        filters.get_by_role("button", name=translated("Apply"), exact=True).click()
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(rf"^{re.escape(translated('Export CSV'))}")).click()
    download = download_info.value

    assert download.suggested_filename.endswith(".csv")
    raw = open(download.path(), "rb").read()  # noqa: SIM115
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][0] == translated("Signal")
    assert [row[0] for row in rows[1:]] == [urgent.number]
    assert normal.number not in raw.decode() and elsewhere.number not in raw.decode()
    assert AccessLog.objects.filter(user=professional, action="export", object_type="signal").count() == 1
