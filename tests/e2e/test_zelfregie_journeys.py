"""Journeys of the Zelfregiecentrum: a host counting at the door on a phone, a host running activities and
participants, and a visitor reading the public agenda without logging in."""

import datetime
import re

import icalendar
import pytest
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import expect

from meedoen.accounts.models import Role
from tests.e2e.helpers import translated
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.zelfregie import make_activity, make_location, make_participant, make_session
from zelfregie import services
from zelfregie.models import Activity, Participant, SignUp

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def host():
    return UserFactory(role=Role.HOST, first_name="Sanne", last_name="de Wit")


@pytest.fixture
def colleague():
    return UserFactory(role=Role.HOST, first_name="Youssef", last_name="Amrani")


@pytest.fixture
def location(host, colleague):
    return make_location(hosts=[host, colleague], name="Huis van de Buurt Matilo", slug="matilo")


def field(scope, msgid):
    """The form control labelled with the (translated, capitalised) text, allowing crispy's required asterisk."""
    label = re.escape(capfirst(translated(msgid)))
    return scope.get_by_label(re.compile(rf"^\s*{label}\s*\*?\s*$", re.IGNORECASE))


def fits_the_screen(page) -> bool:
    """No sideways scrolling: the page is as wide as the phone."""
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def count_button(page, msgid):
    return page.get_by_role("button", name=translated(msgid), exact=True)


def tap(page, msgid):
    """Tap a count button and wait for htmx's answer; the page itself stays."""
    with page.expect_response(re.compile(r"/count/$")) as answer:
        count_button(page, msgid).click()
    assert answer.value.request.headers.get("hx-request") == "true"
    return answer.value


def test_host_counts_visitors_at_the_door_on_a_phone(page, live_server, axe_check, login, host, colleague, location):
    session = make_session(location)
    services.expected_visitor_announce(
        location=location, first_name="Kees", consent=True, announced_by=UserFactory(role=Role.BRIGADIER)
    )
    page.set_viewport_size(PHONE)
    login(page, live_server, host.username, PASSWORD)

    # The home page's panel leads to today's session.
    panel = page.get_by_role("region", name=translated("Today's walk-in sessions"), exact=True)
    with page.expect_navigation():
        panel.get_by_role("link").first.click()
    session_url = f"{live_server.url}/zelfregie/sessions/{session.pk}/"
    expect(page).to_have_url(session_url)
    total = page.locator("#count-total")
    expect(total).to_have_text("0")
    for msgid in ("+1 visitor", "New visitor", "−1 (tapped by mistake)"):
        box = count_button(page, msgid).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 300, msgid  # big enough to hit at the door
    assert fits_the_screen(page)
    axe_check(page)

    tap(page, "+1 visitor")
    expect(total).to_have_text("1")
    tap(page, "+1 visitor")
    tap(page, "New visitor")
    expect(total).to_have_text("3")
    tap(page, "−1 (tapped by mistake)")
    expect(total).to_have_text("2")
    expect(page).to_have_url(session_url)
    session.refresh_from_db()
    assert (session.visitors, session.new_visitors) == (2, 1)

    # A second host counts at the other door: the total follows by itself.
    for _ in range(3):
        services.count_tap(session=session, user=colleague, change="plus")
    expect(total).to_have_text("5", timeout=8_000)
    tap(page, "+1 visitor")
    expect(total).to_have_text("6")

    # An expected visitor arrives.
    expected = page.get_by_role("listitem").filter(has_text=translated("Expected: %(name)s", name="Kees"))
    with page.expect_navigation():
        expected.get_by_role("button", name=re.compile(re.escape(translated("Has arrived")))).click()
    expect(page.get_by_role("status").first).to_contain_text(translated("%(name)s has arrived. Welcome!", name="Kees"))
    expect(page.get_by_text(translated("Expected: %(name)s", name="Kees"))).to_have_count(0)
    axe_check(page)

    # The count is corrected afterwards, with a reason.
    page.get_by_text(translated("Change the numbers afterwards, with a reason"), exact=True).click()
    field(page, "Visitors").fill("9")
    field(page, "Of whom new").fill("2")
    field(page, "Reason").fill("Drie mensen via de tuindeur")
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Save correction"), exact=True).click()
    expect(total).to_have_text("9")
    expect(page.get_by_text("Drie mensen via de tuindeur", exact=False)).to_be_visible()
    axe_check(page)

    open_page = [
        ("/zelfregie/", translated("Meeting places")),
        (f"/zelfregie/places/{location.pk}/", location.name),
        ("/zelfregie/expected/", translated("Expected visitors")),
    ]
    for path, heading in open_page:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert fits_the_screen(page), path
        axe_check(page)


def test_the_tap_counter_works_without_javascript(browser, live_server, login, host, location):
    session = make_session(location)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    login(page, live_server, host.username, PASSWORD)  # the login pages need no JavaScript either
    page.goto(f"{live_server.url}/zelfregie/sessions/{session.pk}/")
    for _ in range(2):
        with page.expect_navigation():
            count_button(page, "+1 visitor").click()
    expect(page.locator("#count-total")).to_have_text("2")
    with page.expect_navigation():
        count_button(page, "New visitor").click()
    expect(page.locator("#count-total")).to_have_text("3")
    session.refresh_from_db()
    assert (session.visitors, session.new_visitors) == (3, 1)
    context.close()


def test_host_registers_participants_and_fills_an_activity_up_to_its_waiting_list(
    page, live_server, axe_check, login, host, location
):
    make_participant(location=location, host=host, first_name="Anna")
    make_participant(location=location, host=host, first_name="Bert")
    login(page, live_server, host.username, PASSWORD)

    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("link", name=translated("Participants"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("Participants"))
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("link", name=translated("Register a participant"), exact=True).click()
    statement = page.locator("#consent-text")
    expect(statement).to_contain_text(location.name)
    expect(statement).to_contain_text(services.participant_retain_until(location).strftime("%d-%m-%Y"))
    axe_check(page)

    # Without the consent box ticked, nothing is kept and the form says why.
    field(page, "First name or nickname").fill("Kees")
    page.get_by_role("button", name=translated("Register"), exact=True).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_text(translated("Registering needs the participant's consent."))).to_be_visible()
    expect(field(page, "First name or nickname")).to_have_value("Kees")
    assert not Participant.objects.filter(first_name="Kees").exists()
    axe_check(page)
    field(page, "The participant has read or heard the text above and agrees to it.").check()
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Register"), exact=True).click()
    kees = Participant.objects.get(first_name="Kees")
    expect(page.get_by_role("heading", level=1)).to_have_text(str(kees))
    axe_check(page)

    # Finding Kees again: the name is posted, so it shows in no address.
    page.goto(f"{live_server.url}/zelfregie/participants/")
    field(page, "First name or pseudonym").fill("kee")
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Find"), exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/zelfregie/participants/")
    found = page.get_by_role("table").get_by_role("link")
    expect(found).to_have_count(1)
    expect(found).to_have_text(str(kees))
    assert "kee" not in "".join(page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")).lower()
    axe_check(page)

    # A new activity with two places and sign-up.
    page.goto(f"{live_server.url}/zelfregie/activities/")
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("link", name=translated("New activity"), exact=True).click()
    axe_check(page)
    field(page, "title").fill("Samen koken")
    field(page, "first date").fill(timezone.localdate().isoformat())
    field(page, "from").fill("17:00")
    field(page, "until").fill("19:00")
    field(page, "places").fill("2")
    field(page, "sign-up needed").check()
    field(page, "Organised by").select_option(label=str(kees))
    with page.expect_navigation():
        page.get_by_role("button", name=translated("Save"), exact=True).click()
    activity = Activity.objects.get(title="Samen koken")
    expect(page).to_have_url(f"{live_server.url}/zelfregie/activities/{activity.pk}/")
    axe_check(page)

    for name in ("Anna", "Bert", "Kees"):
        field(page, "Participant").select_option(label=str(Participant.objects.get(first_name=name)))
        with page.expect_navigation():
            page.get_by_role("button", name=translated("Sign up"), exact=True).click()
    waiting = page.get_by_role("region", name=translated("Signed up")).locator("ol")
    expect(waiting.get_by_role("listitem")).to_have_count(1)
    expect(waiting).to_contain_text("Kees")
    axe_check(page)

    # Anna cannot come after all: Kees moves up.
    signed_up = page.get_by_role("region", name=translated("Signed up")).locator("ul").get_by_role("listitem")
    with page.expect_navigation():
        signed_up.filter(has_text="Anna").get_by_role("button").click()
    expect(page.get_by_role("status").first).to_contain_text("Kees")
    assert SignUp.objects.get(participant=kees).status == SignUp.Status.CONFIRMED

    page.goto(f"{live_server.url}/zelfregie/activities/{activity.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("Change activity"))
    axe_check(page)


def test_a_visitor_reads_the_public_agenda_on_a_phone_without_logging_in(page, live_server, axe_check, host, location):
    today = timezone.localdate()
    services.sessions_plan(until=today + datetime.timedelta(weeks=4))
    make_activity(location=location, host=host, title="Wandelgroep", description="Rondje door het park.")
    make_activity(location=location, host=host, title="Lotgenotengroep", public=False)
    make_location(name="Inloophuis Merenwijk", slug="merenwijk", weekdays=(0, 2))
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("Meeting places: when can you drop in?"))
    place = page.get_by_role("region", name=location.name)
    expect(place).to_contain_text(translated("Monday").lower())
    expect(place).to_contain_text("13:00–17:00")
    expect(place).to_contain_text("Wandelgroep")
    expect(page.get_by_text("Lotgenotengroep")).to_have_count(0)
    expect(page.get_by_role("region", name="Inloophuis Merenwijk")).to_be_visible()
    expect(page.get_by_role("button", name=translated("Log out"))).to_have_count(0)
    assert fits_the_screen(page)
    axe_check(page)

    with page.expect_navigation():
        place.get_by_role("link", name=location.name, exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/agenda/matilo/")
    expect(page.get_by_role("heading", level=1)).to_have_text(location.name)
    expect(page.get_by_role("main")).to_contain_text(location.accessibility)
    expect(page.get_by_role("main")).to_contain_text(translated("walk-in"))
    assert fits_the_screen(page)
    axe_check(page)

    feed_link = page.get_by_role("link", name=translated("Add %(place)s to your calendar", place=location.name))
    feed = page.request.get(feed_link.evaluate("link => link.href"))
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.body())
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert "Wandelgroep" in summaries and "Lotgenotengroep" not in summaries
    assert translated("Walk-in at %(place)s", place=location.name) in summaries
