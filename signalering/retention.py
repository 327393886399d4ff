"""The signaleringsoverleg's part in the retention scheme (see meedoen/privacy/records.py): closed signals are
anonymised when their period has passed, a resident with an open signal cannot be erased, and the subject-access
export shows every signal about the resident with its timeline, discussions and actions."""

import datetime

from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from meedoen.privacy.models import RetentionPeriod
from meedoen.privacy.records import Column, Keeper, Record, Section, Table, register
from signalering import services
from signalering.models import Action, Discussion, Event, Signal
from signalering.workflow import Status

KIND = RetentionPeriod.Kind.SIGNAL


def _field(model, name: str, value, key: str = ""):
    return (key or name, capfirst(model._meta.get_field(name).verbose_name), value)


def period() -> str:
    months = RetentionPeriod.months_for(KIND)
    return ngettext("%(months)d month after closing", "%(months)d months after closing", months) % {"months": months}


def sweep(*, now: datetime.datetime) -> int:
    cutoff = RetentionPeriod.cutoff(KIND, now)
    due = Signal.objects.filter(status=Status.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True)
    return sum(
        services.signal_anonymise(signal_id=pk, now=now, closed_before=cutoff)
        for pk in due.order_by("pk").values_list("pk", flat=True)
    )


def live_records():
    return Signal.objects.filter(anonymised_at__isnull=True, resident__isnull=False)


def blockers(*, resident) -> list[str]:
    still_open = (
        Signal.objects.filter(resident=resident, anonymised_at__isnull=True)
        .exclude(status=Status.CLOSED)
        .order_by("pk")
    )
    return [
        _("Signal %(number)s is still open (%(status)s). It must be closed first.")
        % {"number": signal.number, "status": signal.get_status_display()}
        for signal in still_open.only("pk", "status")
    ]


def erase(*, resident, now: datetime.datetime, user=None) -> int:
    ids = (
        Signal.objects.filter(resident=resident, anonymised_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    return sum(services.signal_anonymise(signal_id=pk, now=now, user=user) for pk in list(ids))


def export(*, resident) -> list[Section]:
    signals = (
        Signal.objects.filter(resident=resident)
        .select_related("district", "neighbourhood", "reporter", "source_organisation", "lead")
        .prefetch_related(
            "categories",
            Prefetch("events", queryset=Event.objects.select_related("actor").order_by("at", "pk")),
            Prefetch(
                "discussions", queryset=Discussion.objects.select_related("meeting").order_by("meeting__starts_at")
            ),
            Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("due", "pk")),
        )
        .order_by("created_at", "pk")
    )
    records = []
    for signal in signals:
        fields = [
            ("number", _("Reference number"), signal.number),
            _field(Signal, "district", signal.district.name),
            _field(Signal, "neighbourhood", signal.neighbourhood.name if signal.neighbourhood else ""),
            _field(Signal, "created_at", signal.created_at),
            _field(Signal, "reporter", str(signal.reporter)),
            _field(Signal, "source_organisation", signal.source_organisation.name),
            _field(Signal, "legal_basis", signal.get_legal_basis_display()),
            _field(Signal, "purpose", signal.purpose),
            _field(Signal, "resident_informed", signal.get_resident_informed_display()),
            _field(Signal, "categories", ", ".join(category.name for category in signal.categories.all())),
            _field(Signal, "urgency", signal.get_urgency_display()),
            _field(Signal, "description", signal.description),
            _field(Signal, "status", signal.get_status_display()),
            _field(Signal, "outcome", signal.get_outcome_display()),
            _field(Signal, "lead", str(signal.lead) if signal.lead else ""),
            _field(Signal, "next_step", signal.next_step),
            _field(Signal, "next_step_due", signal.next_step_due),
            _field(Signal, "first_discussion_due", signal.first_discussion_due),
            _field(Signal, "first_discussed_at", signal.first_discussed_at),
            _field(Signal, "closed_at", signal.closed_at),
        ]
        timeline = Table(
            key="timeline",
            title=_("Timeline"),
            columns=[
                Column("at", _("When")),
                Column("kind", _("What")),
                Column("by", _("By")),
                Column("detail", _("Detail")),
                Column("text", _("Text")),
            ],
            rows=[
                [event.at, event.get_kind_display(), str(event.actor or _("Meedoen")), event.detail(), event.text]
                for event in signal.events.all()
            ],
        )
        discussions = Table(
            key="discussions",
            title=_("Discussions"),
            columns=[Column("meeting", _("Meeting")), Column("notes", _("Notes")), Column("decision", _("Decision"))],
            rows=[[d.meeting.starts_at, d.notes, d.decision] for d in signal.discussions.all()],
        )
        actions = Table(
            key="actions",
            title=_("Actions"),
            columns=[
                Column("description", _("Action")),
                Column("owner", _("Owner")),
                Column("due", _("Due")),
                Column("done_at", _("Done at")),
            ],
            rows=[[a.description, str(a.owner), a.due, a.done_at] for a in signal.actions.all()],
        )
        records.append(
            Record(title=str(signal), ref=("signal", signal.pk), fields=fields, tables=[timeline, discussions, actions])
        )
    return [Section(key="signals", title=_("Signals"), records=records)]


register(
    Keeper(
        kind=KIND,
        label=gettext_lazy("Closed signals, with their discussions, actions and timeline"),
        period=period,
        sweep=sweep,
        live_records=live_records,
        blockers=blockers,
        erase=erase,
        export=export,
    )
)
