"""Writes of the Zelfregiecentrum: counting, sessions and activities planned from their schedules, participants,
sign-ups with a waiting list, and expected visitors. Every write of personal data leaves an access-log row."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, PositiveIntegerField, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.models import Role
from meedoen.notifications.services import notify
from meedoen.privacy.audit import log_access, log_access_many
from meedoen.privacy.models import AccessAction
from zelfregie import schedule
from zelfregie.models import (
    Activity,
    CountCorrection,
    ExpectedVisitor,
    Location,
    Occurrence,
    Participant,
    Session,
    SignUp,
)
from zelfregie.selectors import closed_days, expected_since, is_host_of, location_hosts

PLAN_WEEKS = 8  # sessions and activity dates are planned this far ahead
MAX_VISITORS = 1000  # a sanity bound on a corrected count: a typo, not a crowd
ANNOUNCER_ROLES = frozenset({Role.BRIGADE_COORDINATOR, Role.BRIGADIER, Role.HOST, Role.ADMIN})


class CountAtZero(ValidationError):
    """−1 on a count that is already 0."""


class CountConflict(Exception):
    """The count changed (someone tapped) since the correction form was opened."""

    def __init__(self, current: Session):
        super().__init__("count changed")
        self.current = current


def _require_host(user, location_id: int) -> None:
    if not is_host_of(user, location_id):
        raise PermissionDenied


def _log(user, action, object_type: str, object_id, request=None) -> None:
    log_access(user=user, action=action, object_type=object_type, object_id=object_id, request=request)


# --- sessions and activity dates, planned ahead ---------------------------------------------------------------


@transaction.atomic
def sessions_plan(
    *, until: datetime.date, today: datetime.date | None = None, locations: list[Location] | None = None
) -> int:
    """Create the walk-in sessions of the active places (all, or the ones given) from today up to `until`: their
    weekly hours minus public holidays and closures. Idempotent (a unique key per place, date and time); later
    sessions follow the current hours, and those that no longer fit the schedule and hold no count are removed.
    Returns the number of sessions created."""
    today = today or timezone.localdate()
    places = Location.objects.filter(active=True).prefetch_related("walk_in_hours")
    existing = Session.objects.filter(date__range=(today, until))
    if locations is not None:
        places = places.filter(pk__in=[location.pk for location in locations])
        existing = existing.filter(location_id__in=[location.pk for location in locations])
    open_places = list(places)
    closed = closed_days([location.pk for location in open_places], today, until)
    wanted = {}
    for location in open_places:
        for hours in location.walk_in_hours.all():
            for day in schedule.weekday_dates(hours.weekday, today, until):
                if day not in closed[location.pk]:
                    wanted[(location.pk, day, hours.start_time)] = hours.end_time
    have = {
        (location_id, day, start): (pk, end, visitors)
        for pk, location_id, day, start, end, visitors in existing.values_list(
            "pk", "location_id", "date", "start_time", "end_time", "visitors"
        )
    }
    new = [
        Session(location_id=location_id, date=day, start_time=start, end_time=end)
        for (location_id, day, start), end in wanted.items()
        if (location_id, day, start) not in have
    ]
    Session.objects.bulk_create(new, ignore_conflicts=True)  # a second worker planning at the same time
    # Later sessions without a count follow the current hours, as activity dates follow their activity: one
    # UPDATE per end time. Those that no longer fit the schedule go.
    moved: dict[datetime.time, list[int]] = {}
    stale = []
    for key, (pk, end, visitors) in have.items():
        if key[1] <= today or visitors:
            continue
        if key not in wanted:
            stale.append(pk)
        elif wanted[key] != end:
            moved.setdefault(wanted[key], []).append(pk)
    for end, pks in moved.items():
        Session.objects.filter(pk__in=pks, visitors=0).update(end_time=end)
    Session.objects.filter(pk__in=stale, visitors=0).delete()
    return len(new)


@transaction.atomic
def occurrences_plan(
    *, until: datetime.date, today: datetime.date | None = None, activities: list[Activity] | None = None
) -> int:
    """Create the dates of the active activities from today up to `until`, skipping days the place is closed.
    Idempotent, like sessions_plan. Returns the number of dates created."""
    today = today or timezone.localdate()
    if activities is None:
        activities = list(Activity.objects.filter(active=True, location__active=True))
    closed = closed_days({activity.location_id for activity in activities}, today, until)
    wanted = {}
    for activity in activities:
        if not activity.active:
            continue
        for day in activity.dates(today, until):
            if day not in closed[activity.location_id]:
                wanted[(activity.pk, day)] = (activity.start_time, activity.end_time)
    existing = Occurrence.objects.filter(activity__in=[activity.pk for activity in activities], date__gte=today)
    have = {(activity_id, day): pk for pk, activity_id, day in existing.values_list("pk", "activity_id", "date")}
    new = [
        Occurrence(activity_id=activity_id, date=day, start_time=start, end_time=end)
        for (activity_id, day), (start, end) in wanted.items()
        if (activity_id, day) not in have
    ]
    Occurrence.objects.bulk_create(new, ignore_conflicts=True)
    # Later dates follow the activity's current times; dates that no longer fit and hold no attendance go.
    for activity in activities:
        existing.filter(activity=activity, date__gt=today, attendance__isnull=True).exclude(
            start_time=activity.start_time, end_time=activity.end_time
        ).update(start_time=activity.start_time, end_time=activity.end_time)
    stale = [pk for key, pk in have.items() if key not in wanted and key[1] > today]
    Occurrence.objects.filter(pk__in=stale, attendance__isnull=True).delete()
    return len(new)


@transaction.atomic
def location_replan(*, location: Location, today: datetime.date | None = None) -> None:
    """Plan one place's sessions and activity dates again after its hours or closures changed, so that the agenda
    and the calendar feed never show a walk-in or an activity on a day it is closed."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(weeks=PLAN_WEEKS)
    sessions_plan(until=until, today=today, locations=[location])
    if location.active:
        occurrences_plan(until=until, today=today, activities=list(location.activities.all()))


# --- counting at the door ------------------------------------------------------------------------------------

TAPS = {
    "plus": {"visitors": F("visitors") + 1},
    "new": {"visitors": F("visitors") + 1, "new_visitors": F("new_visitors") + 1},
    # Undo one visitor; when every visitor so far was new, the new count goes down with it (the check constraint
    # new_visitors <= visitors holds). PostgreSQL evaluates both expressions on the row before the update.
    "minus": {
        "visitors": F("visitors") - 1,
        "new_visitors": Case(
            When(new_visitors__gte=F("visitors"), then=F("new_visitors") - 1),
            default=F("new_visitors"),
            output_field=PositiveIntegerField(),
        ),
    },
}


def count_tap(*, session: Session, user, change: str) -> Session:
    """+1, "new visitor" or −1 on a session's count, as one conditional UPDATE: several hosts can tap at once
    without losing a count. Returns the session with the count after the tap."""
    _require_host(user, session.location_id)
    if change not in TAPS:
        raise ValidationError(_("Unknown count button."))
    if not session.can_tap():
        raise ValidationError(_("Counting at the door is for today's sessions; correct other days' counts instead."))
    rows = Session.objects.filter(pk=session.pk)
    if change == "minus":
        rows = rows.filter(visitors__gt=0)
    if not rows.update(**TAPS[change]):
        raise CountAtZero(_("The count is already 0."))
    return Session.objects.get(pk=session.pk)


@transaction.atomic
def count_correct(
    *,
    session: Session,
    user,
    visitors: int,
    new_visitors: int,
    reason: str,
    expected_visitors: int | None = None,
) -> CountCorrection | None:
    """Change a count afterwards, with the reason; the correction keeps who, when, and the count before."""
    _require_host(user, session.location_id)
    if not session.can_correct():
        raise ValidationError(_("A session's count can be corrected from the day of the session on."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the count changes.")})
    if not 0 <= new_visitors <= visitors <= MAX_VISITORS:
        raise ValidationError({"new_visitors": _("The new visitors are part of the total: at most the total.")})
    current = Session.objects.select_for_update().get(pk=session.pk)
    if expected_visitors is not None and current.visitors != expected_visitors:
        raise CountConflict(current)
    if (current.visitors, current.new_visitors) == (visitors, new_visitors):
        return None
    correction = CountCorrection.objects.create(
        session=current,
        by=user,
        visitors_before=current.visitors,
        new_visitors_before=current.new_visitors,
        visitors=visitors,
        new_visitors=new_visitors,
        reason=reason.strip(),
    )
    Session.objects.filter(pk=current.pk).update(visitors=visitors, new_visitors=new_visitors)
    return correction


# --- participants --------------------------------------------------------------------------------------------


def participant_retain_until(location: Location, today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + relativedelta(months=location.retention_months)


def consent_statement(location: Location, retain_until: datetime.date) -> str:
    """What a participant agrees to, in words; shown on the form and kept with the registration."""
    return _(
        "You register at %(place)s. We keep only a pseudonym, the first name or nickname you give, the activities "
        "you sign up for and the date of your consent; nothing else. We keep this until %(date)s and then delete "
        "it automatically. You can ask the hosts to delete it sooner at any time. You can also take part without "
        "registering."
    ) % {"place": location.name, "date": f"{retain_until:%d-%m-%Y}"}


@transaction.atomic
def participant_register(*, location: Location, user, first_name: str, consent: bool, request=None) -> Participant:
    """Register a participant, only with their explicit consent; the consent text and date are kept."""
    _require_host(user, location.pk)
    if not consent:
        raise ValidationError({"consent": _("Registering needs the participant's consent.")})
    retain_until = participant_retain_until(location)
    participant = Participant(
        location=location,
        first_name=first_name.strip(),
        consent_at=timezone.now(),
        consent_text=consent_statement(location, retain_until),
        retain_until=retain_until,
        registered_by=user,
    )
    participant.full_clean()
    participant.save()
    _log(user, AccessAction.CREATE, "participant", participant.pk, request)
    return participant


@transaction.atomic
def participant_delete(*, participant: Participant, user, request=None) -> list[SignUp]:
    """Delete a participant at their request. Places they held in activities go to the next on the waiting list."""
    _require_host(user, participant.location_id)
    _log(user, AccessAction.DELETE, "participant", participant.pk, request)
    return _delete_participants(Participant.objects.filter(pk=participant.pk))


def _delete_participants(participants) -> list[SignUp]:
    """Delete participants with their sign-ups; free places go to the waiting lists. The caller holds a transaction.

    The activities are locked first, in the order of their keys, and the sign-ups deleted after: the order in which
    signup_create, signup_cancel and activity_update take their locks. Deleting first would hold sign-up rows while
    waiting for an activity that a cancellation holds while it waits for one of those rows: a deadlock."""
    activities = list(
        Activity.objects.select_for_update()
        .filter(
            Q(pk__in=SignUp.objects.filter(participant__in=participants).values("activity_id"))
            | Q(organiser_participant__in=participants)  # deleting sets the organiser to NULL: a row lock too
        )
        .order_by("pk")
    )
    freed = set(
        SignUp.objects.filter(participant__in=participants, status=SignUp.Status.CONFIRMED).values_list(
            "activity_id", flat=True
        )
    )
    participants.delete()
    promoted = []
    for activity in activities:
        if activity.pk in freed:
            promoted += _promote(activity)
    return promoted


@transaction.atomic
def participants_delete_lapsed(*, now: datetime.datetime) -> int:
    """Delete participants whose registration lapsed: past the date they were promised when they registered.
    Idempotent: a second run finds nobody. Returns how many were deleted."""
    participants = list(
        Participant.objects.filter(retain_until__lt=timezone.localdate(now)).values_list("pk", flat=True)
    )
    # Deleted by the system, not by a user: logged without one.
    log_access_many(
        user=None, action=AccessAction.DELETE, object_type="participant", objects=[(pk, None) for pk in participants]
    )
    _delete_participants(Participant.objects.filter(pk__in=participants))
    return len(participants)


@transaction.atomic
def expected_visitors_forget(*, now: datetime.datetime) -> int:
    """Forget the first names of expected visitors announced more than EXPECTED_DAYS ago.

    The row itself stays without a name: the figure "referrals arrived" counts arrivals per period. The first name
    is claimed by a conditional UPDATE, so a second run changes nothing. Returns how many names were forgotten.
    """
    due = ExpectedVisitor.objects.filter(announced_at__lt=expected_since(now)).exclude(first_name="")
    ids = list(due.values_list("pk", flat=True))
    forgotten = ExpectedVisitor.objects.filter(pk__in=ids).exclude(first_name="").update(first_name="")
    log_access_many(
        user=None, action=AccessAction.DELETE, object_type="expected_visitor", objects=[(pk, None) for pk in ids]
    )
    return forgotten


# --- expected visitors ---------------------------------------------------------------------------------------


@transaction.atomic
def expected_visitor_announce(*, location: Location, first_name: str, consent: bool, announced_by) -> ExpectedVisitor:
    """Tell a place's hosts to expect someone (referred by the brigade): only a first name, only with the person's
    consent, which is recorded. The hosts get a notification without the name."""
    if announced_by.role not in ANNOUNCER_ROLES or not announced_by.is_active:
        raise PermissionDenied
    if announced_by.role == Role.HOST:
        _require_host(announced_by, location.pk)
    if not consent:
        raise ValidationError({"consent": _("Only with the resident's consent may the hosts know the first name.")})
    if not location.active:
        raise ValidationError({"location": _("This meeting place is closed.")})
    expected = ExpectedVisitor(
        location=location, first_name=first_name.strip(), consent_at=timezone.now(), announced_by=announced_by
    )
    expected.full_clean()
    expected.save()
    _log(announced_by, AccessAction.CREATE, "expected_visitor", expected.pk)
    for host in location_hosts(location.pk):
        notify(
            recipient=host,
            kind="expected_visitor",
            item=expected,
            subject=_("A visitor is expected at %(place)s") % {"place": location.name},
            body=_(
                "Someone who was referred to %(place)s may come by. The list of expected visitors has the first name."
            )
            % {"place": location.name},
            url=reverse("zelfregie:expected_list"),
        )
    return expected


@transaction.atomic
def expected_visitor_arrived(*, expected: ExpectedVisitor, user, request=None) -> bool:
    """Note that an expected visitor came. Returns False, and changes nothing, when a host already noted it."""
    _require_host(user, expected.location_id)
    noted = ExpectedVisitor.objects.filter(pk=expected.pk, arrived_at__isnull=True).update(
        arrived_at=timezone.now(), arrival_noted_by=user
    )
    if noted:
        _log(user, AccessAction.UPDATE, "expected_visitor", expected.pk, request)
    return bool(noted)


# --- activities, sign-ups and the waiting list ---------------------------------------------------------------

ACTIVITY_FIELDS = (
    "title",
    "description",
    "recurrence",
    "first_date",
    "last_date",
    "start_time",
    "end_time",
    "capacity",
    "signup_required",
    "public",
    "active",
)


def _set_organiser(activity: Activity, organiser) -> None:
    activity.organiser_host = activity.organiser_participant = None
    if isinstance(organiser, Participant):
        if organiser.location_id != activity.location_id:
            raise ValidationError({"organiser": _("Choose a participant of this meeting place.")})
        activity.organiser_participant = organiser
    elif organiser is not None:
        if not (organiser.role == Role.HOST and location_hosts(activity.location_id).filter(pk=organiser.pk).exists()):
            raise ValidationError({"organiser": _("Choose a host of this meeting place.")})
        activity.organiser_host = organiser


def _plan_activity(activity: Activity) -> None:
    today = timezone.localdate()
    occurrences_plan(until=today + datetime.timedelta(weeks=PLAN_WEEKS), today=today, activities=[activity])


@transaction.atomic
def activity_create(*, user, location: Location, organiser=None, request=None, **fields) -> Activity:
    _require_host(user, location.pk)
    activity = Activity(location=location, **{name: fields[name] for name in ACTIVITY_FIELDS if name in fields})
    _set_organiser(activity, organiser)
    activity.full_clean()
    activity.save()
    _plan_activity(activity)
    _log(user, AccessAction.CREATE, "activity", activity.pk, request)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, user, organiser=None, request=None, **fields) -> list[SignUp]:
    """Change an activity; its later dates follow. More places move people up from the waiting list."""
    _require_host(user, activity.location_id)
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    for name in ACTIVITY_FIELDS:
        if name in fields:
            setattr(current, name, fields[name])
    _set_organiser(current, organiser)
    current.full_clean()
    current.save()
    _plan_activity(current)
    _log(user, AccessAction.UPDATE, "activity", current.pk, request)
    return _promote(current)


def _confirmed(activity: Activity) -> int:
    return activity.signups.filter(status=SignUp.Status.CONFIRMED).count()


def _promote(activity: Activity) -> list[SignUp]:
    """Give free places to the longest waiting, in order. The caller holds the activity's row lock."""
    free = None if activity.capacity is None else activity.capacity - _confirmed(activity)
    waiting = (
        activity.signups.filter(status=SignUp.Status.WAITING)
        .select_related("participant", "activity")  # the caller names who moved up, and where
        .order_by("created_at", "pk")
    )
    promoted = list(waiting if free is None else waiting[: max(free, 0)])
    SignUp.objects.filter(pk__in=[signup.pk for signup in promoted]).update(status=SignUp.Status.CONFIRMED)
    for signup in promoted:
        signup.status = SignUp.Status.CONFIRMED
    return promoted


@transaction.atomic
def signup_create(*, activity: Activity, participant: Participant, user, request=None) -> SignUp:
    """Sign a participant up; when the activity is full they go on the waiting list."""
    _require_host(user, activity.location_id)
    current = Activity.objects.select_for_update().get(pk=activity.pk)  # one sign-up at a time per activity
    if participant.location_id != current.location_id:
        raise ValidationError({"participant": _("Choose a participant of this meeting place.")})
    if not current.signup_required or not current.active:
        raise ValidationError(_("This activity has no sign-up."))
    if current.signups.filter(participant=participant).exclude(status=SignUp.Status.CANCELLED).exists():
        raise ValidationError({"participant": _("%(name)s is already signed up or waiting.") % {"name": participant}})
    full = current.capacity is not None and _confirmed(current) >= current.capacity
    signup = SignUp.objects.create(
        activity=current,
        participant=participant,
        status=SignUp.Status.WAITING if full else SignUp.Status.CONFIRMED,
        by=user,
    )
    _log(user, AccessAction.UPDATE, "participant", participant.pk, request)
    return signup


@transaction.atomic
def signup_cancel(*, signup: SignUp, user, request=None) -> list[SignUp]:
    """Cancel a sign-up; a place that comes free goes to the first on the waiting list. Returns who moved up."""
    _require_host(user, signup.activity.location_id)
    activity = Activity.objects.select_for_update().get(pk=signup.activity_id)
    cancelled = SignUp.objects.filter(pk=signup.pk).exclude(status=SignUp.Status.CANCELLED)
    if not cancelled.update(status=SignUp.Status.CANCELLED, cancelled_at=timezone.now()):
        return []
    _log(user, AccessAction.UPDATE, "participant", signup.participant_id, request)
    return _promote(activity)


@transaction.atomic
def attendance_set(*, occurrence: Occurrence, user, attendance: int) -> Occurrence:
    """How many took part in one date of an activity: an anonymous number, with who noted it and when."""
    _require_host(user, occurrence.activity.location_id)
    if occurrence.date > timezone.localdate():
        raise ValidationError({"attendance": _("Attendance can be noted from the day itself on.")})
    if not 0 <= attendance <= MAX_VISITORS:
        raise ValidationError({"attendance": _("Give a number between 0 and %(max)s.") % {"max": MAX_VISITORS}})
    occurrence.attendance = attendance
    occurrence.attendance_noted_by = user
    occurrence.attendance_noted_at = timezone.now()
    occurrence.save(update_fields=["attendance", "attendance_noted_by", "attendance_noted_at"])
    return occurrence
