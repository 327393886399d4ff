import datetime
import pathlib
import zoneinfo

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import zelfregie.views
from meedoen.accounts.models import Role
from meedoen.privacy.models import AccessLog
from tests.e2e.helpers import translated
from tests.factories.zelfregie import make_activity, make_location, make_participant, make_session
from zelfregie import services
from zelfregie.models import Activity, Closure, CountCorrection, Participant, Session, SignUp, WalkInHours


def _count_url(session):
    return reverse("zelfregie:count", args=[session.pk])


class TestTapCounter:
    def test_htmx_tap_answers_the_new_total_in_place(self, client, host, session):
        client.force_login(host)
        response = client.post(_count_url(session), {"change": "plus"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert response.templates[0].name == "zelfregie/partials/count.html"
        assert '<p class="display-1 fw-bold mb-0" id="count-total">1</p>' in response.content.decode()
        response = client.post(_count_url(session), {"change": "new"}, HTTP_HX_REQUEST="true")
        session.refresh_from_db()
        assert (session.visitors, session.new_visitors) == (2, 1)

    def test_without_javascript_the_form_posts_and_the_page_reloads(self, client, host, session):
        client.force_login(host)
        response = client.post(_count_url(session), {"change": "plus"})
        assert response.status_code == 302
        assert response.url == reverse("zelfregie:session", args=[session.pk]) + "#counter"
        page = client.get(response.url)
        assert page.context["session"].visitors == 1

    def test_minus_at_zero_gets_a_message_and_a_409(self, client, host, session):
        client.force_login(host)
        response = client.post(_count_url(session), {"change": "minus"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 409
        message = translated("The count is already 0.")
        assert message in response.content.decode()
        response = client.post(_count_url(session), {"change": "minus"}, follow=True)
        assert message in response.content.decode()

    def test_an_unknown_button_gets_a_400_and_counts_nothing(self, client, host, session):
        client.force_login(host)
        response = client.post(_count_url(session), {"change": "plenty"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 400
        session.refresh_from_db()
        assert session.visitors == 0

    def test_polling_answers_204_until_another_host_counts(self, client, host, colleague, session):
        client.force_login(host)
        assert client.get(_count_url(session), {"seen": "0-0"}).status_code == 204
        services.count_tap(session=session, user=colleague, change="plus")
        response = client.get(_count_url(session), {"seen": "0-0"})
        assert response.status_code == 200 and 'id="count-total">1<' in response.content.decode()

    def test_the_counter_page_shows_big_buttons_today_and_no_buttons_on_other_days(self, client, host, location):
        client.force_login(host)
        today = make_session(location)
        content = client.get(reverse("zelfregie:session", args=[today.pk])).content.decode()
        assert 'value="plus"' in content and 'hx-post="' in content and 'hx-trigger="every 5s"' in content
        past = make_session(location, day=timezone.localdate() - datetime.timedelta(days=3), visitors=9)
        content = client.get(reverse("zelfregie:session", args=[past.pk])).content.decode()
        assert 'value="plus"' not in content and "every 5s" not in content

    def test_a_host_of_another_place_gets_404_and_counts_nothing(self, client, other_host, session):
        client.force_login(other_host)
        assert client.get(reverse("zelfregie:session", args=[session.pk])).status_code == 404
        assert client.post(_count_url(session), {"change": "plus"}).status_code == 404
        session.refresh_from_db()
        assert session.visitors == 0
        assert AccessLog.objects.filter(username="els", object_type="session", result="denied").count() == 2


class TestCorrection:
    def test_a_correction_is_saved_with_its_reason(self, client, host, location):
        session = make_session(location, day=timezone.localdate() - datetime.timedelta(days=1), visitors=3)
        client.force_login(host)
        url = reverse("zelfregie:correct", args=[session.pk])
        data = {"expected_visitors": 3, "visitors": 8, "new_visitors": 2, "reason": "Turflijst"}
        response = client.post(url, data)
        assert response.status_code == 302
        correction = CountCorrection.objects.get()
        assert (correction.visitors_before, correction.visitors, correction.by) == (3, 8, host)
        content = client.get(response.url).content.decode()
        assert "Turflijst" in content

    def test_a_bad_correction_keeps_the_input_and_says_why(self, client, host, session):
        client.force_login(host)
        url = reverse("zelfregie:correct", args=[session.pk])
        response = client.post(url, {"expected_visitors": 0, "visitors": 3, "new_visitors": 5, "reason": ""})
        assert response.status_code == 400
        content = response.content.decode()
        assert translated("This field is required.") in content and 'value="5"' in content
        assert not CountCorrection.objects.exists()

    def test_a_correction_after_someone_counted_is_a_409_that_keeps_the_input(self, client, host, colleague, session):
        client.force_login(host)
        services.count_tap(session=session, user=colleague, change="plus")
        url = reverse("zelfregie:correct", args=[session.pk])
        response = client.post(url, {"expected_visitors": 0, "visitors": 20, "new_visitors": 0, "reason": "Turflijst"})
        assert response.status_code == 409
        content = response.content.decode()
        assert 'value="20"' in content and 'name="expected_visitors" value="1"' in content
        assert not CountCorrection.objects.exists()


class TestParticipants:
    def test_registration_shows_what_is_kept_and_for_how_long(self, client, host, location):
        client.force_login(host)
        response = client.get(reverse("zelfregie:participant_create", args=[location.pk]))
        until = services.participant_retain_until(location)
        assert until.strftime("%d-%m-%Y") in response.context["statement"]
        assert response.context["statement"] in response.content.decode()

    def test_registration_without_consent_is_refused_and_keeps_the_name(self, client, host, location):
        client.force_login(host)
        url = reverse("zelfregie:participant_create", args=[location.pk])
        response = client.post(url, {"first_name": "Kees"})
        assert response.status_code == 400
        assert 'value="Kees"' in response.content.decode()
        assert not Participant.objects.exists()
        response = client.post(url, {"first_name": "Kees", "consent": "on"})
        participant = Participant.objects.get()
        assert response.url == reverse("zelfregie:participant", args=[participant.pk])

    def test_hosts_see_only_their_own_places_participants_and_every_view_is_logged(
        self, client, host, location, other_host
    ):
        mine = make_participant(location=location, host=host, first_name="Kees")
        theirs = make_participant(location=other_host.hosted_places.get().location, host=other_host, first_name="Anna")
        client.force_login(host)
        response = client.get(reverse("zelfregie:participant_list"))
        assert list(response.context["page"].object_list) == [mine]
        assert "Anna" not in response.content.decode()
        assert list(
            AccessLog.objects.filter(action="read", object_type="participant").values_list("object_id", flat=True)
        ) == [str(mine.pk)]
        assert client.get(reverse("zelfregie:participant", args=[theirs.pk])).status_code == 404
        denied = AccessLog.objects.get(result="denied")
        assert (denied.object_type, denied.object_id, denied.username) == ("participant", str(theirs.pk), "sanne")

    def test_search_by_first_name_is_logged_as_a_search(self, client, host, location):
        make_participant(location=location, host=host, first_name="Kees")
        make_participant(location=location, host=host, first_name="Anna")
        client.force_login(host)
        response = client.post(reverse("zelfregie:participant_list"), {"q": "ke"})
        assert [p.first_name for p in response.context["participants"]] == ["Kees"]
        assert AccessLog.objects.filter(action="search", object_type="participant").count() == 1

    def test_the_searched_name_stays_out_of_urls(self, client, host, location):
        kees = make_participant(location=location, host=host, first_name="Kees")
        for n in range(30):  # more than a page
            make_participant(location=location, host=host, first_name=f"Keesje{n}")
        client.force_login(host)
        url = reverse("zelfregie:participant_list")
        content = client.get(url).content.decode()
        assert f'<form method="post" action="{url}"' in content and "csrfmiddlewaretoken" in content
        response = client.post(url, {"q": "Kees"})
        content = response.content.decode()
        assert len(response.context["participants"]) == 31 and "page=" not in content and "?q=" not in content
        assert f'href="{reverse("zelfregie:participant", args=[kees.pk])}"' in content
        assert AccessLog.objects.filter(action="search").count() == 31
        # A name in the address is ignored: the list is not searched, and nothing is logged as a search.
        response = client.get(url, {"q": "Keesje1"})
        assert response.context["total"] == 31 and "Keesje1" not in response.content.decode().split("</h1>")[0]
        assert AccessLog.objects.filter(action="search").count() == 31

    def test_a_search_shows_at_most_50_without_more_pages(self, client, host, location):
        for n in range(51):
            make_participant(location=location, host=host, first_name=f"Anna{n}")
        client.force_login(host)
        response = client.post(reverse("zelfregie:participant_list"), {"q": "anna"})
        assert len(response.context["participants"]) == 50 and response.context["more"]
        assert AccessLog.objects.filter(action="search").count() == 50
        assert translated("Only the first %(limit)s are shown: type more of the name, or the pseudonym.", limit=50) in (
            response.content.decode()
        )

    @pytest.mark.parametrize("q", ["\x00", "Ke\x00es", "", "x" * 51])
    def test_a_bad_search_is_a_400_that_says_why(self, client, host, location, q):
        make_participant(location=location, host=host, first_name="Kees")
        client.force_login(host)
        response = client.post(reverse("zelfregie:participant_list"), {"q": q})
        assert response.status_code == 400 and response.context["search_form"].errors["q"]
        assert "Kees" not in response.content.decode()
        assert not AccessLog.objects.filter(action="search").exists()

    def test_a_nul_in_the_address_is_no_server_error(self, client, host, location):
        client.force_login(host)
        assert client.get(reverse("zelfregie:participant_list") + "?q=%00").status_code == 200

    def test_the_search_needs_the_csrf_token(self, host, location):
        client = Client(enforce_csrf_checks=True)
        client.force_login(host)
        assert client.post(reverse("zelfregie:participant_list"), {"q": "Kees"}).status_code == 403

    def test_deleting_needs_confirmation_and_is_logged_once(self, client, host, location):
        participant = make_participant(location=location, host=host)
        client.force_login(host)
        url = reverse("zelfregie:participant_delete", args=[participant.pk])
        client.post(url, {})
        assert Participant.objects.exists()
        assert not AccessLog.objects.filter(action="delete").exists()  # nothing was deleted
        response = client.post(url, {"confirm": "yes"})
        assert response.url == reverse("zelfregie:participant_list")
        assert not Participant.objects.exists()
        assert AccessLog.objects.filter(action="delete", object_type="participant").count() == 1

    def test_who_moves_up_after_a_deletion_is_logged_as_read(self, client, host, location):
        activity = make_activity(location=location, host=host, capacity=1, signup_required=True)
        leaving, waiting = (make_participant(location=location, host=host, first_name=n) for n in ("Kees", "Anna"))
        for participant in (leaving, waiting):
            services.signup_create(activity=activity, participant=participant, user=host)
        client.force_login(host)
        client.post(reverse("zelfregie:participant_delete", args=[leaving.pk]), {"confirm": "yes"})
        read = AccessLog.objects.filter(action="read", object_type="participant", object_id=str(waiting.pk))
        assert list(read.values_list("username", flat=True)) == [host.username]


class TestExpected:
    def test_hosts_see_who_is_expected_at_their_place_and_note_the_arrival(
        self, client, host, location, other_host, users
    ):
        brigadier = users[Role.BRIGADIER]
        services.expected_visitor_announce(location=location, first_name="Kees", consent=True, announced_by=brigadier)
        elsewhere = other_host.hosted_places.get().location
        services.expected_visitor_announce(location=elsewhere, first_name="Anna", consent=True, announced_by=brigadier)
        client.force_login(host)
        content = client.get(reverse("zelfregie:expected_list")).content.decode()
        assert "Kees" in content and "Anna" not in content
        expected = location.expected_visitors.get()
        session_page = client.get(reverse("zelfregie:session", args=[make_session(location).pk])).content.decode()
        assert "Kees" in session_page
        response = client.post(reverse("zelfregie:expected_arrived", args=[expected.pk]), {"next": "//evil.example/"})
        assert response.url == reverse("zelfregie:expected_list")
        assert client.get(reverse("zelfregie:expected_list")).context["expected"] == []
        # Read on the list, on the session page and on noting the arrival; the arrival itself is one change.
        assert AccessLog.objects.filter(object_type="expected_visitor", action="read", username="sanne").count() == 3
        assert AccessLog.objects.filter(object_type="expected_visitor", action="update").count() == 1
        other = elsewhere.expected_visitors.get()
        assert client.post(reverse("zelfregie:expected_arrived", args=[other.pk])).status_code == 404

    @pytest.mark.parametrize(
        ("target", "allowed"),
        [
            ("/zelfregie/sessions/1/", True),
            ("http://testserver/zelfregie/sessions/1/", True),
            ("//evil.example/", False),
            ("/\\evil.example/", False),
            ("https://evil.example/", False),
            ("javascript:alert(1)", False),
            ("0", False),  # a bare word would be taken for the name of a view
        ],
    )
    def test_after_noting_an_arrival_the_host_goes_back_only_within_the_site(
        self, client, host, location, users, target, allowed
    ):
        expected = services.expected_visitor_announce(
            location=location, first_name="Kees", consent=True, announced_by=users[Role.BRIGADIER]
        )
        client.force_login(host)
        response = client.post(reverse("zelfregie:expected_arrived", args=[expected.pk]), {"next": target})
        assert response.url == (target if allowed else reverse("zelfregie:expected_list"))

    def test_an_https_page_is_not_sent_back_over_http(self, client, host, location, users):
        expected = services.expected_visitor_announce(
            location=location, first_name="Kees", consent=True, announced_by=users[Role.BRIGADIER]
        )
        client.force_login(host)
        url = reverse("zelfregie:expected_arrived", args=[expected.pk])
        response = client.post(url, {"next": "http://testserver/zelfregie/"}, secure=True)
        assert response.url == reverse("zelfregie:expected_list")


class TestActivities:
    def _form(self, **changes):
        data = {
            "title": "Samen koken",
            "description": "Koken en eten",
            "organiser": "",
            "recurrence": "weekly",
            "first_date": timezone.localdate().isoformat(),
            "last_date": "",
            "start_time": "17:00",
            "end_time": "19:00",
            "capacity": "2",
            "signup_required": "on",
            "public": "on",
        }
        data.update(changes)
        return data

    def test_a_host_adds_an_activity_with_a_participant_as_organiser(self, client, host, location):
        kees = make_participant(location=location, host=host)
        client.force_login(host)
        url = reverse("zelfregie:activity_create", args=[location.pk])
        response = client.post(url, self._form(organiser=f"participant-{kees.pk}"))
        activity = Activity.objects.get()
        assert response.url == reverse("zelfregie:activity", args=[activity.pk])
        assert activity.organiser == kees and activity.occurrences.exists()

    def test_bad_input_gets_messages_and_saves_nothing(self, client, host, location):
        client.force_login(host)
        url = reverse("zelfregie:activity_create", args=[location.pk])
        response = client.post(url, self._form(end_time="16:00", first_date="morgen", organiser="host-999"))
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert {"end_time", "first_date", "organiser"} <= set(errors)
        assert 'value="Samen koken"' in response.content.decode()
        assert not Activity.objects.exists()

    def test_sign_up_until_full_then_the_waiting_list(self, client, host, location):
        activity = make_activity(location=location, host=host, capacity=1, signup_required=True)
        kees, anna = (
            make_participant(location=location, host=host),
            make_participant(location=location, host=host, first_name="Anna"),
        )
        client.force_login(host)
        url = reverse("zelfregie:signup_create", args=[activity.pk])
        client.post(url, {"participant": kees.pk})
        response = client.post(url, {"participant": anna.pk}, follow=True)
        full = translated("The activity is full: %(participant)s is on the waiting list.", participant=anna)
        assert full in response.content.decode()
        assert [s.participant for s in response.context["waiting"]] == [anna]
        signup = SignUp.objects.get(participant=kees)
        response = client.post(reverse("zelfregie:signup_cancel", args=[signup.pk]), follow=True)
        assert [s.participant for s in response.context["confirmed"]] == [anna]
        assert "Anna" in response.content.decode()

    def test_a_cancellation_is_one_change_and_who_moves_up_is_logged_as_read(self, client, host, location):
        activity = make_activity(location=location, host=host, capacity=1, signup_required=True)
        kees, anna = (make_participant(location=location, host=host, first_name=n) for n in ("Kees", "Anna"))
        signup = services.signup_create(activity=activity, participant=kees, user=host)
        services.signup_create(activity=activity, participant=anna, user=host)
        before = set(AccessLog.objects.values_list("pk", flat=True))
        client.force_login(host)
        client.post(reverse("zelfregie:signup_cancel", args=[signup.pk]))
        logged = AccessLog.objects.exclude(pk__in=before).order_by("pk")
        assert list(logged.values_list("action", "object_type", "object_id")) == [
            ("read", "signup", str(signup.pk)),
            ("update", "participant", str(kees.pk)),
            ("read", "participant", str(anna.pk)),
        ]

    def test_a_bad_sign_up_gets_a_400(self, client, host, location):
        activity = make_activity(location=location, host=host, capacity=1, signup_required=True)
        client.force_login(host)
        response = client.post(reverse("zelfregie:signup_create", args=[activity.pk]), {"participant": "abc"})
        assert response.status_code == 400 and not SignUp.objects.exists()

    def test_attendance_is_saved_and_bad_numbers_are_refused(self, workday, client, host, location):
        activity = make_activity(location=location, host=host)
        occurrence = activity.occurrences.filter(date__lte=timezone.localdate()).first()
        client.force_login(host)
        url = reverse("zelfregie:attendance", args=[occurrence.pk])
        assert client.post(url, {"attendance": "-3"}).status_code == 400
        assert client.post(url, {"attendance": "7"}).status_code == 302
        occurrence.refresh_from_db()
        assert occurrence.attendance == 7

    def test_a_host_of_another_place_gets_404(self, client, host, location, other_host):
        activity = make_activity(location=location, host=host)
        client.force_login(other_host)
        assert client.get(reverse("zelfregie:activity", args=[activity.pk])).status_code == 404
        assert client.get(reverse("zelfregie:activity_create", args=[location.pk])).status_code == 404


class TestPublicAgenda:
    def test_anyone_reads_hours_and_public_activities_without_logging_in(self, client, host, location):
        make_activity(location=location, host=host, title="Wandelgroep")
        make_activity(location=location, host=host, title="Lotgenotengroep", public=False)
        logged = AccessLog.objects.count()
        response = client.get(reverse("zelfregie:agenda"))
        content = response.content.decode()
        assert response.status_code == 200
        assert location.name in content and "maandag" in content and "13:00–17:00" in content
        assert "Wandelgroep" in content and "Lotgenotengroep" not in content
        assert AccessLog.objects.count() == logged  # nothing personal, nothing logged

    def test_closures_show_on_the_place_page(self, workday, client, location):
        services.sessions_plan(until=workday + datetime.timedelta(weeks=4))
        day = workday + datetime.timedelta(days=7)  # a Wednesday, when the place is open
        Closure.objects.create(location=location, start_date=day, end_date=day, reason="Schilderwerk")
        response = client.get(reverse("zelfregie:agenda_location", args=[location.slug]))
        content = response.content.decode()
        assert "Schilderwerk" in content
        assert translated("walk-in") in content

    def test_an_unknown_or_closed_place_is_404(self, client, location):
        assert client.get(reverse("zelfregie:agenda_location", args=["nergens"])).status_code == 404
        location.active = False
        location.save()
        assert client.get(reverse("zelfregie:agenda_ics", args=[location.slug])).status_code == 404

    def test_the_ical_feed_parses_and_holds_the_sessions_and_public_activities(self, workday, client, host, location):
        services.sessions_plan(until=timezone.localdate() + datetime.timedelta(weeks=2))
        make_activity(location=location, host=host, title="Wandelgroep")
        make_activity(location=location, host=host, title="Lotgenotengroep", public=False)
        response = client.get(reverse("zelfregie:agenda_ics", args=[location.slug]))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = icalendar.Calendar.from_ical(response.content)
        events = list(calendar.walk("VEVENT"))
        sessions = Session.objects.filter(
            location=location, date__gte=timezone.localdate() - datetime.timedelta(weeks=1)
        )
        walk_ins = [event for event in events if str(event["uid"]).startswith("session-")]
        assert {str(event["uid"]).split("@")[0] for event in walk_ins} == {f"session-{s.pk}" for s in sessions}
        first = sessions.order_by("date", "start_time").first()
        event = next(e for e in walk_ins if str(e["uid"]).startswith(f"session-{first.pk}@"))
        assert event.decoded("dtstart") == first.starts_at and event.decoded("dtend") == first.ends_at
        assert str(event["dtstart"].params["TZID"]) == "Europe/Amsterdam"
        assert location.address in str(event["location"])
        titles = {str(event["summary"]) for event in events}
        assert "Wandelgroep" in titles and "Lotgenotengroep" not in titles
        assert list(calendar.walk("VTIMEZONE"))

    @override_settings(SITE_URL="https://meedoen.example.nl", ALLOWED_HOSTS=["meedoen.example.nl", "other.example"])
    def test_the_ical_uids_carry_the_sites_domain_whatever_the_host_header(self, workday, client, location):
        services.sessions_plan(until=workday + datetime.timedelta(weeks=1))
        uids = []
        for host_header in ("meedoen.example.nl", "other.example"):
            response = client.get(reverse("zelfregie:agenda_ics", args=[location.slug]), HTTP_HOST=host_header)
            uids.append(
                sorted(str(event["uid"]) for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT"))
            )
        assert uids[0] == uids[1] and uids[0]
        assert all(uid.endswith("@meedoen.example.nl") for uid in uids[0])


def _grow(location, host, rows: int) -> None:
    """`rows` of everything a page lists: sessions, participants, activities with sign-ups, expected visitors."""
    from meedoen.accounts.models import User

    brigadier = User.objects.filter(role=Role.BRIGADIER).first()
    today = timezone.localdate()
    while Session.objects.filter(location=location).count() < rows:
        n = Session.objects.filter(location=location).count()
        make_session(location, day=today - datetime.timedelta(days=n // 2), start=datetime.time(10 + n % 2), visitors=n)
    while Participant.objects.filter(location=location).count() < rows:
        make_participant(location=location, host=host, first_name=f"P{Participant.objects.count()}")
    participants = list(Participant.objects.filter(location=location))
    while Activity.objects.filter(location=location).count() < rows:
        n = Activity.objects.count()
        activity = make_activity(
            location=location, host=host, title=f"A{n}", capacity=2, signup_required=True, organiser=participants[n]
        )
        for participant in participants[:3]:
            services.signup_create(activity=activity, participant=participant, user=host)
        services.expected_visitor_announce(location=location, first_name=f"E{n}", consent=True, announced_by=brigadier)
    while Closure.objects.filter(location=location).count() < rows // 5:
        day = today + datetime.timedelta(days=3 + Closure.objects.count())
        Closure.objects.create(location=location, start_date=day, end_date=day, reason="Dicht")
    services.sessions_plan(until=today + datetime.timedelta(weeks=4))


PAGES = [
    ("home", lambda ctx: []),
    ("zelfregie:overview", lambda ctx: []),
    ("zelfregie:location", lambda ctx: [ctx["location"].pk]),
    ("zelfregie:session", lambda ctx: [ctx["session"].pk]),
    ("zelfregie:activity_list", lambda ctx: []),
    ("zelfregie:activity", lambda ctx: [ctx["activity"].pk]),
    ("zelfregie:activity_edit", lambda ctx: [ctx["activity"].pk]),
    ("zelfregie:participant_list", lambda ctx: []),
    ("zelfregie:expected_list", lambda ctx: []),
    ("zelfregie:agenda", lambda ctx: []),
    ("zelfregie:agenda_location", lambda ctx: [ctx["location"].slug]),
    ("zelfregie:agenda_ics", lambda ctx: [ctx["location"].slug]),
]


@pytest.mark.parametrize(("url_name", "args"), PAGES, ids=[name for name, _ in PAGES])
def test_page_query_count_does_not_grow_with_rows(client, users, host, location, url_name, args):
    activity = make_activity(location=location, host=host, title="Vast", capacity=60, signup_required=True)
    ctx = {"location": location, "activity": activity, "session": make_session(location, start=datetime.time(9))}
    client.force_login(host)
    counts = []
    for rows in (5, 50):
        _grow(location, host, rows)
        for participant in Participant.objects.filter(location=location).exclude(signups__activity=activity):
            services.signup_create(activity=activity, participant=participant, user=host)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name, args=args(ctx))).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_every_place_of_an_admin_is_on_the_overview(client, users, location):
    make_location(name="Tweede plek", slug="tweede")
    client.force_login(users[Role.ADMIN])
    response = client.get(reverse("zelfregie:overview"))
    assert [place["location"].slug for place in response.context["places"]] == ["matilo", "tweede"]


@time_machine.travel(datetime.datetime(2026, 7, 1, 10, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam")), tick=False)
def test_the_overview_shows_todays_counts_and_week_and_month_totals(client, host, location):
    """Wednesday 1 July: this week began in June, this month today."""
    make_session(location, visitors=7, new_visitors=2)
    make_session(location, day=datetime.date(2026, 6, 30), visitors=100)  # this week, last month
    make_session(location, day=datetime.date(2026, 6, 26), visitors=1000)  # last week and last month
    client.force_login(host)
    place = client.get(reverse("zelfregie:overview")).context["places"][0]
    assert [s.visitors for s in place["sessions"]] == [7]
    assert (place["totals"]["week"], place["totals"]["month"]) == (107, 7)


def test_a_search_takes_as_many_queries_for_one_match_as_for_fifty(client, host, location):
    client.force_login(host)
    url = reverse("zelfregie:participant_list")
    counts = []
    for rows in (1, 60):
        while Participant.objects.count() < rows:
            make_participant(location=location, host=host, first_name=f"Anna{Participant.objects.count()}")
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, {"q": "anna"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_views_read_through_the_selectors():
    """No view queries a model directly: the selectors decide what a user may see."""
    views = pathlib.Path(zelfregie.views.__file__).parent
    direct = [
        f"{path.name}:{number}"
        for path in sorted(views.glob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ".objects." in line
    ]
    assert direct == []


def _admin_location_form(location, hours, closures) -> dict:
    """The admin's change form of a place as posted: its fields and the three inlines (hours, closures, hosts)."""
    data = {
        "name": location.name,
        "slug": location.slug,
        "district": location.district_id,
        "address": location.address,
        "description": location.description,
        "accessibility": location.accessibility,
        "phone": location.phone,
        "retention_months": location.retention_months,
        "active": "on",
        "hosts-TOTAL_FORMS": 0,
        "hosts-INITIAL_FORMS": 0,
    }
    for prefix, rows in (("walk_in_hours", hours), ("closures", closures)):
        initial = [row for row in rows if row.get("id")]
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(initial)
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
            data[f"{prefix}-{index}-location"] = location.pk
    return data


def test_hours_and_closures_changed_in_the_admin_are_planned_at_once(workday, client, users, host, location):
    services.sessions_plan(until=workday + datetime.timedelta(weeks=4))
    make_activity(location=location, host=host, title="Wandelgroep")  # on Wednesdays
    closed = workday + datetime.timedelta(days=7)  # Wednesday 17 June
    hours = [
        {"id": h.pk, "weekday": h.weekday, "start_time": "13:00", "end_time": "16:00" if h.weekday == 0 else "17:00"}
        for h in WalkInHours.objects.filter(location=location).order_by("weekday")
    ]
    closures = [{"start_date": closed.isoformat(), "end_date": closed.isoformat(), "reason": "Schilderwerk"}]
    client.force_login(users[Role.ADMIN])
    url = reverse("admin:zelfregie_location_change", args=[location.pk])
    response = client.post(url, _admin_location_form(location, hours, closures))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert not Session.objects.filter(location=location, date=closed).exists()
    assert not location.activities.get().occurrences.filter(date=closed).exists()
    mondays = Session.objects.filter(location=location, date__gt=workday, date__week_day=2)
    assert mondays.exists() and set(mondays.values_list("end_time", flat=True)) == {datetime.time(16)}
    agenda = dict(client.get(reverse("zelfregie:agenda_location", args=[location.slug])).context["calendar"])
    assert agenda[closed] == [{"closed": "Schilderwerk"}]  # no walk-in, no activity

    # The closure deleted again: the walk-in and the activity are back.
    closure = location.closures.get()
    closures = [{**closures[0], "id": closure.pk, "DELETE": "on"}]
    assert client.post(url, _admin_location_form(location, hours, closures)).status_code == 302
    assert Session.objects.filter(location=location, date=closed).exists()
    assert location.activities.get().occurrences.filter(date=closed).exists()


def test_the_administrator_keeps_places_hours_closures_and_hosts_in_the_admin(client, users, location):
    client.force_login(users[Role.ADMIN])
    assert client.get(reverse("admin:zelfregie_location_changelist")).status_code == 200
    assert client.get(reverse("admin:zelfregie_location_add")).status_code == 200
    page = client.get(reverse("admin:zelfregie_location_change", args=[location.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert all(name in content for name in ("walk_in_hours-TOTAL_FORMS", "closures-TOTAL_FORMS", "hosts-TOTAL_FORMS"))
