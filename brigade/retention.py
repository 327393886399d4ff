"""The Vliegende Brigade's part in the retention scheme (see meedoen/privacy/records.py): finished and cancelled
visit requests are anonymised, with their assignments and contacts, when their period has passed; a resident with
an open request cannot be erased; the subject-access export shows every request about the resident."""

import datetime

from django.db.models import Prefetch, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from brigade import services
from brigade.models import Assignment, Contact, VisitRequest
from brigade.workflow import OPEN_STATUSES
from meedoen.privacy.models import RetentionPeriod
from meedoen.privacy.records import Column, Keeper, Record, Section, Table, register

KIND = RetentionPeriod.Kind.VISIT_REQUEST


def _field(name: str, value):
    return (name, capfirst(VisitRequest._meta.get_field(name).verbose_name), value)


def period() -> str:
    months = RetentionPeriod.months_for(KIND)
    return ngettext(
        "%(months)d month after the last request of the resident was finished",
        "%(months)d months after the last request of the resident was finished",
        months,
    ) % {"months": months}


def sweep(*, now: datetime.datetime) -> int:
    """The residents all of whose requests are finished or cancelled, the last one before the period's start."""
    cutoff = RetentionPeriod.cutoff(KIND, now)
    live = VisitRequest.objects.filter(anonymised_at__isnull=True)
    keeps = live.filter(Q(status__in=OPEN_STATUSES) | Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff))
    residents = (
        live.filter(closed_at__lt=cutoff)
        .exclude(resident_id__in=keeps.values("resident_id"))
        .order_by("resident_id")
        .values_list("resident_id", flat=True)
        .distinct()
    )
    return sum(
        services.visit_requests_anonymise(resident_id=resident_id, now=now, closed_before=cutoff)
        for resident_id in list(residents)
    )


def live_records():
    return VisitRequest.objects.filter(anonymised_at__isnull=True)


def blockers(*, resident) -> list[str]:
    still_open = VisitRequest.objects.filter(
        resident=resident, anonymised_at__isnull=True, status__in=OPEN_STATUSES
    ).order_by("pk")
    return [
        _("Visit request %(number)s is still open (%(status)s). It must be finished or cancelled first.")
        % {"number": visit_request.number, "status": visit_request.get_status_display()}
        for visit_request in still_open.only("pk", "status")
    ]


def erase(*, resident, now: datetime.datetime, user=None) -> int:
    return services.visit_requests_anonymise(resident_id=resident.pk, now=now, user=user)


def export(*, resident) -> list[Section]:
    requests = (
        VisitRequest.objects.filter(resident=resident)
        .select_related("district", "signal", "requested_by", "assessed_by")
        .prefetch_related(
            "preferred_expertise",
            Prefetch("assignments", queryset=Assignment.objects.select_related("brigadier__user")),
            Prefetch("contacts", queryset=Contact.objects.select_related("brigadier__user")),
        )
        .order_by("created_at", "pk")
    )
    records = []
    for visit_request in requests:
        fields = [
            ("number", _("Reference number"), visit_request.number),
            _field("district", visit_request.district.name),
            _field("signal", visit_request.signal.number if visit_request.signal else ""),
            _field("created_at", visit_request.created_at),
            _field("requested_by", str(visit_request.requested_by)),
            _field("question", visit_request.question),
            _field("urgency", visit_request.get_urgency_display()),
            _field("preferred_gender", visit_request.get_preferred_gender_display()),
            _field("preferred_language", visit_request.preferred_language),
            _field("preferred_expertise", ", ".join(e.name for e in visit_request.preferred_expertise.all())),
            _field("status", visit_request.get_status_display()),
            _field("first_contact_at", visit_request.first_contact_at),
            _field("referral", visit_request.get_referral_display()),
            _field("outcome_note", visit_request.outcome_note),
            _field("assessment_decision", visit_request.assessment_decision),
            _field("assessed_at", visit_request.assessed_at),
            _field("closed_at", visit_request.closed_at),
        ]
        assignments = Table(
            key="assignments",
            title=_("Brigadiers"),
            columns=[
                Column("brigadier", _("Brigadier")),
                Column("status", _("Status")),
                Column("assigned_at", _("Assigned at")),
                Column("responded_at", _("Answered at")),
                Column("decline_reason", _("Reason")),
            ],
            rows=[
                [str(a.brigadier), a.get_status_display(), a.assigned_at, a.responded_at, a.decline_reason]
                for a in visit_request.assignments.all()
            ],
        )
        contacts = Table(
            key="contacts",
            title=_("Contacts"),
            columns=[
                Column("date", _("Date")),
                Column("kind", _("Kind of contact")),
                Column("duration_minutes", _("Duration (minutes)")),
                Column("brigadier", _("Brigadier")),
                Column("note", _("Note")),
            ],
            rows=[
                [c.date, c.get_kind_display(), c.duration_minutes, str(c.brigadier), c.note]
                for c in visit_request.contacts.all()
            ],
        )
        records.append(
            Record(
                title=str(visit_request),
                ref=("visit_request", visit_request.pk),
                fields=fields,
                tables=[assignments, contacts],
            )
        )
    return [Section(key="visit_requests", title=_("Visit requests"), records=records)]


register(
    Keeper(
        kind=KIND,
        label=gettext_lazy("Finished or cancelled visit requests, with their assignments and contacts"),
        period=period,
        sweep=sweep,
        live_records=live_records,
        blockers=blockers,
        erase=erase,
        export=export,
    )
)
