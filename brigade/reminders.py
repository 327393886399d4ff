"""Brigade reminders, derived from the database: running twice sends nothing twice (see notify)."""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brigade.models import (
    ACTIVE_ASSIGNMENT,
    Assignment,
    AssignmentStatus,
    BrigadeSettings,
    Contact,
    VisitRequest,
)
from brigade.selectors import coordinators, refreshers_due
from brigade.workflow import RequestStatus
from meedoen.core.workdays import add_working_days
from meedoen.notifications.services import notify


def _url(visit_request_id: int) -> str:
    return reverse("brigade:request", args=[visit_request_id])


def new_assignment_notices(*, assignment_ids: list[int] | None = None) -> int:
    """Tell brigadiers about assignments waiting for their answer; the sweep re-finds lost messages."""
    assignments = Assignment.objects.filter(status=AssignmentStatus.PROPOSED).select_related(
        "brigadier__user", "request"
    )
    if assignment_ids is not None:
        assignments = assignments.filter(pk__in=assignment_ids)
    sent = 0
    for assignment in assignments:
        sent += bool(
            notify(
                recipient=assignment.brigadier.user,
                kind="new_assignment",
                item=assignment,
                subject=_("New assignment %(number)s") % {"number": assignment.request.number},
                body=_("The coordinator asks you to visit a resident. Open the assignment to accept or decline."),
                url=reverse("brigade:assignment", args=[assignment.pk]),
                day=timezone.localdate(assignment.assigned_at),  # once per assignment
            )
        )
    return sent


def contact_overdue_notices(*, today: datetime.date | None = None) -> int:
    """No contact logged within N working days of the assignment: remind the brigadier and the coordinators."""
    today = today or timezone.localdate()
    days = BrigadeSettings.current().contact_within_days
    no_contact = ~Exists(Contact.objects.filter(request=OuterRef("request"), brigadier=OuterRef("brigadier")))
    assignments = (
        Assignment.objects.filter(status__in=ACTIVE_ASSIGNMENT)
        .filter(no_contact)
        .select_related("brigadier__user", "request")
    )
    sent = 0
    for assignment in assignments:
        due = add_working_days(timezone.localdate(assignment.assigned_at), days)
        if due >= today:
            continue
        subject = _("No contact logged yet for %(number)s") % {"number": assignment.request.number}
        body = _("%(name)s was assigned on %(date)s and has not logged a contact yet.") % {
            "name": assignment.brigadier,
            "date": f"{assignment.assigned_at:%d-%m-%Y}",
        }
        for recipient in [assignment.brigadier.user, *coordinators()]:
            sent += bool(
                notify(
                    recipient=recipient,
                    kind="contact_overdue",
                    item=assignment,
                    subject=subject,
                    body=body,
                    url=_url(assignment.request_id),
                    day=due,  # once per assignment
                )
            )
    return sent


def unassigned_notices(*, today: datetime.date | None = None) -> int:
    """A request without a brigadier for N working days: remind the coordinators, once."""
    today = today or timezone.localdate()
    days = BrigadeSettings.current().unassigned_reminder_days
    sent = 0
    for visit_request in VisitRequest.objects.filter(status=RequestStatus.NEW):
        due = add_working_days(timezone.localdate(visit_request.created_at), days)
        if due >= today:
            continue
        for coordinator in coordinators():
            sent += bool(
                notify(
                    recipient=coordinator,
                    kind="request_unassigned",
                    item=visit_request,
                    subject=_("Visit request %(number)s still has no brigadier") % {"number": visit_request.number},
                    body=_("This request has been waiting since %(date)s.")
                    % {"date": f"{visit_request.created_at:%d-%m-%Y}"},
                    url=_url(visit_request.pk),
                    day=due,
                )
            )
    return sent


def refresher_notices(*, today: datetime.date | None = None) -> int:
    """Training refreshers falling due soon: remind the coordinators, once per record."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=BrigadeSettings.current().refresher_notice_days)
    records = refreshers_due(horizon)
    sent = 0
    for record in records:
        for coordinator in coordinators():
            sent += bool(
                notify(
                    recipient=coordinator,
                    kind="refresher_due",
                    item=record,
                    subject=_("Refresher due for %(name)s") % {"name": record.brigadier},
                    body=_("%(module)s needs a refresher by %(date)s.")
                    % {"module": record.module, "date": f"{record.refresher_due:%d-%m-%Y}"},
                    url=reverse("brigade:pool"),
                    day=record.refresher_due,
                )
            )
    return sent
