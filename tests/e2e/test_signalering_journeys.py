"""Journeys of the signaleringsoverleg: filing a signal, running a meeting, and the lists a professional works from."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import expect

from meedoen.accounts.models import Role
from meedoen.notifications.services import notify
from signalering import services
from signalering.models import Signal
from tests.e2e.helpers import translated
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.signalering import district_with_members, make_meeting, make_signal

pytestmark = pytest.mark.django_db(transaction=True)

DATE_OF_BIRTH = "1950-03-14"


@pytest.fixture(autouse=True)
def concern_categories():
    """The default concern categories come from a data migration, which a transactional test's flush removes."""
    migration = importlib.import_module("signalering.migrations.0002_add_default_concern_categories")
    migration.add_categories(apps, None)


@pytest.fixture
def professional():
    return UserFactory(role=Role.PROFESSIONAL, first_name="Fatima", last_name="Amrani")


def main_navigation(page):
    return page.get_by_role("banner").get_by_role("navigation")


def open_from_navigation(page, msgid):
    with page.expect_navigation():
        main_navigation(page).get_by_role("link", name=translated(msgid), exact=True).click()


def open_item(item, signal):
    """The chair opens an agenda item: its form loads in place, with the cursor in the notes.

    htmx moves the focus to the notes when the swap settles (20 ms after the form appears); waiting for it keeps
    the next `fill` from typing into a field that loses the focus halfway.
    """
    item.get_by_role("link", name=f"{translated('Discuss item')} {signal.number}", exact=True).click()
    expect(item.get_by_role("button", name=translated("Save item"), exact=True)).to_be_visible()
    expect(field(item, "Notes")).to_be_focused()


def field(scope, msgid):
    """The form control labelled with the (translated, capitalised) text, allowing crispy's required asterisk."""
    label = re.escape(capfirst(translated(msgid)))
    return scope.get_by_label(re.compile(rf"^\s*{label}\s*\*?\s*$", re.IGNORECASE))


def group(scope, msgid):
    """A set of radio buttons or checkboxes, named by its legend."""
    label = re.escape(capfirst(translated(msgid)))
    return scope.get_by_role("group", name=re.compile(rf"^\s*{label}\s*\*?\s*$", re.IGNORECASE))


def option(scope, msgid, role="radio"):
    return scope.get_by_role(role, name=translated(msgid), exact=True)


def timeline(page):
    return page.get_by_role("region", name=translated("Timeline"), exact=True).get_by_role("listitem")


def timeline_entry(page, msgid):
    return timeline(page).filter(has=page.get_by_text(capfirst(translated(msgid)), exact=True))


def signal_status(page):
    return page.locator("#signal-status")


def status_text(msgid):
    return f"{translated('Status')}: {translated(msgid)}"


def test_professional_files_a_signal_after_checking_whether_the_resident_is_known(
    page, live_server, axe_check, login, professional
):
    district = district_with_members(professional)
    neighbourhood = district.neighbourhoods.get()
    login(page, live_server, professional.username, PASSWORD)

    open_from_navigation(page, "New signal")
    form_url = f"{live_server.url}/signals/new/"
    expect(page).to_have_url(form_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("New signal"))
    axe_check(page)

    field(page, "district").select_option(label=district.name)
    field(page, "neighbourhood").select_option(label=f"{neighbourhood.name} ({district.name})")
    concerns = group(page, "concerns")
    option(concerns, "Sociaal isolement", "checkbox").check()
    option(concerns, "Vervuiling of verwaarlozing", "checkbox").check()
    option(group(page, "urgency"), "high – discuss at the next meeting").check()
    field(page, "Name").fill("Jan de Boer")
    field(page, "Date of birth").fill(DATE_OF_BIRTH)
    option(group(page, "legal basis"), "public task").check()
    option(group(page, "the resident knows"), "not yet, will be informed").check()

    # The description is left empty: the form comes back with a message and keeps everything typed so far.
    page.get_by_role("button", name=translated("Record signal"), exact=True).click()

    expect(page).to_have_url(form_url)
    summary = page.get_by_role("alert")
    required = translated("This field is required.")
    expect(summary.get_by_role("link")).to_have_text([f"{capfirst(translated('description'))}: {required}"])
    description = field(page, "description")
    expect(description).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_description").locator("xpath=..")).to_contain_text(required)
    expect(field(page, "district")).to_have_value(str(district.pk))
    expect(field(page, "neighbourhood")).to_have_value(str(neighbourhood.pk))
    expect(option(concerns, "Sociaal isolement", "checkbox")).to_be_checked()
    expect(option(concerns, "Vervuiling of verwaarlozing", "checkbox")).to_be_checked()
    expect(option(concerns, "Overlast", "checkbox")).not_to_be_checked()
    expect(option(group(page, "urgency"), "high – discuss at the next meeting")).to_be_checked()
    expect(field(page, "Name")).to_have_value("Jan de Boer")
    expect(field(page, "Date of birth")).to_have_value(DATE_OF_BIRTH)
    expect(option(group(page, "legal basis"), "public task")).to_be_checked()
    expect(option(group(page, "the resident knows"), "not yet, will be informed")).to_be_checked()
    assert not Signal.objects.exists()
    axe_check(page)

    description.fill("Sinds maart niet meer op de dagbesteding; de brievenbus puilt uit.")
    with page.expect_response(re.compile(r"/signals/new/known/")) as check:
        page.get_by_role("button", name=translated("Already known?"), exact=True).click()

    # htmx asked in the background and answered in place: same page, the typed description still there.
    assert check.value.request.headers.get("hx-request") == "true"
    expect(page.get_by_role("status").filter(has_text=translated("This person is not known yet."))).to_be_visible()
    expect(page).to_have_url(form_url)
    expect(description).to_have_value("Sinds maart niet meer op de dagbesteding; de brievenbus puilt uit.")

    page.get_by_role("button", name=translated("Record signal"), exact=True).click()

    signal = Signal.objects.get()
    expect(page).to_have_url(f"{live_server.url}/signals/{signal.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"S-\d{5}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(signal.number)
    expect(page.get_by_role("status")).to_contain_text(
        translated("Signal %(number)s is recorded.", number=signal.number)
    )
    expect(signal_status(page)).to_have_text(status_text("new"))
    expect(timeline(page)).to_have_count(1)
    expect(timeline_entry(page, "reported")).to_have_count(1)
    assert signal.resident is not None
    assert sorted(signal.categories.values_list("name", flat=True)) == [
        "Sociaal isolement",
        "Vervuiling of verwaarlozing",
    ]
    axe_check(page)


def test_chair_runs_a_meeting_item_by_item_and_closes_it_with_minutes(
    page, live_server, axe_check, login, professional
):
    chair = UserFactory(role=Role.CHAIR, first_name="Joost", last_name="de Vries")
    district = district_with_members(professional, chairs=[chair])
    first = make_signal(reporter=professional, urgency=Signal.Urgency.HIGH, description="Trekt zich terug")
    second = make_signal(reporter=professional, description="Vuilniszakken op het balkon")
    meeting = make_meeting(district)
    due = timezone.localdate() + datetime.timedelta(days=14)
    login(page, live_server, chair.username, PASSWORD)

    open_from_navigation(page, "Meetings")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("Meetings"))
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name=re.compile(re.escape(district.name))).click()

    meeting_url = f"{live_server.url}/meetings/{meeting.pk}/"
    expect(page).to_have_url(meeting_url)
    first_item, second_item = page.locator(f"#item-{first.pk}"), page.locator(f"#item-{second.pk}")
    expect(page.get_by_role("article")).to_have_count(2)
    axe_check(page)

    open_item(first_item, first)
    expect(field(first_item, "Notes")).to_be_focused()
    axe_check(page)
    field(first_item, "Notes").fill("Buurvrouw maakt zich ook zorgen.")
    field(first_item, "Decision").fill("Wijkcoach gaat op huisbezoek.")
    field(first_item, "Lead professional").select_option(label=str(professional))
    field(first_item, "Next step").fill("Huisbezoek")
    field(first_item, "Next step due").fill(due.isoformat())
    field(first_item, "New action").fill("Huisarts bellen")
    field(first_item, "Action owner").select_option(label=str(professional))
    field(first_item, "Action due").fill(due.isoformat())
    field(first_item, "Status").select_option(label=translated("in progress"))
    first_item.get_by_role("button", name=translated("Save item"), exact=True).click()

    expect(first_item.get_by_role("status")).to_have_text(translated("Saved."))
    expect(page).to_have_url(meeting_url)
    # Saved, the item closes and shows what was recorded; the focus stays with the item.
    expect(first_item.get_by_role("link", name=re.compile(translated("Edit item")))).to_be_focused()
    expect(first_item).to_contain_text("Wijkcoach gaat op huisbezoek.")
    expect(first_item).to_contain_text(translated("in progress"))
    expect(first_item).to_contain_text("Huisarts bellen")
    first.refresh_from_db()
    assert (first.status, first.lead, first.next_step, first.next_step_due) == (
        "in_progress",
        professional,
        "Huisbezoek",
        due,
    )
    assert first.actions.get().owner == professional
    axe_check(page)

    open_item(second_item, second)
    field(second_item, "Decision").fill("Geen zorgen meer: familie helpt.")
    field(second_item, "Status").select_option(label=translated("closed"))
    field(second_item, "Outcome (when closing)").select_option(label=translated("no action needed"))
    second_item.get_by_role("button", name=translated("Save item"), exact=True).click()

    expect(second_item.get_by_role("status")).to_have_text(translated("Saved."))
    expect(page).to_have_url(meeting_url)
    expect(second_item).to_contain_text(translated("closed"))

    agenda = page.get_by_role("link", name=translated("Agenda (PDF)"), exact=True)
    pdf = page.request.get(agenda.evaluate("link => link.href"))
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    field(page, "General minutes").fill("Twee signalen besproken.")
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Close meeting and keep the minutes"), exact=True).click()

    expect(page).to_have_url(meeting_url)
    expect(page.get_by_role("status")).to_contain_text(translated("The meeting is closed and the minutes are kept."))
    expect(page.get_by_role("link", name=re.compile(translated("Edit item")))).to_have_count(0)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.minutes) == ("held", "Twee signalen besproken.")

    with page.expect_navigation():
        second_item.get_by_role("link", name=second.number, exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/signals/{second.pk}/")
    expect(signal_status(page)).to_have_text(status_text("closed"))
    expect(page.locator("#signal-outcome")).to_have_text(
        f"{capfirst(translated('outcome'))}: {translated('no action needed')}"
    )
    expect(timeline_entry(page, "discussed")).to_have_count(1)
    expect(timeline_entry(page, "decision")).to_contain_text("Geen zorgen meer: familie helpt.")
    expect(timeline_entry(page, "status changed")).to_contain_text(translated("no action needed"))
    axe_check(page)


def test_professional_filters_signals_and_marks_an_action_done(page, live_server, axe_check, login, professional):
    district_with_members(professional)
    normal = make_signal(reporter=professional, description="Normaal")
    high = [make_signal(reporter=professional, urgency=Signal.Urgency.HIGH, description=f"Hoog {n}") for n in (1, 2)]
    services.action_create(
        signal=normal,
        user=professional,
        description="Buurtcoach inlichten",
        owner=professional,
        due=timezone.localdate() + datetime.timedelta(days=3),
    )
    notify(
        recipient=professional,
        kind="test",
        item=high[0],
        subject=f"Nieuw signaal {high[0].number}",
        body="In uw wijk.",
        url=f"/signals/{high[0].pk}/",
    )
    login(page, live_server, professional.username, PASSWORD)

    open_from_navigation(page, "Signals")
    rows = page.get_by_role("main").get_by_role("table").locator("tbody").get_by_role("row")
    expect(rows).to_have_count(3)
    page.get_by_text(translated("Filter and sort"), exact=True).click()
    filters = page.get_by_role("form", name=translated("Filter signals"))
    field(filters, "Urgency").select_option(label=translated("high – discuss at the next meeting"))
    with page.expect_navigation():
        filters.get_by_role("button", name=translated("Apply"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/signals/\?.*\burgency=2\b"))
    expect(rows).to_have_count(2)
    for signal in high:
        expect(rows.filter(has=page.get_by_role("link", name=signal.number, exact=True))).to_contain_text(
            translated("high – discuss at the next meeting")
        )
    expect(page.get_by_role("link", name=normal.number, exact=True)).to_have_count(0)
    expect(field(filters, "Urgency")).to_have_value("2")
    axe_check(page)

    open_from_navigation(page, "My actions")
    action_row = page.get_by_role("row").filter(has_text="Buurtcoach inlichten")
    expect(action_row).to_contain_text(normal.number)
    axe_check(page)
    with page.expect_navigation():
        action_row.get_by_role("button", name=translated("Mark as done")).click()

    expect(page).to_have_url(f"{live_server.url}/actions/")
    expect(page.get_by_role("status")).to_contain_text(translated("The action is marked as done."))
    expect(page.get_by_text(translated("You have no open actions."))).to_be_visible()
    assert normal.actions.get().done_at is not None

    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_role("link", name=f"Nieuw signaal {high[0].number}")).to_be_visible()
    axe_check(page)


def test_chair_sees_why_an_item_is_not_saved(page, live_server, login, professional):
    chair = UserFactory(role=Role.CHAIR)
    district = district_with_members(professional, chairs=[chair])
    signal = make_signal(reporter=professional)
    meeting = make_meeting(district)
    login(page, live_server, chair.username, PASSWORD)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    item = page.locator(f"#item-{signal.pk}")

    open_item(item, signal)
    field(item, "Decision").fill("Afsluiten.")
    field(item, "Status").select_option(label=translated("closed"))
    with page.expect_response(re.compile(rf"/items/{signal.pk}/$")) as answer:
        item.get_by_role("button", name=translated("Save item"), exact=True).click()

    assert answer.value.status == 400
    expect(item).to_contain_text(translated("Choose an outcome to close the signal."), timeout=2_000)
    expect(field(item, "Decision")).to_have_value("Afsluiten.")
    expect(item.get_by_role("button", name=translated("Save item"), exact=True)).to_be_focused()
    signal.refresh_from_db()
    assert signal.status == "new"

    item.get_by_role("link", name=translated("Close without saving"), exact=True).click()
    discuss = item.get_by_role("link", name=f"{translated('Discuss item')} {signal.number}", exact=True)
    expect(discuss).to_be_focused()
    expect(item.get_by_role("button", name=translated("Save item"))).to_have_count(0)
    expect(page).to_have_url(f"{live_server.url}/meetings/{meeting.pk}/")
