"""Journeys of the Vliegende Brigade: a visit requested from a signal, assigned from the ranking, and a brigadier on a
phone who logs a contact and closes with a referral that flows back to the signal."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import expect

from brigade import services
from brigade.models import Assignment, TrainingModule, TrainingRecord, VisitRequest
from meedoen.accounts.models import Role
from tests.e2e.helpers import translated
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.brigade import make_brigadier, make_request
from tests.factories.signalering import district_with_members, make_signal

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
DESCRIPTION = "Neemt de telefoon niet meer op; de buren zien hem alleen 's nachts."


@pytest.fixture(autouse=True)
def reference_data():
    """Concern categories and expertise come from data migrations, which a transactional test's flush removes."""
    importlib.import_module("signalering.migrations.0002_add_default_concern_categories").add_categories(apps, None)
    importlib.import_module("brigade.migrations.0002_add_default_expertise").add_expertise(apps, None)


@pytest.fixture
def professional():
    return UserFactory(role=Role.PROFESSIONAL, first_name="Fatima", last_name="Amrani")


@pytest.fixture
def coordinator():
    return UserFactory(role=Role.BRIGADE_COORDINATOR, first_name="Ineke", last_name="Bos")


@pytest.fixture
def district(professional):
    return district_with_members(professional)


@pytest.fixture
def signal(professional, district):
    return make_signal(
        reporter=professional,
        district=district,
        description=DESCRIPTION,
        new_resident={
            "full_name": "Jan Smit",
            "date_of_birth": datetime.date(1958, 5, 1),
            "postcode": "2312 KN",
            "house_number": "3",
            "street": "Hooigracht",
        },
    )


@pytest.fixture
def phone(browser, browser_context_args):
    """A page in a phone-sized browser with touch, as a brigadier out in the district has."""
    context = browser.new_context(**{**browser_context_args, **PHONE})
    yield context.new_page()
    context.close()


def main_navigation(page):
    return page.get_by_role("banner").get_by_role("navigation")


def open_from_navigation(page, msgid):
    with page.expect_navigation():
        main_navigation(page).get_by_role("link", name=translated(msgid), exact=True).click()


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


def region(page, msgid):
    return page.get_by_role("region", name=translated(msgid), exact=True)


def button(scope, msgid):
    return scope.get_by_role("button", name=translated(msgid), exact=True)


def messages(page):
    return page.get_by_role("main").get_by_role("status")


def timeline_entry(page, msgid):
    entries = region(page, "Timeline").get_by_role("listitem")
    return entries.filter(has=page.get_by_text(capfirst(translated(msgid)), exact=True))


def status_text(msgid):
    return f"{translated('Status')}: {translated(msgid)}"


def test_professional_asks_the_brigade_to_visit_from_a_signal(
    page, live_server, axe_check, login, professional, signal
):
    login(page, live_server, professional.username, PASSWORD)
    signal_url = f"{live_server.url}/signals/{signal.pk}/"
    page.goto(signal_url)

    with page.expect_navigation():
        page.get_by_role("link", name=translated("Ask the Vliegende Brigade to visit"), exact=True).click()

    form_url = f"{live_server.url}/brigade/requests/new/?signal={signal.pk}"
    expect(page).to_have_url(form_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("New visit request"))
    expect(page.get_by_role("main")).to_contain_text(signal.number)
    question = field(page, "question")
    expect(question).to_have_value(DESCRIPTION)
    expect(field(page, "Name")).to_have_count(0)  # the resident comes from the signal
    axe_check(page)

    expertise = group(page, "expertise wanted")
    option(expertise, "Psychose", "checkbox").check()
    option(expertise, "Eenzaamheid", "checkbox").check()
    field(page, "preferred language").fill("Arabisch")
    option(group(page, "urgency"), "high – within a week").check()

    # The question is emptied: the form comes back with a message and keeps every choice made.
    question.fill("")
    with page.expect_navigation():
        button(page, "Send request").click()

    expect(page).to_have_url(form_url)
    required = translated("This field is required.")
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link")).to_have_text([f"{capfirst(translated('question'))}: {required}"])
    expect(question).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_question").locator("xpath=..")).to_contain_text(required)
    expect(page.get_by_role("main")).to_contain_text(signal.number)
    expect(option(expertise, "Psychose", "checkbox")).to_be_checked()
    expect(option(expertise, "Eenzaamheid", "checkbox")).to_be_checked()
    expect(option(expertise, "Verslaving", "checkbox")).not_to_be_checked()
    expect(field(page, "preferred language")).to_have_value("Arabisch")
    expect(option(group(page, "urgency"), "high – within a week")).to_be_checked()
    assert not VisitRequest.objects.exists()
    axe_check(page)

    summary.get_by_role("link").click()
    expect(question).to_be_focused()
    question.fill("Contact maken; hij vertrouwt geen hulpverleners meer.")
    with page.expect_navigation():
        button(page, "Send request").click()

    visit_request = VisitRequest.objects.get()
    # The browser keeps the fragment of the error summary's link across the redirect.
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/brigade/requests/{visit_request.pk}/(#.*)?$"))
    expect(messages(page)).to_contain_text(
        translated("Visit request %(number)s is sent to the coordinators.", number=visit_request.number)
    )
    expect(page.locator("#request-status")).to_have_text(status_text("new"))
    expect(page.get_by_role("main")).to_contain_text("Contact maken; hij vertrouwt geen hulpverleners meer.")
    assert (visit_request.signal, visit_request.resident, visit_request.district) == (
        signal,
        signal.resident,
        signal.district,
    )
    assert sorted(visit_request.preferred_expertise.values_list("name", flat=True)) == ["Eenzaamheid", "Psychose"]
    assert (visit_request.preferred_language, visit_request.urgency) == ("Arabisch", VisitRequest.Urgency.HIGH)
    axe_check(page)

    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name=translated("signal"), exact=True).click()

    expect(page).to_have_url(signal_url)
    expect(timeline_entry(page, "Flying Brigade")).to_contain_text(
        translated("Visit by the Vliegende Brigade requested (%(number)s).", number=visit_request.number)
    )
    axe_check(page)


def test_coordinator_assigns_the_best_fit_from_the_ranking(page, live_server, axe_check, login, coordinator, signal):
    district = signal.district
    best = make_brigadier(
        districts=[district],
        expertise=["Psychose"],
        languages=["Arabisch", "Nederlands"],
        first_name="Samira",
        last_name="El Idrissi",
    )
    nearby = make_brigadier(
        districts=[district], expertise=["Verslaving"], languages=["Nederlands"], first_name="Ruud", last_name="Kok"
    )
    elsewhere = make_brigadier(languages=["Nederlands"], weekdays=(), first_name="Anja", last_name="Visser")
    refresher = timezone.localdate() + datetime.timedelta(days=10)
    TrainingRecord.objects.create(
        brigadier=nearby,
        module=TrainingModule.objects.create(name="Herstelgericht werken", refresher_months=24),
        completed_on=refresher - datetime.timedelta(days=730),
        certified=True,
        refresher_due=refresher,
    )
    visit_request = make_request(signal=signal, expertise=["Psychose"], preferred_language="Arabisch")
    login(page, live_server, coordinator.username, PASSWORD)

    open_from_navigation(page, "Brigade")
    expect(page).to_have_url(f"{live_server.url}/brigade/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("Vliegende Brigade"))
    queue = region(page, "Queue").locator("tbody").get_by_role("row")
    expect(queue).to_have_count(1)
    expect(queue).to_contain_text(visit_request.resident.pseudonym)
    expect(
        region(page, "Requests per status")
        .get_by_role("listitem")
        .filter(has_text=re.compile(rf"^\s*1\s+{re.escape(translated('new'))}\s*$"))
    ).to_have_count(1)
    load = region(page, "Load per brigadier").get_by_role("listitem")
    expect(load).to_have_count(3)
    expect(load.filter(has_text=str(best))).to_contain_text(translated("%(load)s of %(max)s", load=0, max=3))
    expect(region(page, "Training due")).to_contain_text(f"{nearby} – Herstelgericht werken")
    axe_check(page)

    with page.expect_navigation():
        queue.get_by_role("link", name=visit_request.number, exact=True).click()

    request_url = f"{live_server.url}/brigade/requests/{visit_request.pk}/"
    expect(page).to_have_url(request_url)
    ranking = region(page, "Brigadiers by fit").get_by_role("listitem")
    expect(ranking.locator("strong")).to_have_text([str(best), str(nearby), str(elsewhere)])
    top = ranking.first
    expect(top).to_contain_text(f"{translated('Fits')}: {translated('works in %(district)s', district=district.name)}")
    for reason in [
        translated("experience with %(topics)s", topics="Psychose"),
        translated("speaks %(language)s") % {"language": "Arabisch"},  # `language` is translated()'s own argument
        translated("%(free)d of %(max)d places free", free=3, max=3),
    ]:
        expect(top).to_contain_text(reason)
    expect(ranking.nth(1)).to_contain_text(
        f"{translated('Does not fit')}: {translated('none of the expertise asked for')}"
    )
    expect(ranking.nth(2)).to_contain_text(translated("does not work in this district"))
    expect(ranking.nth(2)).to_contain_text(translated("not available in the coming 7 days"))
    axe_check(page)

    with page.expect_navigation():
        top.get_by_role("button", name=f"{translated('Assign')} {best}", exact=True).click()

    expect(page).to_have_url(request_url)
    expect(messages(page)).to_contain_text(translated("%(name)s is asked to take on this visit.", name=str(best)))
    expect(region(page, "Brigadiers").get_by_role("listitem")).to_have_text(
        [f"{best} – {translated('waiting for an answer')}"]
    )
    expect(page.locator("#request-status")).to_have_text(status_text("assigned"))
    # Samira moves to the end of the ranking, without an "Assign" button: she is on this request already.
    expect(ranking.locator("strong")).to_have_text([str(nearby), str(elsewhere), str(best)])
    expect(ranking.last).to_contain_text(translated("already assigned to this request"))
    expect(ranking.last.get_by_role("button")).to_have_count(0)
    assert Assignment.objects.get().brigadier == best
    axe_check(page)

    # A second brigadier needs more thought: to the weekly assessment, and back with a decision.
    with page.expect_navigation():
        button(page, "Put on the assessment list").click()

    expect(messages(page)).to_contain_text(translated("The request is on the assessment list."))
    open_from_navigation(page, "Assessment")
    expect(page).to_have_url(f"{live_server.url}/brigade/assessment/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated("Weekly assessment"))
    listed = page.get_by_role("main").get_by_role("link", name=re.compile(re.escape(visit_request.number)))
    expect(listed).to_have_count(1)
    axe_check(page)

    with page.expect_navigation():
        listed.click()
    field(page, "Decision of the assessment meeting").fill("Ruud gaat mee zodra er plek is.")
    with page.expect_navigation():
        button(page, "Record decision").click()

    expect(messages(page)).to_contain_text(translated("The decision is recorded."))
    expect(page.get_by_role("main")).to_contain_text("Ruud gaat mee zodra er plek is.")
    open_from_navigation(page, "Assessment")
    expect(page.get_by_text(translated("Nothing on the assessment list."))).to_be_visible()

    open_from_navigation(page, "Brigadiers")
    expect(page).to_have_url(f"{live_server.url}/brigade/brigadiers/")
    expect(page.get_by_role("main").get_by_role("region")).to_have_count(3)
    expect(region(page, str(best))).to_contain_text(translated("%(load)s of %(max)s", load=1, max=3))
    expect(region(page, str(nearby))).to_contain_text("Herstelgericht werken")
    axe_check(page)


def test_brigadier_on_a_phone_logs_a_contact_and_closes_with_a_referral(
    phone, page, live_server, axe_check, login, professional, coordinator, signal
):
    brigadier = make_brigadier(districts=[signal.district], expertise=["Psychose"], first_name="Ruud", last_name="Kok")
    visit_request = make_request(signal=signal, expertise=["Psychose"], question="Kennismaken, rustig aan.")
    assignment = services.assignment_create(visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator)
    assignment_url = f"{live_server.url}/brigade/assignments/{assignment.pk}/"
    login(phone, live_server, brigadier.user.username, PASSWORD)

    panel = region(phone, "My assignments")
    expect(panel.get_by_role("link", name=re.compile(re.escape(visit_request.number)))).to_contain_text(
        translated("waiting for your answer")
    )
    axe_check(phone)

    # On a phone the main navigation is folded away behind the toggler.
    my_assignments = main_navigation(phone).get_by_role("link", name=translated("My assignments"), exact=True)
    expect(my_assignments).to_be_hidden()
    toggler = main_navigation(phone).get_by_role("button", name=translated("Show menu"), exact=True)
    expect(toggler).to_have_attribute("aria-expanded", "false")
    toggler.tap()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(my_assignments).to_be_visible()
    with phone.expect_navigation():
        my_assignments.tap()

    expect(phone).to_have_url(f"{live_server.url}/brigade/mine/")
    expect(phone.get_by_role("heading", level=1)).to_have_text(translated("My assignments"))
    mine = phone.get_by_role("main").get_by_role("listitem")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text(translated("waiting for an answer"))
    axe_check(phone)

    with phone.expect_navigation():
        mine.get_by_role("link", name=re.compile(re.escape(visit_request.number))).tap()

    expect(phone).to_have_url(assignment_url)
    expect(phone.get_by_role("main")).to_contain_text("Kennismaken, rustig aan.")
    expect(phone.get_by_role("main")).to_contain_text("Hooigracht 3")
    with phone.expect_navigation():
        button(phone, "Accept").tap()

    expect(messages(phone)).to_contain_text(translated("Thank you, your answer is saved."))
    expect(phone.locator("#assignment-status")).to_have_text(status_text("accepted"))
    axe_check(phone)

    # Logging a contact: the date is today already; the kind, the duration and a line of text, then save.
    log = region(phone, "Log a contact")
    expect(field(log, "date")).to_have_value(timezone.localdate().isoformat())
    option(group(log, "kind of contact"), "home visit").tap()
    field(log, "duration (minutes)").fill("45")
    field(log, "short note").fill("Koffie gedronken, wil volgende week wandelen.")
    with phone.expect_navigation():
        button(log, "Save contact").tap()

    expect(phone).to_have_url(assignment_url)
    expect(messages(phone)).to_contain_text(translated("The contact is logged."))
    contacts = region(phone, "Contacts so far").get_by_role("listitem")
    expect(contacts).to_have_count(1)
    expect(contacts).to_contain_text(translated("home visit"))
    expect(contacts).to_contain_text("45")
    expect(contacts).to_contain_text("Koffie gedronken, wil volgende week wandelen.")
    axe_check(phone)

    finish = region(phone, "Finish with an outcome")
    option(group(finish, "Outcome and referral"), "referred to the social district team").tap()
    field(finish, "Short outcome for the person who asked").fill("Samen naar het wijkteam geweest.")
    with phone.expect_navigation():
        button(finish, "Finish the visit").tap()

    expect(phone).to_have_url(f"{live_server.url}/brigade/mine/")
    expect(messages(phone)).to_contain_text(
        translated("The visit is finished. The person who asked is told the outcome.")
    )
    expect(phone.get_by_text(translated("You have no open assignments."))).to_be_visible()
    visit_request.refresh_from_db()
    assert (visit_request.status, visit_request.referral) == ("done", "social_team")
    axe_check(phone)

    # Back at the source: the professional who asked, in a browser of their own.
    login(page, live_server, professional.username, PASSWORD)
    page.goto(f"{live_server.url}/signals/{signal.pk}/")
    finished = translated(
        "Vliegende Brigade finished: %(outcome)s.", outcome=translated("referred to the social district team")
    )
    expect(timeline_entry(page, "Flying Brigade").filter(has_text=finished)).to_have_count(1)

    notifications = main_navigation(page).get_by_role(
        "link", name=re.compile(rf"^{re.escape(translated('Notifications'))}\b")
    )
    expect(notifications).to_contain_text(f"1 {translated('unread')}")
    with page.expect_navigation():
        notifications.click()
    subject = translated("Visit request %(number)s is finished", number=visit_request.number)
    notice = page.get_by_role("main").get_by_role("listitem").filter(has=page.get_by_role("link", name=subject))
    expect(notice).to_contain_text(
        translated(
            "The Vliegende Brigade finished the visit request: %(outcome)s.",
            outcome=translated("referred to the social district team"),
        )
    )
    axe_check(page)

    with page.expect_navigation():
        notice.get_by_role("link", name=subject).click()

    expect(page).to_have_url(f"{live_server.url}/brigade/requests/{visit_request.pk}/")
    expect(page.locator("#request-status")).to_have_text(status_text("finished"))
    expect(page.get_by_role("main")).to_contain_text("Samen naar het wijkteam geweest.")


def test_brigadier_sees_on_top_why_a_contact_is_not_saved(phone, live_server, axe_check, login, coordinator, signal):
    brigadier = make_brigadier(districts=[signal.district])
    assignment = services.assignment_create(
        visit_request=make_request(signal=signal), brigadier=brigadier, assigned_by=coordinator
    )
    login(phone, live_server, brigadier.user.username, PASSWORD)
    phone.goto(f"{live_server.url}/brigade/assignments/{assignment.pk}/")
    log = region(phone, "Log a contact")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    field(log, "date").fill(tomorrow.isoformat())
    field(log, "short note").fill("Niemand thuis, briefje achtergelaten.")

    # No kind chosen: the summary at the top of the page says so and leads to the choice.
    with phone.expect_navigation():
        button(log, "Save contact").tap()

    summary = phone.get_by_role("alert")
    expect(summary).to_be_in_viewport()
    kind = f"{capfirst(translated('kind of contact'))}: {translated('This field is required.')}"
    expect(summary.get_by_role("link")).to_have_text([kind])
    expect(field(log, "short note")).to_have_value("Niemand thuis, briefje achtergelaten.")
    axe_check(phone)
    summary.get_by_role("link").tap()
    expect(option(group(log, "kind of contact"), "home visit")).to_be_focused()

    # A contact in the future is refused by the service; the message points at the date.
    option(group(log, "kind of contact"), "no answer at the door").tap()
    with phone.expect_navigation():
        button(log, "Save contact").tap()

    future = f"{capfirst(translated('date'))}: {translated('A contact cannot be in the future.')}"
    expect(phone.get_by_role("alert").get_by_role("link")).to_have_text([future])
    expect(option(group(log, "kind of contact"), "no answer at the door")).to_be_checked()
    assert not assignment.request.contacts.exists()

    field(log, "date").fill(timezone.localdate().isoformat())
    with phone.expect_navigation():
        button(log, "Save contact").tap()

    expect(messages(phone)).to_contain_text(translated("The contact is logged."))
    expect(region(phone, "Contacts so far").get_by_role("listitem")).to_contain_text(
        translated("no answer at the door")
    )
