"""The privacy officer in the browser: find a resident, download the subject-access export, erase the resident."""

import io
import json

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from meedoen.privacy.models import AccessLog, Resident
from tests.e2e.helpers import translated
from tests.factories.accounts import PASSWORD
from tests.factories.privacy import make_history

pytestmark = pytest.mark.django_db(transaction=True)
CONFIRM = (
    "I have checked that this person asked for it (or the law requires it) and that no legal duty to keep "
    "the data applies. I understand that the erasure cannot be undone."
)


@pytest.fixture
def history(make_user):
    return make_history(make_user)


def test_privacy_officer_finds_a_resident_exports_everything_and_erases_them(
    page, live_server, axe_check, login, history
):
    jan = history.jan
    login(page, live_server, history.officer.username, PASSWORD)
    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("link", name=translated("Subject access"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("Subject access and erasure"))
    axe_check(page)

    # Half a search gets a clear message, and keeps what was typed.
    page.get_by_label(translated("Name"), exact=True).fill("Jan Smit")
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Search"), exact=True).click()
    expect(
        page.get_by_text(translated("With a name, give the date of birth too, so the person can be recognised."))
    ).to_be_visible()
    expect(page.get_by_label(translated("Name"), exact=True)).to_have_value("Jan Smit")
    axe_check(page)

    page.get_by_label(translated("Date of birth")).fill("1970-05-01")
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Search"), exact=True).click()
    results = page.get_by_role("table", name=translated("Residents found"))
    expect(results).to_contain_text("Jan Smit")
    expect(results).not_to_contain_text("Piet")
    assert "Smit" not in page.url and "1970" not in page.url  # searched by POST: nothing personal in the address
    axe_check(page)

    with page.expect_navigation():
        results.get_by_role("link", name=jan.pseudonym).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated("Resident %(pseudonym)s", pseudonym=jan.pseudonym)
    )
    expect(page.get_by_text("Hooigracht 3, 2312 KN")).to_be_visible()
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=translated("Download as JSON")).click()
    download = download_info.value
    assert download.suggested_filename == f"inzage-{jan.pseudonym}.json"
    data = json.loads(open(download.path(), "rb").read())  # noqa: SIM115
    assert (data["resident"]["pseudonym"], data["resident"]["full_name"]) == (jan.pseudonym, "Jan Smit")
    assert len(data["records"]["visit_requests"]["records"]) == 2
    assert data["records"]["signals"]["records"][0]["description"].startswith("Jan komt niet meer buiten")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=translated("Download as PDF")).click()
    pdf = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert jan.pseudonym in text and "Jan Smit" in text and "Piet" not in text
    assert AccessLog.objects.filter(username=history.officer.username, action="export", resident=jan).count() >= 2

    with page.expect_navigation():
        page.get_by_role("link", name=translated("Erase this resident…")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated("Erase resident %(pseudonym)s", pseudonym=jan.pseudonym)
    )
    axe_check(page)
    # The confirmation step: without the tick nothing happens.
    page.get_by_label(translated("Reason for the erasure")).fill("Verzoek van de bewoner per brief, kenmerk 2026-031")
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Erase for good")).click()
    expect(page.get_by_text(translated("Tick the box to confirm the erasure."))).to_be_visible()
    assert Resident.objects.get(pk=jan.pk).anonymised_at is None
    axe_check(page)
    page.get_by_role("checkbox", name=translated(CONFIRM)).check()
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Erase for good")).click()
    expect(page).to_have_url(f"{live_server.url}/privacy/residents/{jan.pseudonym}/")
    expect(page.get_by_role("status")).to_contain_text(jan.pseudonym)
    expect(page.get_by_text("Jan Smit")).to_have_count(0)
    axe_check(page)
    erased = Resident.objects.get(pk=jan.pk)
    assert erased.anonymised_at is not None and erased.full_name == ""

    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("link", name=translated("Retention"), exact=True).click()
    expect(page.get_by_role("table", name=translated("Erasures on request"))).to_contain_text("kenmerk 2026-031")
    axe_check(page)
