"""A small history built through the real services, with time travel: what retention, subject access and erasure
work on.

Jan Smit (district A): a signal reported on 8 January 2024, noted on, discussed with an action, closed on
4 March 2024; from it a visit request with a contact that ends in a referral to a meeting place (where Jan arrives);
and a second, direct visit request with a contact, finished on 25 February 2024. Piet de Vries (district A): a signal
reported on 1 February 2024 and still open. Klaas (district B, another district): a signal closed on 4 March 2024.
"""

import datetime
from types import SimpleNamespace

import time_machine
from django.utils import timezone

from brigade import services as brigade_services
from meedoen.accounts.models import Role
from signalering import services
from tests.factories.brigade import make_brigadier, make_request
from tests.factories.signalering import district_with_members, make_meeting, make_signal
from tests.factories.zelfregie import make_location
from zelfregie.services import expected_visitor_arrived

JAN = {
    "full_name": "Jan Smit",
    "date_of_birth": datetime.date(1970, 5, 1),
    "street": "Hooigracht",
    "house_number": "3",
    "postcode": "2312 KN",
    "phone": "06-11112222",
}
PIET = {"full_name": "Piet de Vries", "date_of_birth": datetime.date(1958, 11, 23), "street": "Haarlemmerstraat"}
KLAAS = {"full_name": "Klaas Bakker", "date_of_birth": datetime.date(1981, 2, 2), "phone": "06-99998888"}


def at(day: str, hour: int = 10):
    moment = timezone.make_aware(datetime.datetime.fromisoformat(day).replace(hour=hour))
    return time_machine.travel(moment, tick=False)


def make_history(make_user) -> SimpleNamespace:
    """The history described at the top of this module, through the real services."""
    professional = make_user(role=Role.PROFESSIONAL, first_name="Fatima", last_name="El Amrani")
    chair = make_user(role=Role.CHAIR, first_name="Joost")
    coordinator = make_user(role=Role.BRIGADE_COORDINATOR, first_name="Ineke")
    officer = make_user(role=Role.PRIVACY_OFFICER, username="anouk", first_name="Anouk")
    host = make_user(role=Role.HOST)
    other_professional = make_user(role=Role.PROFESSIONAL)
    district = district_with_members(professional, chairs=[chair])
    other_district = district_with_members(other_professional)
    brigadier = make_brigadier(districts=[district], expertise=["Psychose"], username="ruud", first_name="Ruud")
    place = make_location(hosts=[host], district=district, name="Huis van de Buurt Matilo")

    with at("2024-01-08"):
        signal = make_signal(
            reporter=professional,
            district=district,
            new_resident=JAN,
            description="Jan komt niet meer buiten; de buren maken zich zorgen.",
        )
        services.signal_add_note(signal=signal, user=professional, text="Buurvrouw belde opnieuw over Jan.")
    with at("2024-01-16"):
        meeting = make_meeting(district, days_ahead=0)
        services.discussion_save(
            meeting=meeting,
            signal=signal,
            user=chair,
            expected_version=None,
            notes="Jan wil geen hulp van de wijkteams.",
            decision="De Vliegende Brigade vragen langs te gaan.",
            status="in_progress",
            new_action={
                "description": "Huisarts van Jan bellen",
                "owner": professional,
                "due": datetime.date(2024, 1, 30),
            },
        )
    with at("2024-01-17"):
        first = make_request(
            signal=signal, question="Contact maken met Jan over zijn isolement.", preferred_language="Pools"
        )
        assignment = brigade_services.assignment_create(
            visit_request=first, brigadier=brigadier, assigned_by=coordinator
        )
    with at("2024-01-20"):
        brigade_services.contact_log(
            assignment=assignment,
            user=brigadier.user,
            date=datetime.date(2024, 1, 20),
            kind="home_visit",
            duration_minutes=45,
            note="Jan deed open en vertelde over het overlijden van zijn moeder.",
        )
    with at("2024-02-01"):
        open_signal = make_signal(
            reporter=professional, district=district, new_resident=PIET, description="Piet roept 's nachts."
        )
        second = brigade_services.visit_request_create(
            requested_by=coordinator,
            resident=signal.resident,
            district=district,
            question="Nog eens langsgaan bij Jan.",
        )
        second_assignment = brigade_services.assignment_create(
            visit_request=second, brigadier=brigadier, assigned_by=coordinator
        )
    with at("2024-02-10"):
        brigade_services.contact_log(
            assignment=second_assignment,
            user=brigadier.user,
            date=datetime.date(2024, 2, 10),
            kind="out_together",
            duration_minutes=90,
            note="Samen koffie gedronken bij de Matilo.",
        )
    with at("2024-02-20"):
        brigade_services.visit_request_close(
            visit_request=first,
            user=brigadier.user,
            referral="zelfregie",
            outcome_note="Jan wil naar de inloop van de Matilo.",
            location=place,
            first_name="Jan",
        )
    with at("2024-02-22"):
        expected_visitor_arrived(expected=place.expected_visitors.get(), user=host)
    with at("2024-02-25"):
        brigade_services.visit_request_close(visit_request=second, user=coordinator, referral="own_strength")
    with at("2024-03-04"):
        services.signal_transition(
            signal=signal, user=professional, target="closed", expected_version=None, outcome="brigade"
        )
        klaas_signal = make_signal(
            reporter=other_professional, district=other_district, new_resident=KLAAS, description="Klaas zit vast."
        )
        services.signal_transition(
            signal=klaas_signal, user=other_professional, target="closed", expected_version=None, outcome="elsewhere"
        )
    signal.refresh_from_db()
    return SimpleNamespace(
        professional=professional,
        chair=chair,
        coordinator=coordinator,
        officer=officer,
        host=host,
        brigadier=brigadier,
        district=district,
        other_district=other_district,
        signal=signal,
        jan=signal.resident,
        first_request=first,
        second_request=second,
        open_signal=open_signal,
        piet=open_signal.resident,
        klaas_signal=klaas_signal,
        klaas=klaas_signal.resident,
    )
