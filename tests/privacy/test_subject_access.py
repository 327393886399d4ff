"""Subject access: the privacy officer finds a resident and exports everything held about them, as JSON and PDF."""

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from meedoen.accounts.models import Role
from meedoen.privacy.models import AccessLog
from meedoen.privacy.selectors import residents_matching
from meedoen.privacy.services import resident_create
from tests.privacy.conftest import JAN


def lookup(client, **data):
    fields = {"pseudonym": "", "full_name": "", "date_of_birth": "", "postcode": "", "house_number": ""}
    return client.post(reverse("privacy:residents"), {**fields, **data})


class TestLookup:
    def test_by_pseudonym_in_any_case(self, history, officer_client):
        response = lookup(officer_client, pseudonym=history.jan.pseudonym.lower())
        assert response.status_code == 200
        assert list(response.context["results"]) == [history.jan]
        assert "Jan Smit" in response.content.decode()

    def test_by_name_and_date_of_birth_through_the_blind_index(self, history, officer_client):
        response = lookup(officer_client, full_name="  jan SMIT", date_of_birth="1970-05-01")
        assert list(response.context["results"]) == [history.jan]

    def test_by_postcode_and_house_number_finds_named_residents_too(self, history, officer_client):
        response = lookup(officer_client, postcode="2312kn", house_number="3")
        assert list(response.context["results"]) == [history.jan]

    def test_nobody_found_says_so(self, history, officer_client):
        response = lookup(officer_client, full_name="Niemand", date_of_birth="2000-01-01")
        assert response.context["results"] == []
        assert "Niemand is bekend met deze gegevens." in response.content.decode()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({}, "Zoek op één manier"),
            ({"pseudonym": "B-1234567"}, "Een pseudoniem is B- gevolgd door zes letters of cijfers"),
            ({"full_name": "Jan Smit"}, "Geef bij een naam ook de geboortedatum"),
            ({"date_of_birth": "1970-05-01"}, "Geef bij een geboortedatum ook de naam"),
            ({"postcode": "2312 KN"}, "Geef zowel postcode als huisnummer"),
            ({"date_of_birth": "1-5-70x", "full_name": "Jan"}, "Vul een geldige datum in"),
            ({"pseudonym": "B-AAAAAA", "postcode": "2312 KN", "house_number": "3"}, "Zoek op één manier"),
        ],
    )
    def test_bad_input_gets_a_clear_dutch_message(self, officer_client, data, message):
        response = lookup(officer_client, **data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert response.context["results"] is None

    @pytest.mark.parametrize("value", ["abc", "99999999999999999999", "\x00", "' OR 1=1 --", "x" * 300, "B-"])
    @pytest.mark.parametrize("field", ["pseudonym", "full_name", "date_of_birth", "postcode", "house_number"])
    def test_bad_values_never_give_a_server_error(self, officer_client, field, value):
        assert lookup(officer_client, **{field: value}).status_code == 200

    def test_every_search_is_logged_with_the_residents_found_and_no_search_terms(self, history, officer_client):
        lookup(officer_client, full_name="Jan Smit", date_of_birth="1970-05-01")
        lookup(officer_client, full_name="Niemand", date_of_birth="2000-01-01")
        rows = AccessLog.objects.filter(username=history.officer.username, action="search").order_by("id")
        assert [(row.resident_id, row.object_type) for row in rows] == [
            (history.jan.pk, "resident"),
            (None, "resident"),
        ]
        assert not any("Jan" in row.object_id or "Niemand" in row.object_id for row in rows)

    def test_nobody_else_finds_anyone(self, history, users):
        for role in Role.values:
            if role != Role.PRIVACY_OFFICER:
                assert not residents_matching(users[role], pseudonym=history.jan.pseudonym).exists()

    def test_the_results_page_query_count_does_not_grow_with_residents(self, history, officer_client):
        counts = []
        for extra in (1, 12):
            for number in range(extra):
                resident_create(
                    created_by=history.professional,
                    full_name=f"Huisgenoot {number}",
                    postcode="2312 KN",
                    house_number="3",
                )
            with CaptureQueriesContext(connection) as queries:
                response = lookup(officer_client, postcode="2312 KN", house_number="3")
            assert response.status_code == 200
            counts.append(len(queries))
        assert len(response.context["results"]) == 14
        assert counts[0] == counts[1] <= 16, counts  # session, user, the search, its log row, a count per pillar


class TestExport:
    def test_json_holds_everything_about_the_resident_and_nothing_about_others(self, history, officer_client):
        response = officer_client.get(reverse("privacy:resident_export", args=[history.jan.pseudonym, "json"]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="inzage-{history.jan.pseudonym}.json"'
        data = json.loads(response.content)
        assert data["resident"]["pseudonym"] == history.jan.pseudonym
        assert data["resident"]["full_name"] == "Jan Smit"
        assert data["resident"]["date_of_birth"] == "1970-05-01"
        assert (data["resident"]["postcode"], data["resident"]["phone"]) == ("2312 KN", "06-11112222")
        [signal] = data["records"]["signals"]["records"]
        assert signal["description"].startswith("Jan komt niet meer buiten")
        assert "Buurvrouw belde opnieuw over Jan." in [event["text"] for event in signal["timeline"]]
        assert signal["discussions"][0]["decision"] == "De Vliegende Brigade vragen langs te gaan."
        assert signal["actions"][0]["description"] == "Huisarts van Jan bellen"
        requests = data["records"]["visit_requests"]["records"]
        assert [r["question"] for r in requests] == [
            "Contact maken met Jan over zijn isolement.",
            "Nog eens langsgaan bij Jan.",
        ]
        assert requests[0]["referral"] == "toegeleid naar het Zelfregiecentrum"
        assert requests[0]["assignments"][0]["brigadier"] == "Ruud " + history.brigadier.user.last_name
        assert requests[0]["contacts"][0]["note"].startswith("Jan deed open")
        assert requests[1]["contacts"][0]["duration_minutes"] == 90
        assert data["records"]["zelfregie"]["records"] == [] and data["records"]["zelfregie"]["note"]
        actions = {row["action"] for row in data["access_log"]}
        assert {"aangemaakt", "gewijzigd"} <= actions
        assert all(
            set(row) == {"at", "organisation", "role", "object", "action", "result"} for row in data["access_log"]
        )
        text = response.content.decode()
        for other in ("Piet", "Vries", history.piet.pseudonym, "Klaas", history.klaas.pseudonym, "Piet roept"):
            assert other not in text

    def test_pdf_reads_as_the_residents_data_and_nobody_elses(self, history, officer_client):
        response = officer_client.get(reverse("privacy:resident_export", args=[history.jan.pseudonym, "pdf"]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        for own in (
            history.jan.pseudonym,
            "Jan Smit",
            "Hooigracht",
            "06-11112222",
            "Huisarts van Jan bellen",
            "Jan deed open",
        ):
            assert own in text, own
        for other in ("Piet", history.piet.pseudonym, "Klaas", history.klaas.pseudonym):
            assert other not in text

    def test_every_export_writes_export_rows_for_every_record(self, history, officer_client):
        for format in ("json", "pdf"):
            since = AccessLog.objects.order_by("-id").values_list("id", flat=True).first()
            officer_client.get(reverse("privacy:resident_export", args=[history.jan.pseudonym, format]))
            rows = AccessLog.objects.filter(id__gt=since)
            assert set(rows.values_list("action", "resident_id", "username")) == {
                ("export", history.jan.pk, history.officer.username)
            }
            assert set(rows.values_list("object_type", "object_id")) == {
                ("resident", str(history.jan.pk)),
                ("signal", str(history.signal.pk)),
                ("visit_request", str(history.first_request.pk)),
                ("visit_request", str(history.second_request.pk)),
            }

    def test_no_export_when_the_log_cannot_be_written(self, history, officer_client):
        from unittest import mock

        from django.db import DatabaseError

        with mock.patch("meedoen.privacy.audit._write", side_effect=DatabaseError("disk full")):
            response = officer_client.get(reverse("privacy:resident_export", args=[history.jan.pseudonym, "json"]))
        assert response.status_code == 503
        assert b"Jan Smit" not in response.content

    @pytest.mark.parametrize("role", [role for role in Role.values if role != Role.PRIVACY_OFFICER])
    def test_other_roles_are_refused_and_the_refusal_is_logged(self, history, users, client_for, role):
        client = client_for(users[role])
        response = client.get(reverse("privacy:resident_export", args=[history.jan.pseudonym, "json"]))
        assert response.status_code == 403
        assert b"Jan" not in response.content
        assert AccessLog.objects.filter(username=users[role].username, result="denied").exists()

    def test_an_unknown_pseudonym_is_not_found(self, officer_client):
        assert officer_client.get(reverse("privacy:resident_export", args=["B-ZZZZZZ", "json"])).status_code == 404

    def test_the_resident_page_shows_the_data_and_logs_the_read(self, history, officer_client):
        response = officer_client.get(reverse("privacy:resident", args=[history.jan.pseudonym]))
        assert response.status_code == 200
        assert "Jan Smit" in response.content.decode()
        assert AccessLog.objects.filter(
            username=history.officer.username, action="read", object_type="resident", resident=history.jan
        ).exists()


def test_the_blind_index_finds_jan_by_the_details_he_gives(history):
    assert list(
        residents_matching(history.officer, full_name=JAN["full_name"], date_of_birth=JAN["date_of_birth"])
    ) == [history.jan]
