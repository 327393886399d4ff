import datetime

from brigade import services
from brigade.models import Availability, Brigadier, Expertise
from meedoen.accounts.models import Role
from tests.factories.accounts import UserFactory


def make_brigadier(*, districts=(), expertise=(), languages=(), max_active=3, gender="", weekdays=(0, 2), **user):
    """A brigadier with an account, working in `districts`, available on `weekdays`."""
    account = UserFactory(role=Role.BRIGADIER, **user)
    brigadier = Brigadier.objects.create(user=account, max_active=max_active, languages=list(languages), gender=gender)
    brigadier.districts.set(districts)
    brigadier.expertise.set([Expertise.objects.get_or_create(name=name)[0] for name in expertise])
    for weekday in weekdays:
        Availability.objects.create(
            brigadier=brigadier, weekday=weekday, start_time=datetime.time(13), end_time=datetime.time(17)
        )
    return brigadier


def make_request(*, signal, requested_by=None, expertise=(), **fields):
    """A visit request made from a signal through the real service."""
    return services.visit_request_create(
        requested_by=requested_by or signal.reporter,
        resident=None,
        district=None,
        question=fields.pop("question", "Contact maken"),
        preferred_expertise=[Expertise.objects.get_or_create(name=name)[0] for name in expertise],
        signal=signal,
        **fields,
    )
