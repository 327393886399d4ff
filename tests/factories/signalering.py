import datetime

from django.utils import timezone

from meedoen.accounts.models import MembershipRole
from meedoen.accounts.services import membership_set
from signalering import services
from signalering.models import ConcernCategory, Meeting, MeetingSeries
from tests.factories.accounts import NeighbourhoodFactory


def district_with_members(*members, chairs=()):
    """A district with a meeting series; the given users become members, `chairs` its chairs."""
    neighbourhood = NeighbourhoodFactory()
    district = neighbourhood.district
    MeetingSeries.objects.create(district=district, first_date=datetime.date(2026, 1, 6))
    for user in members:
        membership_set(user=user, district=district)
    for user in chairs:
        membership_set(user=user, district=district, role=MembershipRole.CHAIR)
    return district


def make_signal(*, reporter, district=None, urgency=1, resident=None, new_resident=None, description="Zorgen"):
    """A signal made through the real intake service."""
    district = district or reporter.memberships.first().district
    return services.signal_create(
        reporter=reporter,
        district=district,
        neighbourhood=district.neighbourhoods.first(),
        # get_or_create: a transactional test may run after another one emptied the data-migration rows.
        categories=[ConcernCategory.objects.get_or_create(name="Sociaal isolement")[0]],
        urgency=urgency,
        description=description,
        legal_basis="public_task",
        resident_informed="no",
        resident=resident,
        new_resident=new_resident,
    )


def make_meeting(district, *, days_ahead=3, hour=10):
    starts_at = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=days_ahead), datetime.time(hour))
    )
    return Meeting.objects.create(district=district, starts_at=starts_at, location="Wijkcentrum")
