import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brigade import services
from brigade.models import VisitRequest
from meedoen.privacy.models import AccessLog
from signalering.models import Discussion
from tests.factories.brigade import make_brigadier, make_request
from tests.factories.signalering import make_meeting


@pytest.fixture
def assignment(visit_request, brigadier, coordinator):
    return services.assignment_create(visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator)


class TestRequestFromSignal:
    def test_form_is_prefilled_from_the_signal(self, client, professional, signal):
        client.force_login(professional)
        response = client.get(reverse("brigade:request_create"), {"signal": signal.pk})
        assert response.context["form"].initial["question"] == signal.description
        assert signal.number in response.content.decode()

    def test_professional_sends_a_request_linked_to_the_signal(self, client, professional, signal):
        client.force_login(professional)
        response = client.post(
            f"{reverse('brigade:request_create')}?signal={signal.pk}",
            {"question": "Contact leggen", "urgency": 1, "preferred_gender": "", "preferred_language": "Turks"},
        )
        visit_request = VisitRequest.objects.get()
        assert response.url == reverse("brigade:request", args=[visit_request.pk])
        assert (visit_request.signal, visit_request.resident) == (signal, signal.resident)

    def test_a_signal_of_another_district_is_404(self, client, signal, make_user):
        other = make_user(role="professional")
        client.force_login(other)
        assert client.get(reverse("brigade:request_create"), {"signal": signal.pk}).status_code == 404

    def test_direct_request_needs_someone_to_find(self, client, professional, district):
        client.force_login(professional)
        response = client.post(
            reverse("brigade:request_create"), {"district": district.pk, "question": "x", "urgency": 1}
        )
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        assert not VisitRequest.objects.exists()

    def test_direct_request_reuses_a_known_resident(self, client, professional, district, signal):
        client.force_login(professional)
        client.post(
            reverse("brigade:request_create"),
            {
                "district": district.pk,
                "question": "Langsgaan",
                "urgency": 1,
                "full_name": "jan smit",
                "date_of_birth": "1970-05-01",
            },
        )
        assert VisitRequest.objects.get().resident == signal.resident


class TestCoordinator:
    def test_request_page_ranks_brigadiers_with_reasons(self, client, coordinator, visit_request, brigadier):
        client.force_login(coordinator)
        response = client.get(reverse("brigade:request", args=[visit_request.pk]))
        matches = response.context["matches"]
        assert matches[0].brigadier == brigadier
        assert "Psychose" in response.content.decode()

    def test_coordinator_does_not_see_the_signals_discussion_notes(
        self, client, coordinator, visit_request, signal, make_user
    ):
        chair = make_user(role="chair")
        from meedoen.accounts.services import membership_set

        membership_set(user=chair, district=signal.district, role="chair")
        Discussion.objects.create(
            meeting=make_meeting(signal.district), signal=signal, notes="Geheime overlegnotitie", created_by=chair
        )
        client.force_login(coordinator)
        assert (
            "Geheime overlegnotitie"
            not in client.get(reverse("brigade:request", args=[visit_request.pk])).content.decode()
        )
        assert client.get(reverse("signalering:signal", args=[signal.pk])).status_code == 403

    def test_assigning_over_the_maximum_gets_a_clear_message(self, client, coordinator, visit_request, district):
        full = make_brigadier(districts=[district], max_active=1)
        services.assignment_create(
            visit_request=make_request(signal=visit_request.signal), brigadier=full, assigned_by=coordinator
        )
        client.force_login(coordinator)
        response = client.post(reverse("brigade:assign", args=[visit_request.pk]), {"brigadier": full.pk})
        assert response.status_code == 409
        assert "maximum" in response.content.decode() or "maximum" in str(list(response.context["messages"]))


class TestBrigadier:
    def test_sees_what_the_visit_needs_and_it_is_logged(self, client, assignment, brigadier):
        client.force_login(brigadier.user)
        content = client.get(reverse("brigade:assignment", args=[assignment.pk])).content.decode()
        assert "Jan Smit" in content and "Hooigracht" in content
        entry = AccessLog.objects.filter(username=brigadier.user.username, object_type="assignment").latest("id")
        assert entry.resident_id == assignment.request.resident_id

    def test_another_brigadiers_assignment_is_404_and_logged(self, client, assignment):
        other = make_brigadier()
        client.force_login(other.user)
        assert client.get(reverse("brigade:assignment", args=[assignment.pk])).status_code == 404
        assert AccessLog.objects.filter(username=other.user.username, result="denied").exists()

    def test_logs_a_contact_and_closes_with_a_referral(self, client, assignment, brigadier):
        client.force_login(brigadier.user)
        response = client.post(
            reverse("brigade:contact", args=[assignment.pk]),
            {"date": datetime.date.today().isoformat(), "kind": "home_visit", "duration_minutes": 45, "note": "Koffie"},
        )
        assert response.status_code == 302
        response = client.post(reverse("brigade:close_assignment", args=[assignment.pk]), {"referral": "care"})
        assert response.url == reverse("brigade:mine")
        assert VisitRequest.objects.get().referral == "care"

    def test_invalid_contact_keeps_the_note(self, client, assignment, brigadier):
        client.force_login(brigadier.user)
        response = client.post(reverse("brigade:contact", args=[assignment.pk]), {"note": "Niet thuis, briefje"})
        assert response.status_code == 400
        assert "Niet thuis, briefje" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "who"),
    [
        ("brigade:overview", "coordinator"),
        ("brigade:requests", "coordinator"),
        ("brigade:requests", "professional"),
        ("brigade:assessment_list", "coordinator"),
        ("brigade:pool", "coordinator"),
        ("brigade:mine", "brigadier"),
        ("home", "coordinator"),
        ("home", "brigadier"),
    ],
)
def test_list_query_count_does_not_grow_with_rows(
    client, url_name, who, coordinator, professional, signal, district, brigadier
):
    users = {"coordinator": coordinator, "professional": professional, "brigadier": brigadier.user}
    client.force_login(users[who])
    brigadier.max_active = 20
    brigadier.save()
    counts = []
    for rows in (5, 50):
        while VisitRequest.objects.count() < rows:
            visit_request = make_request(signal=signal)
            services.assessment_record(visit_request=visit_request, user=coordinator, to_assessment=True)
            helper = make_brigadier(districts=[district])
            services.assignment_create(visit_request=visit_request, brigadier=helper, assigned_by=coordinator)
            if VisitRequest.objects.count() % 10 == 1:
                services.assignment_create(visit_request=visit_request, brigadier=brigadier, assigned_by=coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_request_page_query_count_does_not_grow_with_brigadiers(client, coordinator, visit_request, district):
    client.force_login(coordinator)
    counts = []
    for rows in (5, 30):
        for _ in range(rows - (5 if counts else 0)):
            make_brigadier(districts=[district], expertise=["Psychose"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("brigade:request", args=[visit_request.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_without_consent_the_first_name_is_refused_and_nothing_is_lost(client, assignment, brigadier):
    client.force_login(brigadier.user)
    response = client.post(
        reverse("brigade:close_assignment", args=[assignment.pk]),
        {"referral": "zelfregie", "first_name": "Jan", "outcome_note": "Gaat naar de inloop"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Gaat naar de inloop" in content
    assert VisitRequest.objects.get().status == "assigned"


def test_after_the_visit_the_brigadier_no_longer_sees_who_and_where(client, assignment, brigadier, coordinator):
    services.visit_request_cancel(visit_request=assignment.request, user=coordinator, reason="Verhuisd")
    client.force_login(brigadier.user)
    content = client.get(reverse("brigade:assignment", args=[assignment.pk])).content.decode()
    assert "Jan Smit" not in content and "Hooigracht" not in content
    assert assignment.request.resident.pseudonym in content
