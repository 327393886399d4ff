"""Writes of the Vliegende Brigade. A visit request moves along brigade/workflow.py; every change leaves an
access-log row, and what the source needs to know goes back to the signal's timeline."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brigade.models import (
    ACTIVE_ASSIGNMENT,
    Assignment,
    AssignmentStatus,
    Brigadier,
    Contact,
    VisitRequest,
)
from brigade.selectors import COORDINATION_ROLES, REQUESTING_ROLES
from brigade.workflow import OPEN_STATUSES, REFERRED_ON, Referral, RequestStatus, can_transition
from meedoen.notifications.services import notify
from meedoen.privacy.audit import log_access, log_access_many
from meedoen.privacy.models import AccessAction, Resident
from meedoen.privacy.services import resident_find_or_create
from signalering.models import Event
from signalering.selectors import visible_signals
from zelfregie.services import expected_visitor_announce

MAX_BRIGADIERS_PER_REQUEST = 2


class CapacityError(ValidationError):
    """The brigadier has no free place."""


def _log(user, action, visit_request: VisitRequest, request=None) -> None:
    log_access(
        user=user,
        action=action,
        object_type="visit_request",
        object_id=visit_request.pk,
        resident=visit_request.resident_id,
        request=request,
    )


def _require_coordinator(user) -> None:
    if user.role not in COORDINATION_ROLES:
        raise PermissionDenied


def _move(visit_request: VisitRequest, target: str) -> None:
    if visit_request.status == target:
        return
    if not can_transition(visit_request.status, target):
        raise ValidationError(
            _("A visit request cannot go from “%(current)s” to “%(target)s”.")
            % {"current": RequestStatus(visit_request.status).label, "target": RequestStatus(target).label}
        )
    visit_request.status = target


def _to_signal(visit_request: VisitRequest, actor, text: str) -> None:
    """Tell the signal's timeline, when the request came from a signal."""
    if visit_request.signal_id:
        Event.objects.create(
            signal_id=visit_request.signal_id,
            actor=actor,
            kind=Event.Kind.BRIGADE,
            text=text,
            data={"visit_request": visit_request.pk},
        )


@transaction.atomic
def visit_request_create(
    *,
    requested_by,
    resident,
    district,
    question: str,
    urgency: int = VisitRequest.Urgency.NORMAL,
    preferred_gender: str = "",
    preferred_language: str = "",
    preferred_expertise=(),
    signal=None,
    new_resident: dict | None = None,
    request=None,
) -> VisitRequest:
    """A request from a signal (resident and district come from it), or direct for `resident` or the person that
    `new_resident` describes (found by name and date of birth if already known)."""
    if requested_by.role not in REQUESTING_ROLES | COORDINATION_ROLES:
        raise PermissionDenied
    if signal is not None:
        if not visible_signals(requested_by).filter(pk=signal.pk).exists():
            raise PermissionDenied
        if signal.resident_id is None:
            raise ValidationError(_("This signal has no known resident yet; the brigade needs someone to visit."))
        resident, district = signal.resident, signal.district
    elif new_resident:
        resident = resident_find_or_create(created_by=requested_by, request=request, **new_resident)
    visit_request = VisitRequest(
        resident=resident,
        district=district,
        signal=signal,
        question=question,
        urgency=urgency,
        preferred_gender=preferred_gender,
        preferred_language=preferred_language,
        requested_by=requested_by,
    )
    visit_request.full_clean()
    visit_request.save()
    visit_request.preferred_expertise.set(preferred_expertise)
    _to_signal(
        visit_request,
        requested_by,
        _("Visit by the Vliegende Brigade requested (%(number)s).") % {"number": visit_request.number},
    )
    _log(requested_by, AccessAction.CREATE, visit_request, request)
    return visit_request


@transaction.atomic
def assignment_create(*, visit_request: VisitRequest, brigadier: Brigadier, assigned_by, request=None) -> Assignment:
    """Assign a brigadier. The brigadier's row is locked first, so that two coordinators assigning at the same
    moment are served one after the other and nobody exceeds their maximum."""
    _require_coordinator(assigned_by)
    locked = Brigadier.objects.select_for_update().get(pk=brigadier.pk)
    current = VisitRequest.objects.select_for_update().get(pk=visit_request.pk)
    if current.status not in OPEN_STATUSES:
        raise ValidationError(_("This visit request is closed; nobody can be assigned to it any more."))
    if not locked.active:
        raise ValidationError(_("%(name)s is paused.") % {"name": locked})
    load = Assignment.objects.filter(brigadier=locked, status__in=ACTIVE_ASSIGNMENT).count()
    if load >= locked.max_active:
        raise CapacityError(
            _("%(name)s already has %(count)d active assignments, the maximum.") % {"name": locked, "count": load}
        )
    active_on_request = current.assignments.filter(status__in=ACTIVE_ASSIGNMENT)
    if active_on_request.filter(brigadier=locked).exists():
        raise ValidationError(_("%(name)s is already assigned to this request.") % {"name": locked})
    if active_on_request.count() >= MAX_BRIGADIERS_PER_REQUEST:
        raise ValidationError(_("A request gets at most two brigadiers."))
    _move(current, RequestStatus.ASSIGNED if current.status == RequestStatus.NEW else current.status)
    current.save(update_fields=["status"])
    assignment = Assignment.objects.create(request=current, brigadier=locked, assigned_by=assigned_by)
    _log(assigned_by, AccessAction.UPDATE, current, request)
    from brigade.tasks import notify_new_assignment

    transaction.on_commit(lambda: notify_new_assignment.delay(assignment.pk), robust=True)
    return assignment


@transaction.atomic
def assignment_respond(*, assignment: Assignment, user, accept: bool, reason: str = "", request=None) -> Assignment:
    if assignment.brigadier.user_id != user.pk:
        raise PermissionDenied
    current = Assignment.objects.select_for_update().select_related("request").get(pk=assignment.pk)
    if current.status != AssignmentStatus.PROPOSED:
        raise ValidationError(_("This assignment was answered already."))
    current.status = AssignmentStatus.ACCEPTED if accept else AssignmentStatus.DECLINED
    current.responded_at = timezone.now()
    current.decline_reason = "" if accept else reason
    current.save()
    visit_request = current.request
    if not accept and not visit_request.assignments.filter(status__in=ACTIVE_ASSIGNMENT).exists():
        _move(visit_request, RequestStatus.NEW)  # back in the queue
        visit_request.save(update_fields=["status"])
    _log(user, AccessAction.UPDATE, visit_request, request)
    return current


@transaction.atomic
def contact_log(
    *, assignment: Assignment, user, date, kind: str, duration_minutes: int, note: str = "", request=None
) -> Contact:
    if assignment.brigadier.user_id != user.pk:
        raise PermissionDenied
    # Lock and look again: a cancel or a close may have ended the assignment since the page was opened.
    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("request", "brigadier").get(pk=assignment.pk)
    )
    if assignment.status not in ACTIVE_ASSIGNMENT or assignment.request.status not in OPEN_STATUSES:
        raise ValidationError(_("This assignment is no longer active."))
    if date > timezone.localdate():
        raise ValidationError({"date": _("A contact cannot be in the future.")})
    if assignment.status == AssignmentStatus.PROPOSED:  # logging a contact is accepting in practice
        assignment.status, assignment.responded_at = AssignmentStatus.ACCEPTED, timezone.now()
        assignment.save(update_fields=["status", "responded_at"])
    contact = Contact(
        request=assignment.request,
        brigadier=assignment.brigadier,
        date=date,
        kind=kind,
        duration_minutes=duration_minutes,
        note=note,
    )
    contact.full_clean()
    contact.save()
    visit_request = VisitRequest.objects.select_for_update().get(pk=assignment.request_id)
    if kind != Contact.Kind.NO_ANSWER:  # a closed door is not yet contact
        if visit_request.status == RequestStatus.ASSIGNED:
            _move(visit_request, RequestStatus.IN_CONTACT)
        if visit_request.first_contact_at is None or visit_request.first_contact_at.date() > date:
            visit_request.first_contact_at = timezone.make_aware(datetime.datetime.combine(date, datetime.time(12)))
    visit_request.save(update_fields=["status", "first_contact_at"])
    _log(user, AccessAction.UPDATE, visit_request, request)
    return contact


@transaction.atomic
def visit_request_close(
    *,
    visit_request: VisitRequest,
    user,
    referral: str,
    outcome_note: str = "",
    location=None,
    first_name: str = "",
    request=None,
) -> VisitRequest:
    """Finish with an outcome and referral; the source hears of it on the signal's timeline and by notification.

    A referral to a meeting place with a first name (given with the resident's consent) tells its hosts to expect
    the resident; without a first name nothing about the person goes to the place.
    """
    current = VisitRequest.objects.select_for_update().get(pk=visit_request.pk)
    assigned = current.assignments.filter(status__in=ACTIVE_ASSIGNMENT, brigadier__user=user).exists()
    if not assigned and user.role not in COORDINATION_ROLES:
        raise PermissionDenied
    if referral not in Referral.values:
        raise ValidationError({"referral": _("Choose the outcome and referral.")})
    if referral in REFERRED_ON and current.first_contact_at is None:
        raise ValidationError({"referral": _("A referral needs contact with the resident; log the contact first.")})
    _move(current, RequestStatus.DONE)
    current.referral, current.outcome_note, current.closed_at = referral, outcome_note, timezone.now()
    current.full_clean()
    current.save()
    current.assignments.filter(status__in=ACTIVE_ASSIGNMENT).update(status=AssignmentStatus.ENDED)
    if referral == Referral.ZELFREGIE and location is not None and first_name:
        expected_visitor_announce(location=location, first_name=first_name, consent=True, announced_by=user)
    label = Referral(referral).label
    _to_signal(current, user, _("Vliegende Brigade finished: %(outcome)s.") % {"outcome": label})
    notify(
        recipient=current.requested_by,
        kind="visit_request_done",
        item=current,
        subject=_("Visit request %(number)s is finished") % {"number": current.number},
        body=_("The Vliegende Brigade finished the visit request: %(outcome)s.") % {"outcome": label},
        url=reverse("brigade:request", args=[current.pk]),
    )
    _log(user, AccessAction.UPDATE, current, request)
    return current


@transaction.atomic
def visit_request_cancel(*, visit_request: VisitRequest, user, reason: str, request=None) -> VisitRequest:
    if user.role not in COORDINATION_ROLES and visit_request.requested_by_id != user.pk:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for cancelling.")})
    current = VisitRequest.objects.select_for_update().get(pk=visit_request.pk)
    _move(current, RequestStatus.CANCELLED)
    current.outcome_note, current.closed_at = reason, timezone.now()
    current.save()
    current.assignments.filter(status__in=ACTIVE_ASSIGNMENT).update(status=AssignmentStatus.ENDED)
    _to_signal(
        current,
        user,
        _("Visit request %(number)s cancelled: %(reason)s") % {"number": current.number, "reason": reason},
    )
    _log(user, AccessAction.UPDATE, current, request)
    return current


@transaction.atomic
def assessment_record(
    *, visit_request: VisitRequest, user, to_assessment: bool, decision: str = "", request=None
) -> VisitRequest:
    """Put a request on the coordinators' weekly assessment list, or record the decision taken there."""
    _require_coordinator(user)
    current = VisitRequest.objects.select_for_update().get(pk=visit_request.pk)
    if current.status not in (RequestStatus.NEW, RequestStatus.ASSIGNED):
        raise ValidationError(_("Only a request that is not yet in contact can go to the assessment."))
    if to_assessment:
        current.needs_assessment = True
    else:
        if not decision.strip():
            raise ValidationError({"decision": _("Write down the decision.")})
        current.needs_assessment, current.assessment_decision = False, decision
        current.assessed_at, current.assessed_by = timezone.now(), user
    current.save()
    _log(user, AccessAction.UPDATE, current, request)
    return current


@transaction.atomic
def brigadier_set_active(*, brigadier: Brigadier, user, active: bool) -> Brigadier:
    _require_coordinator(user)
    brigadier.active = active
    brigadier.save(update_fields=["active"])
    return brigadier


# --- retention -----------------------------------------------------------------------------------------------


@transaction.atomic
def visit_requests_anonymise(
    *, resident_id: int, now: datetime.datetime, closed_before: datetime.datetime | None = None, user=None
) -> int:
    """Anonymise all of a resident's visit requests at once, with their assignments and contacts.

    All at once, because the figure "residents visited" counts distinct residents: the requests move together to
    one new, empty resident (a pseudonym without identifying data), so they still count as one person while nothing
    links them to the resident any more. Kept: district, signal, urgency, status, referral, dates, assessment date,
    who asked and who was assigned, the contacts' dates, kinds and durations. Gone: the question, the preferences,
    the wanted expertise, the outcome note, the assessment decision, reasons for declining and contact notes.

    Nothing happens unless every request of the resident is finished or cancelled (and, with `closed_before`,
    closed before it): a request still open, or closed recently, keeps the others. Returns how many requests
    this call anonymised.
    """
    requests = list(
        VisitRequest.objects.select_for_update()
        .filter(resident_id=resident_id, anonymised_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "status", "closed_at")
    )

    def due(status, closed_at) -> bool:
        if status in OPEN_STATUSES or closed_at is None:
            return False
        return closed_before is None or closed_at < closed_before

    if not requests or not all(due(status, closed_at) for _pk, status, closed_at in requests):
        return 0
    ids = [pk for pk, _status, _closed in requests]
    stand_in = Resident.objects.create(anonymised_at=now)
    claimed = VisitRequest.objects.filter(pk__in=ids, anonymised_at__isnull=True).update(
        anonymised_at=now,
        resident=stand_in,
        question="",
        preferred_gender="",
        preferred_language="",
        outcome_note="",
        assessment_decision="",
    )
    VisitRequest.preferred_expertise.through.objects.filter(visitrequest_id__in=ids).delete()
    Assignment.objects.filter(request_id__in=ids).update(decline_reason="")
    Contact.objects.filter(request_id__in=ids).update(note="")
    log_access_many(
        user=user, action=AccessAction.DELETE, object_type="visit_request", objects=[(pk, resident_id) for pk in ids]
    )
    return claimed
