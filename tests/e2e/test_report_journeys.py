"""The municipality's quarterly report in the browser: choose a quarter, watch the report being made, download it."""

import csv
import datetime
import io
import re
import threading

import pytest
from django.db import connection
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from meedoen.accounts.models import Role
from meedoen.reports import report_files, tasks
from meedoen.reports.models import QuarterlyReport
from tests.e2e.helpers import translated
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.zelfregie import make_location, make_session

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def municipality():
    return UserFactory(role=Role.MUNICIPALITY, first_name="Marieke", last_name="de Gemeente")


@pytest.fixture
def queued(monkeypatch):
    """Requests reach no broker: the test runs the task itself, while the page watches."""
    sent: list[int] = []
    monkeypatch.setattr(tasks.generate_report, "delay", sent.append)
    return sent


@pytest.fixture
def quarter_with_visits():
    place = make_location(name="Huis van de Buurt Matilo")
    for week in range(10):
        make_session(place, day=datetime.date(2026, 1, 5) + datetime.timedelta(weeks=week), visitors=20 + week)
    make_session(place, day=datetime.date(2026, 3, 20), visitors=3)


def run_in_thread(target) -> threading.Thread:
    def run():
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_municipality_makes_a_report_watches_it_and_downloads_it(
    page, live_server, axe_check, login, municipality, queued, quarter_with_visits, monkeypatch
):
    login(page, live_server, municipality.username, PASSWORD)
    axe_check(page)  # the home page, with the quarterly reports panel
    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("link", name=translated("Quarterly reports"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("Quarterly reports"))
    expect(page.get_by_text(translated("No reports have been made yet."))).to_be_visible()
    axe_check(page)

    page.get_by_label(translated("Year")).select_option("2026")
    page.get_by_label(translated("Quarter")).select_option("1")
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Make the report"), exact=True).click()
    report = QuarterlyReport.objects.get()
    assert queued == [report.pk]
    expect(page).to_have_url(f"{live_server.url}/reports/quarterly/{report.pk}/")
    progress = page.locator("progress#report-progress")
    expect(progress).to_have_attribute("value", "0")
    axe_check(page)

    # A worker takes it; it stops before the spreadsheet until the page has shown the progress so far.
    halfway = threading.Event()
    build_xlsx = report_files.build_xlsx

    def slow_xlsx(document):
        assert halfway.wait(30), "the page never showed the progress"
        return build_xlsx(document)

    monkeypatch.setattr(report_files, "build_xlsx", slow_xlsx)
    worker = run_in_thread(lambda: tasks.generate_report.apply(args=[report.pk]))
    expect(progress).to_have_attribute("value", "55")  # figures and CSV done; htmx polls every second
    halfway.set()
    expect(progress).to_have_attribute("value", "100", timeout=30_000)
    worker.join(30)
    expect(page.locator("#report-announcement")).to_have_text(translated("The report is ready to download."))
    expect(page.get_by_role("heading", level=2)).to_contain_text(translated("ready"))
    axe_check(page)

    downloads = {}
    for fmt in ("CSV", "XLSX", "PDF"):
        with page.expect_download() as download_info:
            page.get_by_role("link", name=re.compile(rf"^{fmt}\b")).click()
        download = download_info.value
        assert download.suggested_filename == f"meedoen-kwartaalrapportage-2026-K1.{fmt.lower()}"
        downloads[fmt] = open(download.path(), "rb").read()  # noqa: SIM115
    rows = list(csv.reader(io.StringIO(downloads["CSV"].decode("utf-8-sig"), newline=""), delimiter=";"))
    visits = {row[3]: row[6] for row in rows[1:] if not row[5]}
    assert visits["zelfregie.visitors"] == str(sum(20 + week for week in range(10)) + 3)
    workbook = load_workbook(io.BytesIO(downloads["XLSX"]), read_only=True)
    assert len(workbook.sheetnames) == 5
    assert len(PdfReader(io.BytesIO(downloads["PDF"])).pages) >= 2

    # The archive lists it, with who made it.
    with page.expect_navigation():
        page.get_by_role("navigation", name=translated("Breadcrumb")).get_by_role("link").click()
    archive = page.get_by_role("table")
    expect(archive).to_contain_text("Marieke de Gemeente")
    expect(archive.get_by_role("link", name=str(report))).to_be_visible()
    axe_check(page)


def test_a_report_can_be_made_and_followed_without_javascript(browser, live_server, municipality, queued):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(translated("username"), exact=False).fill(municipality.username)
    page.get_by_label(translated("Password"), exact=False).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Log in"), exact=True).click()
    page.goto(f"{live_server.url}/reports/quarterly/")
    page.get_by_label(translated("Year")).select_option("2025")
    page.get_by_label(translated("Quarter")).select_option("4")
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Make the report"), exact=True).click()
    report = QuarterlyReport.objects.get()
    expect(page.locator("progress#report-progress")).to_have_attribute("value", "0")

    run_in_thread(lambda: tasks.generate_report.apply(args=[report.pk])).join(60)
    # The page reloads itself (a meta refresh inside <noscript>) and then offers the files.
    expect(page.get_by_role("link", name=re.compile(r"^PDF\b"))).to_be_visible(timeout=15_000)
    expect(page.locator("progress#report-progress")).to_have_attribute("value", "100")
    context.close()
