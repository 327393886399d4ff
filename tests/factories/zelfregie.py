import datetime

import factory
from django.utils import timezone

from tests.factories.accounts import DistrictFactory
from zelfregie import services
from zelfregie.models import Location, LocationHost, Session, WalkInHours

AFTERNOON = (datetime.time(13, 0), datetime.time(17, 0))


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Huis van de Buurt {n}")
    slug = factory.Sequence(lambda n: f"huis-{n}")
    district = factory.SubFactory(DistrictFactory)
    address = factory.Sequence(lambda n: f"Buurtstraat {n}, Leiden")
    description = "Loop binnen voor koffie en een praatje."
    accessibility = "Rolstoeltoegankelijk."


def make_location(*, hosts=(), weekdays=(0, 1, 2, 3, 4, 5), **kwargs) -> Location:
    """A place open six afternoons a week, with the given hosts."""
    location = LocationFactory(**kwargs)
    for weekday in weekdays:
        WalkInHours.objects.create(location=location, weekday=weekday, start_time=AFTERNOON[0], end_time=AFTERNOON[1])
    for user in hosts:
        LocationHost.objects.create(location=location, user=user)
    return location


def make_session(location, *, day=None, start=AFTERNOON[0], visitors=0, new_visitors=0) -> Session:
    return Session.objects.create(
        location=location,
        date=day or timezone.localdate(),
        start_time=start,
        end_time=AFTERNOON[1],
        visitors=visitors,
        new_visitors=new_visitors,
    )


def make_participant(*, location, host, first_name="Kees"):
    """A participant registered through the real service, with consent."""
    return services.participant_register(location=location, user=host, first_name=first_name, consent=True)


def make_activity(*, location, host, **changes):
    """A weekly activity made through the real service (which plans its dates)."""
    fields = {
        "title": "Samen koken",
        "description": "Samen koken en eten.",
        "recurrence": "weekly",
        "first_date": timezone.localdate() - datetime.timedelta(weeks=2),
        "last_date": None,
        "start_time": datetime.time(17, 0),
        "end_time": datetime.time(19, 0),
        "capacity": None,
        "signup_required": False,
        "public": True,
    }
    fields.update(changes)
    organiser = fields.pop("organiser", host)
    return services.activity_create(user=host, location=location, organiser=organiser, **fields)
