import datetime
import io
import re

import pypdf
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from meedoen.accounts.models import Role
from meedoen.privacy.models import AccessLog
from signalering import services
from signalering.models import ConcernCategory, Signal
from tests.factories.signalering import district_with_members, make_signal


def intake(district, **changes):
    data = {
        "district": district.pk,
        "neighbourhood": district.neighbourhoods.first().pk,
        "categories": [ConcernCategory.objects.first().pk],
        "urgency": 1,
        "description": "Post stapelt zich op, buren maken zich zorgen.",
        "legal_basis": "public_task",
        "resident_informed": "not_yet",
        "full_name": "Maria de Boer",
        "date_of_birth": "1958-04-03",
    }
    data.update(changes)
    return data


class TestIntake:
    def test_member_records_a_signal(self, client, professional, district):
        client.force_login(professional)
        response = client.post(reverse("signalering:create"), intake(district))
        signal = Signal.objects.get()
        assert response.url == reverse("signalering:signal", args=[signal.pk])
        assert signal.resident.full_name == "Maria de Boer"

    def test_invalid_input_gets_dutch_messages_and_keeps_everything_typed(self, client, professional, district):
        client.force_login(professional)
        response = client.post(reverse("signalering:create"), intake(district, description="", date_of_birth=""))
        content = response.content.decode()
        assert response.status_code == 200
        assert "Dit veld is v" in content
        assert 'value="Maria de Boer"' in content
        assert not Signal.objects.exists()

    def test_check_shows_how_often_the_person_is_known_without_recording(
        self, client, professional, colleague, district
    ):
        make_signal(
            reporter=colleague,
            district=district,
            new_resident={"full_name": "Maria de Boer", "date_of_birth": datetime.date(1958, 4, 3)},
        )
        client.force_login(professional)
        response = client.post(reverse("signalering:create"), intake(district, check="1"))
        assert response.context["known"] == {"count": 1}
        assert Signal.objects.count() == 1

    def test_check_without_javascript_keeps_the_input_and_judges_nothing_yet(self, client, professional, district):
        client.force_login(professional)
        response = client.post(reverse("signalering:create"), intake(district, description="", check="1"))
        content = response.content.decode()
        assert response.context["known"] == {"count": 0}
        assert 'value="Maria de Boer"' in content
        assert "Dit veld is v" not in content
        assert not Signal.objects.exists()

    def test_a_known_person_is_linked_not_duplicated(self, client, professional, colleague, district):
        first = make_signal(
            reporter=colleague,
            district=district,
            new_resident={"full_name": "Maria de Boer", "date_of_birth": datetime.date(1958, 4, 3)},
        )
        client.force_login(professional)
        client.post(reverse("signalering:create"), intake(district, full_name="maria DE boer"))
        assert Signal.objects.latest("pk").resident == first.resident

    def test_known_check_counts_across_districts_and_reveals_nothing_else(self, client, professional, outsider):
        make_signal(
            reporter=outsider,
            new_resident={"full_name": "Maria de Boer", "date_of_birth": datetime.date(1958, 4, 3)},
            description="Geheim detail uit een andere wijk",
        )
        client.force_login(professional)
        response = client.post(
            reverse("signalering:resident_check"),
            {"full_name": "Maria de Boer", "date_of_birth": "1958-04-03"},
            HTTP_HX_REQUEST="true",
        )
        content = response.content.decode()
        assert "1 signaal" in content or "1 signal" in content
        assert "Geheim" not in content and outsider.memberships.get().district.name not in content

    def test_only_own_districts_can_be_chosen(self, client, professional, district, outsider):
        client.force_login(professional)
        other = outsider.memberships.get().district
        response = client.post(reverse("signalering:create"), intake(other))
        assert response.status_code == 200 and "district" in response.context["form"].errors
        assert not Signal.objects.exists()


class TestAccess:
    def test_member_of_other_district_gets_404_and_it_is_logged(self, client, professional, district, outsider):
        signal = make_signal(reporter=professional, district=district)
        client.force_login(outsider)
        assert client.get(reverse("signalering:signal", args=[signal.pk])).status_code == 404
        entry = AccessLog.objects.filter(username="anna").get()
        assert (entry.result, entry.object_id, entry.resident_id) == ("denied", str(signal.pk), signal.resident_id)

    def test_other_districts_signals_are_not_listed_or_found(self, client, professional, district, outsider):
        make_signal(reporter=professional, district=district, description="Uniek woord olifant")
        client.force_login(outsider)
        response = client.get(reverse("signalering:list"), {"q": "olifant"})
        assert response.context["page"].paginator.count == 0

    def test_reading_a_signal_is_logged(self, client, professional, district):
        signal = make_signal(reporter=professional, district=district)
        client.force_login(professional)
        client.get(reverse("signalering:signal", args=[signal.pk]))
        assert AccessLog.objects.filter(object_type="signal", object_id=signal.pk, action="read").exists()

    def test_a_member_cannot_run_the_meeting(self, client, professional, district, meeting):
        signal = make_signal(reporter=professional, district=district)
        client.force_login(professional)
        url = reverse("signalering:meeting_item", args=[meeting.pk, signal.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
        assert "Discuss item" not in client.get(reverse("signalering:meeting", args=[meeting.pk])).content.decode()


class TestList:
    def test_filters_stay_in_the_url_and_filter(self, client, professional, district):
        for number in range(30):
            make_signal(reporter=professional, district=district, urgency=3 if number % 3 == 0 else 1)
        client.force_login(professional)
        response = client.get(reverse("signalering:list"), {"urgency": 3, "status": "new"})
        assert response.context["page"].paginator.count == 10
        assert "urgency=3" in response.context["query"]

    def test_overdue_filter(self, client, professional, district):
        late = make_signal(reporter=professional, district=district)
        Signal.objects.filter(pk=late.pk).update(first_discussion_due=datetime.date(2020, 1, 1))
        make_signal(reporter=professional, district=district)
        client.force_login(professional)
        response = client.get(reverse("signalering:list"), {"overdue": "on"})
        assert [s.pk for s in response.context["page"].object_list] == [late.pk]
        assert "overdue" in response.content.decode() or "te laat" in response.content.decode()

    def test_search_by_number(self, client, professional, district):
        signal = make_signal(reporter=professional, district=district)
        make_signal(reporter=professional, district=district, description=f"Hoort bij {signal.number}")
        client.force_login(professional)
        response = client.get(reverse("signalering:list"), {"q": signal.number})  # by its key, not every description
        assert [s.pk for s in response.context["page"].object_list] == [signal.pk]

    def test_a_search_counts_and_pages_its_matches_newest_first(self, client, professional, district):
        for number in range(30):
            make_signal(reporter=professional, district=district, description=f"Huurachterstand, brief {number}")
        make_signal(reporter=professional, district=district, description="Geen voedsel in huis")
        client.force_login(professional)
        pages = [client.get(reverse("signalering:list"), {"q": "huur", "page": page}) for page in (1, 2)]
        matches = Signal.objects.filter(description__startswith="Huur").order_by("-created_at", "-pk")
        assert [response.context["page"].paginator.count for response in pages] == [30, 30]
        shown = [signal.pk for response in pages for signal in response.context["page"].object_list]
        assert shown == list(matches.values_list("pk", flat=True))

    def test_rows_and_page_show_the_lead_by_name_else_username_and_no_missing_neighbourhood(
        self, client, professional, colleague, district
    ):
        professional.first_name, professional.last_name = "Fatima", "El Amrani"
        professional.save()
        colleague.first_name = colleague.last_name = ""
        colleague.save()
        named = make_signal(reporter=professional, district=district)
        services.signal_update(signal=named, user=professional, expected_version=None, lead=professional)
        unnamed = make_signal(reporter=colleague, district=district)
        services.signal_update(signal=unnamed, user=professional, expected_version=None, lead=colleague)
        Signal.objects.filter(pk=unnamed.pk).update(neighbourhood=None)  # as anonymising leaves it
        client.force_login(professional)
        rows = client.get(reverse("signalering:list")).content.decode()
        assert "Fatima El Amrani" in rows and f"<td>{colleague.username}</td>" in rows and "None" not in rows
        page = client.get(reverse("signalering:signal", args=[unnamed.pk])).content.decode()
        assert f"door {colleague.username} (" in page and "None" not in page

    def test_a_bad_filter_value_gets_a_message_not_an_error(self, client, professional, district):
        client.force_login(professional)
        response = client.get(reverse("signalering:list"), {"reported_from": "gisteren", "urgency": "99"})
        assert response.status_code == 200
        assert response.context["filter"].errors


@pytest.mark.parametrize(
    "url_name", ["signalering:list", "signalering:mine", "signalering:my_actions", "signalering:meetings", "home"]
)
def test_list_query_count_does_not_grow_with_rows(client, professional, district, meeting, url_name):
    client.force_login(professional)
    counts = []
    for rows in (5, 50):
        while Signal.objects.count() < rows:
            signal = make_signal(reporter=professional, district=district)
            services.action_create(
                signal=signal,
                user=professional,
                description="Bellen",
                owner=professional,
                due=datetime.date(2020, 1, 1),
            )
            services.signal_update(signal=signal, user=professional, expected_version=None, lead=professional)
        cache.clear()  # the filter form is kept in the cache: count its queries both times
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_page_number_alone_is_not_a_filter(client, professional, district):
    """Paging the unfiltered list builds no filter set: page 2 costs the queries of page 1."""
    for _ in range(30):
        make_signal(reporter=professional, district=district)
    client.force_login(professional)
    counts = []
    for params in ({}, {"page": 2}):
        client.get(reverse("signalering:list"), params)  # the filter form's drawing is kept from here on
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("signalering:list"), params)
        counts.append(len(queries))
    assert len(response.context["page"].object_list) == 5
    assert counts[0] == counts[1], counts


def test_meeting_page_query_count_does_not_grow_with_agenda_items(client, chair, professional, district, meeting):
    client.force_login(chair)
    counts = []
    for rows in (5, 50):
        while Signal.objects.count() < rows:
            make_signal(reporter=professional, district=district)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("signalering:meeting", args=[meeting.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


class TestSignalPage:
    def test_the_members_are_read_once_for_the_lead_and_the_action_owner(self, client, professional, district):
        signal = make_signal(reporter=professional, district=district)
        client.force_login(professional)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("signalering:signal", args=[signal.pk]))
        members = [q["sql"] for q in queries if '"accounts_districtmembership"."district_id" =' in q["sql"]]
        assert len(members) == 1, members
        leads = [str(value) for value, _ in response.context["update_form"].fields["lead"].choices if value]
        owners = [str(value) for value, _ in response.context["action_form"].fields["owner"].choices if value]
        assert str(professional.pk) in leads
        assert leads == owners

    def test_closing_without_outcome_is_refused_with_a_message(self, client, professional, district):
        signal = make_signal(reporter=professional, district=district)
        client.force_login(professional)
        url = reverse("signalering:transition", args=[signal.pk])
        response = client.post(url, {"status": "closed", "outcome": "", "expected_version": 1})
        assert response.status_code == 400
        assert "Kies een uitkomst" in response.content.decode() or "Choose an outcome" in response.content.decode()
        response = client.post(url, {"status": "closed", "outcome": "care", "expected_version": 1})
        assert response.status_code == 302
        signal.refresh_from_db()
        assert (signal.status, signal.outcome) == ("closed", "care")

    def test_second_save_of_a_stale_form_gets_a_conflict_and_keeps_the_input(
        self, client, professional, colleague, district
    ):
        signal = make_signal(reporter=professional, district=district)
        client.force_login(colleague)
        url = reverse("signalering:update", args=[signal.pk])
        client.post(url, {"expected_version": 1, "next_step": "Bellen", "next_step_due": "2027-01-04"})
        client.force_login(professional)
        response = client.post(url, {"expected_version": 1, "next_step": "Huisbezoek", "next_step_due": "2027-01-05"})
        assert response.status_code == 409
        assert 'value="Huisbezoek"' in response.content.decode()
        signal.refresh_from_db()
        assert signal.next_step == "Bellen"

    def test_timeline_shows_everything(self, client, professional, district):
        signal = make_signal(reporter=professional, district=district)
        services.signal_add_note(signal=signal, user=professional, text="Buurvrouw gesproken")
        client.force_login(professional)
        content = client.get(reverse("signalering:signal", args=[signal.pk])).content.decode()
        assert "Buurvrouw gesproken" in content


class TestMeetingPage:
    def test_the_agenda_shows_items_closed_and_the_chair_opens_one(
        self, client, chair, professional, district, meeting
    ):
        first = make_signal(reporter=professional, district=district)
        second = make_signal(reporter=professional, district=district)
        client.force_login(chair)
        page = client.get(reverse("signalering:meeting", args=[meeting.pk]))
        url = reverse("signalering:meeting_item", args=[meeting.pk, first.pk])
        assert page.content.decode().count("<textarea") == 1  # the general minutes only
        assert f'hx-get="{url}"' in page.content.decode()

        fragment = client.get(url, HTTP_HX_REQUEST="true")
        assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
        assert fragment.context["items"][0]["form"].prefix == f"item-{first.pk}"
        assert AccessLog.objects.filter(action="read", object_type="signal", object_id=first.pk).exists()

        # Without JavaScript the link shows the meeting page with that item open.
        whole = client.get(url)
        assert whole.status_code == 200
        assert [(item["signal"], "form" in item) for item in whole.context["items"]] == [(first, True), (second, False)]

    def test_closing_an_item_without_saving_gives_it_back_closed(self, client, chair, professional, district, meeting):
        signal = make_signal(reporter=professional, district=district)
        client.force_login(chair)
        url = reverse("signalering:meeting_item", args=[meeting.pk, signal.pk])
        closed = client.get(url + "?close", HTTP_HX_REQUEST="true")
        assert closed.status_code == 200 and closed.context["items"][0]["form"] is None
        assert "autofocus" in closed.content.decode() and "<textarea" not in closed.content.decode()

    def test_an_item_not_on_the_agenda_is_not_opened(self, client, chair, professional, district, meeting):
        signal = make_signal(reporter=professional, district=district)
        Signal.objects.filter(pk=signal.pk).update(status="in_progress", next_step_due=datetime.date(2099, 1, 1))
        client.force_login(chair)
        assert client.get(reverse("signalering:meeting_item", args=[meeting.pk, signal.pk])).status_code == 404

    def test_chair_saves_an_item_in_place_with_htmx(self, client, chair, professional, district, meeting):
        signal = make_signal(reporter=professional, district=district)
        client.force_login(chair)
        prefix = f"item-{signal.pk}-"
        data = {
            prefix + "expected_version": 1,
            prefix + "notes": "Besproken",
            prefix + "decision": "Afsluiten",
            prefix + "status": "closed",
            prefix + "outcome": "elsewhere",
        }
        url = reverse("signalering:meeting_item", args=[meeting.pk, signal.pk])
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "<html" not in response.content.decode()  # a fragment
        assert response.context["items"][0]["form"] is None  # saved: the item closes, showing what was recorded
        assert "Afsluiten" in response.content.decode()
        signal.refresh_from_db()
        assert (signal.status, signal.outcome) == ("closed", "elsewhere")

    def test_without_javascript_the_item_form_posts_and_returns_to_the_meeting(
        self, client, chair, professional, district, meeting
    ):
        signal = make_signal(reporter=professional, district=district)
        client.force_login(chair)
        prefix = f"item-{signal.pk}-"
        data = {prefix + "expected_version": 1, prefix + "notes": "Zorgen besproken", prefix + "status": "in_progress"}
        response = client.post(reverse("signalering:meeting_item", args=[meeting.pk, signal.pk]), data)
        assert response.url == reverse("signalering:meeting", args=[meeting.pk]) + f"#item-{signal.pk}"

    def test_invalid_item_keeps_the_input(self, client, chair, professional, district, meeting):
        signal = make_signal(reporter=professional, district=district)
        client.force_login(chair)
        prefix = f"item-{signal.pk}-"
        data = {prefix + "expected_version": 1, prefix + "notes": "Mijn aantekening", prefix + "status": "closed"}
        response = client.post(
            reverse("signalering:meeting_item", args=[meeting.pk, signal.pk]), data, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 400
        assert "Mijn aantekening" in response.content.decode()

    def test_agenda_pdf_has_pseudonyms_only_and_is_logged(self, client, chair, professional, district, meeting):
        signal = make_signal(
            reporter=professional,
            district=district,
            new_resident={"full_name": "Maria de Boer", "date_of_birth": datetime.date(1958, 4, 3)},
        )
        client.force_login(chair)
        response = client.get(reverse("signalering:meeting_print", args=[meeting.pk, "agenda"]))
        assert response["Content-Type"] == "application/pdf"
        text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
        assert signal.resident.pseudonym in text and signal.number in text
        assert "Maria" not in text and "1958" not in text
        assert AccessLog.objects.filter(action="print", object_type="signal", object_id=signal.pk).exists()

    def test_unknown_document_is_404(self, client, chair, meeting):
        client.force_login(chair)
        assert client.get(reverse("signalering:meeting_print", args=[meeting.pk, "other"])).status_code == 404

    def test_closing_the_meeting_keeps_the_minutes(self, client, chair, meeting):
        client.force_login(chair)
        client.post(reverse("signalering:meeting_finish", args=[meeting.pk]), {"minutes": "Goed overleg"})
        meeting.refresh_from_db()
        assert (meeting.state, meeting.minutes) == ("held", "Goed overleg")


def test_without_javascript_an_invalid_item_shows_the_whole_meeting_with_the_errors(
    client, chair, professional, district, meeting
):
    first = make_signal(reporter=professional, district=district)
    second = make_signal(reporter=professional, district=district)
    client.force_login(chair)
    prefix = f"item-{first.pk}-"
    data = {prefix + "expected_version": 1, prefix + "notes": "Mijn aantekening", prefix + "status": "closed"}
    response = client.post(reverse("signalering:meeting_item", args=[meeting.pk, first.pk]), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Mijn aantekening" in content and second.number in content
    assert response.context["minutes_form"] is not None


def test_marking_an_action_done_never_redirects_off_site(client, professional, district):
    signal = make_signal(reporter=professional, district=district)
    action = services.action_create(
        signal=signal, user=professional, description="Bellen", owner=professional, due=datetime.date(2027, 1, 1)
    )
    client.force_login(professional)
    response = client.post(reverse("signalering:action_done", args=[action.pk]), {"next": "/\\evil.example/"})
    assert response.url == reverse("signalering:my_actions")
    for word in ["0", "home", "javascript:alert(1)"]:  # a bare word would be taken for the name of a view
        action = services.action_create(
            signal=signal, user=professional, description="Appen", owner=professional, due=datetime.date(2027, 1, 1)
        )
        response = client.post(reverse("signalering:action_done", args=[action.pk]), {"next": word})
        assert response.url == reverse("signalering:my_actions")
    action = services.action_create(
        signal=signal, user=professional, description="Mailen", owner=professional, due=datetime.date(2027, 1, 1)
    )
    response = client.post(reverse("signalering:action_done", args=[action.pk]), {"next": f"/signals/{signal.pk}/"})
    assert response.url == f"/signals/{signal.pk}/"


def test_an_address_match_alone_does_not_link_a_new_person(client, professional, colleague, district):
    earlier = make_signal(
        reporter=colleague,
        district=district,
        new_resident={
            "full_name": "Piet Bakker",
            "date_of_birth": datetime.date(1950, 2, 2),
            "postcode": "2311 AA",
            "house_number": "5",
        },
    )
    client.force_login(professional)
    client.post(
        reverse("signalering:create"),
        intake(district, full_name="Marie Bakker", date_of_birth="1952-03-03", postcode="2311 AA", house_number="5"),
    )
    newest = Signal.objects.latest("pk")
    assert newest.resident != earlier.resident
    assert newest.resident.full_name == "Marie Bakker"


def test_a_stale_status_form_can_be_resubmitted_after_the_conflict(client, professional, colleague, district):
    signal = make_signal(reporter=professional, district=district)
    services.signal_update(signal=signal, user=colleague, expected_version=1, lead=colleague)
    client.force_login(professional)
    url = reverse("signalering:transition", args=[signal.pk])
    response = client.post(url, {"status": "closed", "outcome": "care", "expected_version": 1})
    assert response.status_code == 409
    version = response.context["transition_form"].data["expected_version"]
    assert client.post(url, {"status": "closed", "outcome": "care", "expected_version": version}).status_code == 302


def test_a_held_meetings_minutes_are_kept(client, chair, meeting):
    client.force_login(chair)
    url = reverse("signalering:meeting_finish", args=[meeting.pk])
    client.post(url, {"minutes": "Eerste verslag"})
    client.post(url, {"minutes": "Overschreven"})
    meeting.refresh_from_db()
    assert meeting.minutes == "Eerste verslag"


def test_a_list_of_more_than_ten_thousand_signals_is_not_counted_to_the_end(
    client, professional, district, monkeypatch
):
    from meedoen.core import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    for _ in range(5):
        make_signal(reporter=professional, district=district)
    client.force_login(professional)
    content = client.get(reverse("signalering:list")).content.decode()
    assert "Meer dan 10.000 signalen" in content
    with translation.override("nl"):
        assert "5 signalen" not in content


def test_an_administrator_chooses_a_district_before_its_neighbourhoods_and_leads(client, make_user):
    from signalering.filters import MANY_DISTRICTS

    admin = make_user(role=Role.ADMIN)
    districts = [district_with_members(make_user(role=Role.PROFESSIONAL)) for _ in range(MANY_DISTRICTS + 1)]
    client.force_login(admin)
    every = client.get(reverse("signalering:list")).content.decode()
    neighbourhoods = re.search(r'<select name="neighbourhood".*?</select>', every, re.S).group(0)
    assert neighbourhoods.count("<option") == 1  # only the empty choice
    assert "Kies eerst een wijk." in every
    chosen = client.get(reverse("signalering:list"), {"district": districts[0].pk}).content.decode()
    neighbourhoods = re.search(r'<select name="neighbourhood".*?</select>', chosen, re.S).group(0)
    assert districts[0].neighbourhoods.get().name in neighbourhoods
    assert districts[1].neighbourhoods.get().name not in neighbourhoods


@pytest.mark.parametrize("order", ["", "-urgency"])
def test_pages_of_equal_signals_neither_repeat_nor_skip_one(client, professional, district, order):
    for _ in range(30):
        make_signal(reporter=professional, district=district)
    Signal.objects.update(created_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))  # all equal
    client.force_login(professional)
    shown = []
    for number in (1, 2):
        response = client.get(
            reverse("signalering:list"), {"order": order, "page": number} if order else {"page": number}
        )
        shown += [signal.pk for signal in response.context["page"].object_list]
    assert sorted(shown) == sorted(Signal.objects.values_list("pk", flat=True))
    assert shown == sorted(shown, reverse=True), "equal rows newest id first"


def test_the_list_shows_each_signals_concerns_and_pseudonym_without_decrypting_the_resident(
    client, professional, district
):
    signal = make_signal(
        reporter=professional,
        district=district,
        new_resident={"full_name": "Maria de Boer", "date_of_birth": datetime.date(1958, 4, 3)},
    )
    signal.categories.add(ConcernCategory.objects.get_or_create(name="Schulden")[0])
    client.force_login(professional)
    for url in (reverse("signalering:list"), reverse("signalering:signal", args=[signal.pk])):
        with CaptureQueriesContext(connection) as queries:
            content = client.get(url).content.decode()
        assert signal.resident.pseudonym in content
        assert "Sociaal isolement" in content and "Schulden" in content
        assert not any("full_name" in query["sql"] for query in queries), f"{url} read an identifying field"


def test_the_agenda_shows_pseudonyms_without_decrypting_the_residents(client, chair, professional, district, meeting):
    signal = make_signal(
        reporter=professional,
        district=district,
        new_resident={"full_name": "Maria de Boer", "date_of_birth": datetime.date(1958, 4, 3)},
    )
    client.force_login(chair)
    for url in (
        reverse("signalering:meeting", args=[meeting.pk]),
        reverse("signalering:meeting_item", args=[meeting.pk, signal.pk]),
    ):
        with CaptureQueriesContext(connection) as queries:
            content = client.get(url).content.decode()
        assert signal.resident.pseudonym in content
        assert not any("full_name" in query["sql"] for query in queries), f"{url} read an identifying field"


def test_an_agenda_item_names_its_neighbourhood_and_lead(client, chair, professional, district, meeting):
    """On the page, in the opened and the closed item, and in the PDF (the names are read as subqueries)."""
    signal = make_signal(reporter=professional, district=district)
    services.signal_update(
        signal=signal,
        user=professional,
        expected_version=None,
        lead=professional,
        next_step="Huisbezoek",
        next_step_due=meeting.starts_at.date(),
    )
    client.force_login(chair)
    item = reverse("signalering:meeting_item", args=[meeting.pk, signal.pk])
    for url in (reverse("signalering:meeting", args=[meeting.pk]), item, f"{item}?close"):
        content = client.get(url, HTTP_HX_REQUEST="true" if url != item else "").content.decode()
        assert signal.neighbourhood.name in content, url
        assert "Huisbezoek (" in content and f"· {professional}" in content, url
    pdf = client.get(reverse("signalering:meeting_print", args=[meeting.pk, "agenda"])).content
    text = "".join("".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "".join(signal.neighbourhood.name.split()) in text and "".join(str(professional).split()) in text


def test_an_item_closed_by_someone_else_meanwhile_comes_back_with_its_pseudonym(
    client, chair, professional, district, meeting
):
    from signalering.workflow import Outcome

    signal = make_signal(
        reporter=professional,
        district=district,
        new_resident={"full_name": "Maria de Boer", "date_of_birth": datetime.date(1958, 4, 3)},
    )
    services.signal_transition(
        signal=signal, user=professional, target="closed", expected_version=1, outcome=Outcome.values[0]
    )
    client.force_login(chair)
    prefix = f"item-{signal.pk}-"
    data = {prefix + "expected_version": 1, prefix + "notes": "Mijn aantekening", prefix + "status": "in_progress"}
    response = client.post(
        reverse("signalering:meeting_item", args=[meeting.pk, signal.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code in (400, 409)
    content = response.content.decode()
    assert "Mijn aantekening" in content and signal.resident.pseudonym in content
