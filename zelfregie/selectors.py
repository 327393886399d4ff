"""Who may see which place, participant and expected visitor, and the reads behind the agenda and the overview.

Every view goes through here. Hosts see the participants and expected visitors of their own places only; counts are
anonymous numbers and carry no personal data.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from meedoen.accounts.models import Role
from zelfregie import schedule
from zelfregie.models import (
    Activity,
    Closure,
    ExpectedVisitor,
    Location,
    Occurrence,
    Participant,
    Session,
    SignUp,
)

ZELFREGIE_ROLES = frozenset({Role.HOST, Role.ADMIN})
EXPECTED_DAYS = 42  # an expected visitor is shown (and kept) this long after the announcement


def active_locations() -> QuerySet[Location]:
    """The places open to visitors: for the public agenda, and for the brigade's "refer to" dropdown."""
    return Location.objects.filter(active=True).order_by("name")


def host_locations(user) -> QuerySet[Location]:
    """Places whose counts, activities and participants the user works with: their own (admins: all)."""
    if not user.is_authenticated or not user.is_active or user.role not in ZELFREGIE_ROLES:
        return Location.objects.none()
    if user.role == Role.ADMIN:
        return Location.objects.all()
    return Location.objects.filter(hosts__user=user)


def is_host_of(user, location_id: int) -> bool:
    return host_locations(user).filter(pk=location_id).exists()


def visible_sessions(user) -> QuerySet[Session]:
    return Session.objects.filter(location__in=host_locations(user))


def visible_activities(user) -> QuerySet[Activity]:
    return Activity.objects.filter(location__in=host_locations(user))


def visible_occurrences(user) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(activity__location__in=host_locations(user))


def visible_participants(user) -> QuerySet[Participant]:
    return Participant.objects.filter(location__in=host_locations(user))


def visible_signups(user) -> QuerySet[SignUp]:
    return SignUp.objects.filter(activity__location__in=host_locations(user))


def visible_expected_visitors(user) -> QuerySet[ExpectedVisitor]:
    # An empty first name: forgotten after EXPECTED_DAYS (services.expected_visitors_forget), kept for the figures.
    return ExpectedVisitor.objects.filter(location__in=host_locations(user)).exclude(first_name="")


def expected_since(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=EXPECTED_DAYS)


def open_expected_visitors(user) -> QuerySet[ExpectedVisitor]:
    """Expected visitors who have not arrived yet, announced recently enough to still be expected."""
    return visible_expected_visitors(user).filter(arrived_at__isnull=True, announced_at__gte=expected_since())


def location_hosts(location_id: int):
    from meedoen.accounts.models import User

    return User.objects.filter(hosted_places__location_id=location_id, is_active=True, role=Role.HOST)


def closed_days(location_ids, start: datetime.date, end: datetime.date) -> dict[int, dict[datetime.date, str]]:
    """Per place, the days it is closed between start and end: public holidays and its own closures, with why."""
    holidays = schedule.public_holidays(start, end)
    closed = {location_id: dict(holidays) for location_id in location_ids}
    closures = Closure.objects.filter(location_id__in=location_ids, start_date__lte=end, end_date__gte=start)
    for closure in closures:
        day = max(closure.start_date, start)
        while day <= min(closure.end_date, end):
            closed[closure.location_id].setdefault(day, closure.reason)
            day += datetime.timedelta(days=1)
    return closed


def totals_per_location(location_ids, today: datetime.date | None = None) -> dict[int, dict[str, int]]:
    """Visitors at walk-in sessions and at activities this week and this month, per place. Two queries."""
    today = today or timezone.localdate()
    week, month = schedule.week_start(today), today.replace(day=1)
    start = min(week, month)
    totals = {pk: {"week": 0, "month": 0, "activities_week": 0, "activities_month": 0} for pk in location_ids}
    sessions = (
        Session.objects.filter(location_id__in=location_ids, date__range=(start, today))
        .values("location_id")
        .annotate(
            week=Sum("visitors", filter=Q(date__gte=week), default=0),
            month=Sum("visitors", filter=Q(date__gte=month), default=0),
        )
    )
    for row in sessions.order_by():
        totals[row["location_id"]].update(week=row["week"], month=row["month"])
    attendance = (
        Occurrence.objects.filter(activity__location_id__in=location_ids, date__range=(start, today))
        .values("activity__location_id")
        .annotate(
            week=Sum("attendance", filter=Q(date__gte=week), default=0),
            month=Sum("attendance", filter=Q(date__gte=month), default=0),
        )
    )
    for row in attendance.order_by():
        totals[row["activity__location_id"]].update(activities_week=row["week"], activities_month=row["month"])
    return totals


def open_signups(activity_ids) -> dict[int, dict[str, int]]:
    """Per activity, how many are signed up and how many wait. One query."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"confirmed": 0, "waiting": 0})
    rows = (
        SignUp.objects.filter(activity_id__in=activity_ids)
        .exclude(status=SignUp.Status.CANCELLED)
        .values_list("activity_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for activity_id, status, n in rows:
        counts[activity_id][status] = n
    return counts


def public_sessions(location_ids, start: datetime.date, end: datetime.date) -> QuerySet[Session]:
    return Session.objects.filter(location_id__in=location_ids, date__range=(start, end)).order_by("date", "start_time")


def public_occurrences(location_ids, start: datetime.date, end: datetime.date) -> QuerySet[Occurrence]:
    """Occurrences of public activities: what anyone may read in the agenda. No organiser, no participants."""
    return (
        Occurrence.objects.filter(
            activity__location_id__in=location_ids,
            activity__public=True,
            activity__active=True,
            date__range=(start, end),
        )
        .select_related("activity")
        .order_by("date", "start_time")
    )
