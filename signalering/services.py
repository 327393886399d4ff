"""Writes of the signaleringsoverleg: every change to a signal goes through here, leaves a timeline event and an
access-log row, and checks the signal's version so that a stale form never overwrites a newer change."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.models import District
from meedoen.core.workdays import add_working_days
from meedoen.privacy.audit import log_access, log_access_many
from meedoen.privacy.models import AccessAction, Resident
from meedoen.privacy.services import resident_find_or_create
from signalering.models import Action, ConcernCategory, Discussion, Event, Meeting, MeetingSeries, Signal
from signalering.selectors import district_members, is_chair_of, member_districts
from signalering.workflow import Outcome, Status, can_transition, is_reopening


class SignalConflict(Exception):
    """Someone else saved the signal since the form was opened."""

    def __init__(self, current: Signal):
        super().__init__("stale version")
        self.current = current


def _series(district: District) -> MeetingSeries | None:
    return MeetingSeries.objects.filter(district=district).first()


def _log(user, action, signal: Signal, request=None) -> None:
    log_access(
        user=user,
        action=action,
        object_type="signal",
        object_id=signal.pk,
        resident=signal.resident_id,
        request=request,
    )


def _event(signal: Signal, actor, kind: str, text: str = "", **data) -> Event:
    return Event.objects.create(signal=signal, actor=actor, kind=kind, text=text, data=data)


def _require_live(signal: Signal) -> None:
    if signal.anonymised_at is not None:
        raise ValidationError(_("This signal was anonymised after its retention period; it cannot be changed."))


def _locked(signal: Signal, expected_version: int | None) -> Signal:
    current = Signal.objects.select_for_update().get(pk=signal.pk)
    _require_live(current)
    if expected_version is not None and current.version != expected_version:
        raise SignalConflict(current)
    return current


def _require_member(user, district_id: int) -> None:
    if not member_districts(user).filter(pk=district_id).exists():
        raise PermissionDenied


def _require_member_of(district_id: int, user, field: str) -> None:
    if user is not None and not district_members(district_id).filter(pk=user.pk).exists():
        raise ValidationError({field: _("Choose someone who takes part in this district's meeting.")})


@transaction.atomic
def signal_create(
    *,
    reporter,
    district: District,
    neighbourhood,
    categories: list[ConcernCategory],
    urgency: int,
    description: str,
    legal_basis: str,
    resident_informed: str,
    resident: Resident | None = None,
    new_resident: dict | None = None,
    request=None,
) -> Signal:
    """Record a signal about `resident`, or about the person `new_resident` describes (name and date of birth, or
    only an address): linked to the resident already known by them, else a new one."""
    _require_member(reporter, district.pk)
    if reporter.organisation_id is None:
        raise ValidationError(_("Your account has no organisation; ask the administrator to add it."))
    if new_resident:
        resident = resident_find_or_create(created_by=reporter, request=request, **new_resident)
    today = timezone.localdate()
    signal = Signal(
        district=district,
        neighbourhood=neighbourhood,
        urgency=urgency,
        description=description,
        resident=resident,
        reporter=reporter,
        source_organisation_id=reporter.organisation_id,
        legal_basis=legal_basis,
        resident_informed=resident_informed,
        first_discussion_due=Signal.first_discussion_deadline(today, _series(district)),
    )
    if neighbourhood.district_id != district.pk:
        raise ValidationError({"neighbourhood": _("This neighbourhood is not in the chosen district.")})
    if not categories:
        raise ValidationError({"categories": _("Choose at least one concern.")})
    signal.full_clean()
    signal.save()
    signal.categories.set(categories)
    _event(signal, reporter, Event.Kind.REPORTED, urgency=urgency)
    _log(reporter, AccessAction.CREATE, signal, request)
    if urgency == Signal.Urgency.URGENT:
        from signalering.tasks import notify_urgent_signal

        transaction.on_commit(lambda: notify_urgent_signal.delay(signal.pk), robust=True)
    return signal


@transaction.atomic
def signal_transition(
    *,
    signal: Signal,
    user,
    target: str,
    expected_version: int | None,
    outcome: str = "",
    reason: str = "",
    request=None,
    system: bool = False,
) -> Signal:
    """Move a signal to another status along the transition table. Closing needs an outcome, reopening a reason."""
    if not system:
        _require_member(user, signal.district_id)
    current = _locked(signal, expected_version)
    if target == current.status:
        return current
    if not can_transition(current.status, target):
        raise ValidationError(
            _("A signal cannot go from “%(current)s” to “%(target)s”.")
            % {"current": Status(current.status).label, "target": Status(target).label}
        )
    if target == Status.CLOSED:
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": _("Choose an outcome to close the signal.")})
        current.outcome = outcome
        current.closed_at = timezone.now()
        current.next_step, current.next_step_due = "", None
    if is_reopening(current.status, target):
        if not reason.strip():
            raise ValidationError({"reason": _("Give a reason for reopening the signal.")})
        current.outcome = ""
        current.closed_at = None
    previous = current.status
    current.status = target
    current.version += 1
    current.full_clean()
    current.save()
    _event(current, None if system else user, Event.Kind.STATUS, reason, old=previous, new=target, outcome=outcome)
    if not system:
        _log(user, AccessAction.UPDATE, current, request)
    return current


@transaction.atomic
def signal_update(
    *,
    signal: Signal,
    user,
    expected_version: int | None,
    lead=None,
    next_step: str | None = None,
    next_step_due: datetime.date | None = None,
    request=None,
) -> Signal:
    """Change the lead professional and/or the next step with its due date."""
    _require_member(user, signal.district_id)
    current = _locked(signal, expected_version)
    changed = False
    if lead is not None and lead.pk != current.lead_id:
        _require_member_of(current.district_id, lead, "lead")
        current.lead = lead
        _event(current, user, Event.Kind.LEAD, str(lead), user_id=lead.pk)
        changed = True
    if next_step is not None and (next_step, next_step_due) != (current.next_step, current.next_step_due):
        if next_step and next_step_due is None:
            raise ValidationError({"next_step_due": _("Give the next step a due date.")})
        current.next_step, current.next_step_due = next_step, next_step_due
        _event(current, user, Event.Kind.NEXT_STEP, next_step, due=next_step_due.isoformat() if next_step_due else "")
        changed = True
    if changed:
        current.version += 1
        current.full_clean()
        current.save()
        _log(user, AccessAction.UPDATE, current, request)
    return current


@transaction.atomic
def signal_add_note(*, signal: Signal, user, text: str, request=None) -> Event:
    _require_member(user, signal.district_id)
    _require_live(signal)
    if not text.strip():
        raise ValidationError({"text": _("Write a note first.")})
    event = _event(signal, user, Event.Kind.NOTE, text.strip())
    _log(user, AccessAction.UPDATE, signal, request)
    return event


@transaction.atomic
def action_create(
    *, signal: Signal, user, description: str, owner, due: datetime.date, discussion=None, request=None
) -> Action:
    _require_member(user, signal.district_id)
    _require_live(signal)
    _require_member_of(signal.district_id, owner, "owner")
    action = Action(
        signal=signal, discussion=discussion, description=description, owner=owner, due=due, created_by=user
    )
    action.full_clean()
    action.save()
    _event(signal, user, Event.Kind.ACTION, description, owner=str(owner), due=due.isoformat(), action=action.pk)
    _log(user, AccessAction.UPDATE, signal, request)
    return action


@transaction.atomic
def action_complete(*, action: Action, user, request=None) -> Action:
    _require_member(user, action.signal.district_id)
    if action.done_at is None:
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        _event(action.signal, user, Event.Kind.ACTION_DONE, action.description, action=action.pk)
        _log(user, AccessAction.UPDATE, action.signal, request)
    return action


@transaction.atomic
def discussion_save(
    *,
    meeting: Meeting,
    signal: Signal,
    user,
    expected_version: int | None,
    notes: str,
    decision: str,
    status: str | None = None,
    outcome: str = "",
    lead=None,
    next_step: str = "",
    next_step_due: datetime.date | None = None,
    new_action: dict | None = None,
    request=None,
) -> Discussion:
    """The chair records one agenda item: notes, decision, lead, next step, status and a new action, at once."""
    if not is_chair_of(user, meeting.district_id):
        raise PermissionDenied
    if signal.district_id != meeting.district_id:
        raise PermissionDenied
    current = _locked(signal, expected_version)
    discussion, created = Discussion.objects.get_or_create(
        meeting=meeting, signal=current, defaults={"created_by": user}
    )
    if created:
        _event(current, user, Event.Kind.DISCUSSED, meeting=meeting.pk)
        if current.first_discussed_at is None:
            current.record_first_discussion(meeting.starts_at)
            current.save(update_fields=["first_discussed_at", "first_discussion_working_days"])
    if (notes, decision) != (discussion.notes, discussion.decision):
        if decision and decision != discussion.decision:
            _event(current, user, Event.Kind.DECISION, decision, meeting=meeting.pk)
        discussion.notes, discussion.decision = notes, decision
        discussion.save()
    meeting_day = timezone.localdate(meeting.starts_at)
    if status in (Status.IN_PROGRESS, Status.MONITORING) and (not next_step_due or next_step_due <= meeting_day):
        # Nothing new planned: the signal comes back on the agenda after the district's follow-up interval.
        series = _series(meeting.district)
        days = series.follow_up_days if series else MeetingSeries._meta.get_field("follow_up_days").default
        next_step = next_step or _("Follow-up in the meeting")
        next_step_due = add_working_days(meeting_day, days)
    current = signal_update(
        signal=current, user=user, expected_version=None, lead=lead, next_step=next_step, next_step_due=next_step_due
    )
    if new_action:
        action_create(signal=current, user=user, discussion=discussion, request=request, **new_action)
    if status and status != current.status:
        current = signal_transition(
            signal=current, user=user, target=status, expected_version=None, outcome=outcome, request=request
        )
    else:
        _log(user, AccessAction.UPDATE, current, request)
    # Saving the item changes the signal even when only the notes changed: a stale second form must notice.
    Signal.objects.filter(pk=current.pk).update(version=current.version + 1)
    return discussion


@transaction.atomic
def meetings_plan(*, until: datetime.date, today: datetime.date | None = None) -> int:
    """Create the meetings of every district's schedule up to `until`. Idempotent."""
    today = today or timezone.localdate()
    created = 0
    for series in MeetingSeries.objects.select_related("district"):
        for day in series.meeting_dates(today, until):
            starts_at = timezone.make_aware(datetime.datetime.combine(day, series.start_time))
            _, new = Meeting.objects.get_or_create(
                district=series.district, starts_at=starts_at, defaults={"location": series.location}
            )
            created += new
    return created


@transaction.atomic
def meeting_schedule_agenda(*, meeting: Meeting) -> list[Signal]:
    """Put the new signals of the meeting's agenda on it (nieuw → geagendeerd). Idempotent."""
    from signalering.selectors import agenda_signals

    scheduled = []
    for signal in agenda_signals(meeting).filter(status=Status.NEW):
        scheduled.append(
            signal_transition(signal=signal, user=None, target=Status.SCHEDULED, expected_version=None, system=True)
        )
    Meeting.objects.filter(pk=meeting.pk, agenda_sent_at__isnull=True).update(agenda_sent_at=timezone.now())
    return scheduled


@transaction.atomic
def meeting_finish(*, meeting: Meeting, user, minutes: str, request=None) -> Meeting:
    if not is_chair_of(user, meeting.district_id):
        raise PermissionDenied
    if meeting.state != Meeting.State.PLANNED:
        raise ValidationError(_("This meeting is closed already; its minutes are kept as they were."))
    meeting.minutes = minutes
    meeting.state = Meeting.State.HELD
    meeting.full_clean()
    meeting.save()
    log_access(user=user, action=AccessAction.UPDATE, object_type="meeting", object_id=meeting.pk, request=request)
    return meeting


# --- retention -----------------------------------------------------------------------------------------------


@transaction.atomic
def signal_anonymise(
    *, signal_id: int, now: datetime.datetime, closed_before: datetime.datetime | None = None, user=None
) -> bool:
    """Remove a closed signal's personal content and its link to the resident; keep what the figures count.

    Kept: district, categories, urgency, dates and deadlines, status and outcome, source organisation and legal
    basis, reporter and lead, the timeline's kinds and dates. Gone: the description, the next step, the
    neighbourhood, the resident, the notes and decisions of its discussions, its actions' texts and every text on
    its timeline. Only a closed signal (closed before `closed_before`, when given) is claimed, so a signal that was
    reopened meanwhile or that another run already did is left alone. Returns whether this call anonymised it.
    """
    due = Signal.objects.filter(pk=signal_id, status=Status.CLOSED, anonymised_at__isnull=True)
    if closed_before is not None:
        due = due.filter(closed_at__lt=closed_before)
    claimed = due.select_for_update().values_list("resident_id", flat=True)
    if not claimed:
        return False
    resident_id = claimed[0]
    due.update(
        anonymised_at=now,
        description="",
        next_step="",
        next_step_due=None,
        neighbourhood=None,
        resident=None,
        version=F("version") + 1,
    )
    Discussion.objects.filter(signal_id=signal_id).update(notes="", decision="")
    Action.objects.filter(signal_id=signal_id).update(description="")
    Event.objects.filter(signal_id=signal_id).update(text="")
    log_access_many(user=user, action=AccessAction.DELETE, object_type="signal", objects=[(signal_id, resident_id)])
    return True
