"""Erasure on request: only by the privacy officer, with a reason and a confirmation, refused while a record about the
resident is open; the figures and the access log stay, the identifying data goes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from brigade.models import Contact, VisitRequest
from brigade.services import visit_request_cancel, visit_request_create
from meedoen.accounts.models import Role
from meedoen.privacy.models import AccessLog, Resident, ResidentErasure
from meedoen.privacy.selectors import known_resident, residents_matching
from meedoen.privacy.services import resident_erase, resident_find_or_create, retention_sweep
from signalering.models import Discussion, Signal
from tests.privacy.conftest import JAN, PIET, at, figures


def erase(history, resident, reason="Verzoek van de bewoner, kenmerk 2026-014"):
    with translation.override("nl"):
        return resident_erase(resident=resident, erased_by=history.officer, reason=reason)


class TestService:
    def test_erasing_removes_the_identifying_data_and_anonymises_every_record(self, history):
        with at("2026-01-10"):  # well within the retention periods
            erasure = erase(history, history.jan)
        jan = Resident.objects.get(pk=history.jan.pk)
        assert jan.anonymised_at is not None
        assert (jan.full_name, jan.date_of_birth, jan.postcode, jan.phone, jan.identity_hash) == ("", None, "", "", "")
        assert known_resident(**JAN) is None
        assert not residents_matching(history.officer, full_name=JAN["full_name"], date_of_birth=JAN["date_of_birth"])
        signal = Signal.objects.get(pk=history.signal.pk)
        assert (signal.anonymised_at, signal.resident_id, signal.description) == (jan.anonymised_at, None, "")
        assert set(Discussion.objects.filter(signal=signal).values_list("notes", flat=True)) == {""}
        requests = VisitRequest.objects.filter(pk__in=[history.first_request.pk, history.second_request.pk])
        assert {(r.question, r.resident_id == jan.pk) for r in requests} == {("", False)}
        assert set(Contact.objects.filter(request__in=requests).values_list("note", flat=True)) == {""}
        assert erasure.counts == {
            "signal": 1,
            "visit_request": 2,
            "participant": 0,
            "expected_visitor": 0,
        }
        assert erasure.reason == "Verzoek van de bewoner, kenmerk 2026-014"

    def test_the_figures_stay_the_same(self, history):
        with at("2026-01-10"):
            before = (figures(), figures(history.district))
            erase(history, history.jan)
            after = (figures(), figures(history.district))
        assert after == before

    def test_the_access_log_stays_and_records_the_erasure(self, history):
        rows_before = set(AccessLog.objects.filter(resident=history.jan).values_list("id", flat=True))
        erase(history, history.jan)
        rows_after = AccessLog.objects.filter(resident=history.jan)
        assert rows_before < set(rows_after.values_list("id", flat=True))
        erased = rows_after.get(object_type="resident", action="delete")
        assert (erased.username, erased.role) == (history.officer.username, Role.PRIVACY_OFFICER)
        assert rows_after.filter(object_type="signal", action="delete", username=history.officer.username).exists()

    def test_refused_while_a_signal_about_the_resident_is_open(self, history):
        with pytest.raises(ValidationError) as refused:
            erase(history, history.piet)
        number = history.open_signal.number
        assert refused.value.messages == [f"Signaal {number} is nog open (nieuw). Dat moet eerst worden afgesloten."]
        assert Resident.objects.get(pk=history.piet.pk).full_name == PIET["full_name"]
        assert not ResidentErasure.objects.exists()

    def test_refused_while_a_visit_request_about_the_resident_is_open_and_allowed_once_it_is_cancelled(self, history):
        open_request = visit_request_create(
            requested_by=history.coordinator, resident=history.jan, district=history.district, question="Weer zorgen."
        )
        with pytest.raises(ValidationError, match=open_request.number):
            erase(history, history.jan)
        visit_request_cancel(visit_request=open_request, user=history.coordinator, reason="Niet meer nodig")
        erase(history, history.jan)
        assert Resident.objects.get(pk=history.jan.pk).anonymised_at is not None

    def test_refused_a_second_time(self, history):
        erase(history, history.jan)
        with pytest.raises(ValidationError, match="al gewist"):
            erase(history, Resident.objects.get(pk=history.jan.pk))
        assert ResidentErasure.objects.count() == 1

    def test_refused_without_a_reason(self, history):
        with pytest.raises(ValidationError) as refused:
            erase(history, history.jan, reason="   ")
        assert "reason" in refused.value.error_dict
        assert Resident.objects.get(pk=history.jan.pk).anonymised_at is None

    @pytest.mark.parametrize("role", [role for role in Role.values if role != Role.PRIVACY_OFFICER])
    def test_only_the_privacy_officer_erases(self, history, users, role):
        with pytest.raises(PermissionDenied):
            resident_erase(resident=history.jan, erased_by=users[role], reason="Verzoek")
        assert Resident.objects.get(pk=history.jan.pk).anonymised_at is None

    def test_nothing_is_erased_when_a_record_is_linked_meanwhile(self, history, monkeypatch):
        """The resident row is locked before the records are changed; a record linked after the check (simulated
        here) makes the whole erasure roll back."""
        from meedoen.privacy import services

        monkeypatch.setattr(services, "_live_elsewhere", lambda resident_id: True)
        with pytest.raises(ValidationError, match="Er is intussen iets veranderd"):
            erase(history, history.jan)
        assert Signal.objects.get(pk=history.signal.pk).description
        assert Resident.objects.get(pk=history.jan.pk).full_name == "Jan Smit"

    def test_an_erased_resident_left_alone_by_the_sweep_and_the_export_still_works(self, history, client_for):
        erase(history, history.jan)
        with at("2030-01-01"):
            retention_sweep()
        response = client_for(history.officer).get(
            reverse("privacy:resident_export", args=[history.jan.pseudonym, "json"])
        )
        data = response.json()
        assert data["resident"]["full_name"] == "" and data["records"]["signals"]["records"] == []
        assert data["access_log"]


class TestViews:
    def url(self, resident):
        return reverse("privacy:resident_erase", args=[resident.pseudonym])

    def test_the_confirmation_step_explains_and_asks_for_a_reason_and_a_tick(self, history, client_for):
        response = client_for(history.officer).get(self.url(history.jan))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Jan Smit" in page and 'name="reason"' in page and 'name="confirm"' in page
        assert Resident.objects.get(pk=history.jan.pk).anonymised_at is None  # a GET changes nothing

    def test_without_the_tick_nothing_is_erased(self, history, client_for):
        response = client_for(history.officer).post(self.url(history.jan), {"reason": "Verzoek"})
        assert response.status_code == 400
        assert "Vink het vakje aan om het wissen te bevestigen." in response.content.decode()
        assert Resident.objects.get(pk=history.jan.pk).anonymised_at is None

    def test_without_a_reason_nothing_is_erased(self, history, client_for):
        response = client_for(history.officer).post(self.url(history.jan), {"reason": "", "confirm": "on"})
        assert response.status_code == 400
        assert "Geef de reden van het wissen" in response.content.decode()

    def test_an_open_signal_is_named_and_the_form_not_offered(self, history, client_for):
        client = client_for(history.officer)
        response = client.get(self.url(history.piet))
        page = response.content.decode()
        assert response.status_code == 200
        assert history.open_signal.number in page and 'name="confirm"' not in page
        response = client.post(self.url(history.piet), {"reason": "Verzoek", "confirm": "on"})
        assert response.status_code == 400
        assert history.open_signal.number in response.content.decode()
        assert Resident.objects.get(pk=history.piet.pk).anonymised_at is None

    def test_erasing_with_a_reason_and_a_tick(self, history, client_for):
        client = client_for(history.officer)
        response = client.post(self.url(history.jan), {"reason": "Verzoek per brief", "confirm": "on"}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("privacy:resident", args=[history.jan.pseudonym])
        page = response.content.decode()
        assert "zijn gewist" in page and "Jan Smit" not in page
        assert ResidentErasure.objects.get().erased_by == history.officer

    def test_the_retention_page_lists_the_erasure_and_the_runs(self, history, client_for):
        erase(history, history.jan)
        with at("2026-03-05"):
            retention_sweep()
        response = client_for(history.officer).get(reverse("privacy:retention"))
        page = response.content.decode()
        assert response.status_code == 200
        assert history.jan.pseudonym in page and "kenmerk 2026-014" in page
        assert "24 maanden na het afsluiten" in page
        assert "Jan Smit" not in page


def test_the_retention_page_query_count_does_not_grow_with_runs_and_erasures(history, client_for, make_user):
    client = client_for(history.officer)
    counts = []
    for extra in (1, 10):
        for _ in range(extra):
            retention_sweep()
            person = resident_find_or_create(
                created_by=history.professional, full_name=f"Persoon {ResidentErasure.objects.count()}"
            )
            resident_erase(resident=person, erased_by=history.officer, reason="Verzoek")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("privacy:retention")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 14, counts
