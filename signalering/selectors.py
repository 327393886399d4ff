"""Who may see which signal, meeting and action. Every view, export, print and search goes through here."""

import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from meedoen.accounts.models import District, DistrictMembership, MembershipRole, Role, User
from signalering.models import Action, Discussion, Meeting, Signal
from signalering.workflow import OPEN_STATUSES, Status

SIGNAL_ROLES = frozenset({Role.PROFESSIONAL, Role.CHAIR, Role.ADMIN})


def member_districts(user) -> QuerySet[District]:
    """Districts whose signals the user may see: their own (admins: all)."""
    if not user.is_authenticated or not user.is_active or user.role not in SIGNAL_ROLES:
        return District.objects.none()
    if user.role == Role.ADMIN:
        return District.objects.all()
    return District.objects.filter(memberships__user=user)


def chaired_districts(user) -> QuerySet[District]:
    if not user.is_authenticated or not user.is_active or user.role not in SIGNAL_ROLES:
        return District.objects.none()
    if user.role == Role.ADMIN:
        return District.objects.all()
    return District.objects.filter(memberships__user=user, memberships__role=MembershipRole.CHAIR)


def is_chair_of(user, district_id: int) -> bool:
    return chaired_districts(user).filter(pk=district_id).exists()


def live_signals() -> QuerySet[Signal]:
    """Signals not yet anonymised. An anonymised signal is left for the figures only: nobody opens it again."""
    return Signal.objects.filter(anonymised_at__isnull=True)


def visible_signals(user) -> QuerySet[Signal]:
    if not user.is_authenticated or not user.is_active or user.role not in SIGNAL_ROLES:
        return Signal.objects.none()
    if user.role == Role.ADMIN:
        return live_signals()
    # An IN list of the user's districts, not EXISTS per row: the planner then reads only those districts' rows.
    return live_signals().filter(district__in=DistrictMembership.objects.filter(user=user).values("district"))


def visible_meetings(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(district__in=member_districts(user))


def visible_actions(user) -> QuerySet[Action]:
    return Action.objects.filter(signal__in=visible_signals(user))


def overdue_q(today: datetime.date | None = None) -> Q:
    """Open signals past the first-discussion deadline without a discussion, or past the next step's due date."""
    today = today or timezone.localdate()
    return Q(status__in=OPEN_STATUSES) & (
        Q(first_discussed_at__isnull=True, first_discussion_due__lt=today) | Q(next_step_due__lt=today)
    )


def agenda_signals(meeting: Meeting) -> QuerySet[Signal]:
    """The agenda builds itself: new and scheduled signals, and open signals whose next step falls due.

    Once the meeting is held, its agenda is what was discussed in it.
    """
    meeting_day = timezone.localdate(meeting.starts_at)
    # A subquery, not a join: joined, every signal of the district was read with its discussions and the rows
    # made distinct again by sorting them whole (8 ms, and 3 ms to plan, for a district of 2,500 signals).
    discussed = Q(pk__in=Discussion.objects.filter(meeting=meeting).values("signal_id"))
    due = Q(status__in=[Status.NEW, Status.SCHEDULED]) | Q(
        status__in=[Status.IN_PROGRESS, Status.MONITORING], next_step_due__lte=meeting_day
    )
    return (
        live_signals()
        .filter(district_id=meeting.district_id)
        .filter(discussed | due if meeting.state == Meeting.State.PLANNED else discussed)
        .annotate(pseudonym=F("resident__pseudonym"))  # of the resident only this: nothing is decrypted
        .prefetch_related("categories")
        .order_by("-urgency", "created_at")
    )


def next_meeting(district_id: int) -> Meeting | None:
    return (
        Meeting.objects.filter(district_id=district_id, starts_at__gte=timezone.now(), state=Meeting.State.PLANNED)
        .order_by("starts_at")
        .first()
    )


def district_members(district_id: int) -> QuerySet[User]:
    return User.objects.filter(memberships__district_id=district_id, is_active=True).order_by("first_name", "last_name")


def chairs_of(district_id: int) -> QuerySet[User]:
    return User.objects.filter(
        memberships__district_id=district_id, memberships__role=MembershipRole.CHAIR, is_active=True
    )
