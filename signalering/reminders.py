"""Reminders derived from the database state, so that a run that is lost or repeated changes nothing:
`notify` writes at most one notification per recipient, kind, item and day."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meedoen.accounts.models import User
from meedoen.notifications.services import notify
from signalering.models import Action, Meeting, MeetingSeries, Signal
from signalering.selectors import chairs_of, overdue_q
from signalering.services import meeting_schedule_agenda
from signalering.workflow import OPEN_STATUSES


def daily_digest(*, today: datetime.date | None = None) -> int:
    """One digest per member with something to do: actions due, new signals, signals without follow-up."""
    today = today or timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=1)
    sent = 0
    members = User.objects.filter(is_active=True, memberships__isnull=False).distinct()
    for user in members.iterator():
        districts = list(user.memberships.values_list("district_id", flat=True))
        actions_due = Action.objects.filter(owner=user, done_at__isnull=True, due__lte=today).count()
        new_signals = Signal.objects.filter(district_id__in=districts, created_at__gte=since).count()
        stalled = (
            Signal.objects.filter(district_id__in=districts)
            .filter(overdue_q(today) | Q(status__in=OPEN_STATUSES[2:], lead__isnull=True))
            .count()
        )
        if not (actions_due or new_signals or stalled):
            continue
        lines = [
            ngettext("%(count)d action due or overdue", "%(count)d actions due or overdue", actions_due),
            ngettext("%(count)d new signal in your districts", "%(count)d new signals in your districts", new_signals),
            ngettext("%(count)d signal without follow-up", "%(count)d signals without follow-up", stalled),
        ]
        counts = [actions_due, new_signals, stalled]
        body = "\n".join(line % {"count": count} for line, count in zip(lines, counts, strict=True) if count)
        if notify(
            recipient=user,
            kind="daily_digest",
            item=user,
            subject=_("Your overview for today"),
            body=body,
            url=reverse("home"),
            day=today,
        ):
            sent += 1
    return sent


def agenda_notices(*, now: datetime.datetime | None = None) -> int:
    """Send each member the agenda of a meeting that is N days away (N per district). Once per meeting."""
    now = now or timezone.now()
    sent = 0
    notice_days = dict(MeetingSeries.objects.values_list("district_id", "agenda_notice_days"))
    horizon = now + datetime.timedelta(days=max(notice_days.values(), default=2))
    meetings = Meeting.objects.filter(state=Meeting.State.PLANNED, starts_at__gt=now, starts_at__lte=horizon)
    for meeting in meetings.select_related("district"):
        days = notice_days.get(meeting.district_id, 2)
        if meeting.starts_at > now + datetime.timedelta(days=days):
            continue
        meeting_schedule_agenda(meeting=meeting)
        local = timezone.localtime(meeting.starts_at)
        for member in User.objects.filter(memberships__district_id=meeting.district_id, is_active=True):
            if notify(
                recipient=member,
                kind="agenda",
                item=meeting,
                subject=_("Agenda for the meeting of %(district)s on %(date)s")
                % {"district": meeting.district, "date": f"{local:%d-%m-%Y %H:%M}"},
                body=_("The agenda of the signaleringsoverleg is ready. Open it to prepare."),
                url=reverse("signalering:meeting", args=[meeting.pk]),
                day=local.date(),  # the meeting's day: one notice per meeting, however often this runs
            ):
                sent += 1
    return sent


def urgent_signal_notices(*, signal_ids: list[int] | None = None, now: datetime.datetime | None = None) -> int:
    """Tell the chairs of a district about an urgent signal at once; the sweep re-finds ones a lost message missed."""
    now = now or timezone.now()
    signals = Signal.objects.filter(urgency=Signal.Urgency.URGENT, status__in=OPEN_STATUSES)
    if signal_ids is not None:
        signals = signals.filter(pk__in=signal_ids)
    else:
        signals = signals.filter(created_at__gte=now - datetime.timedelta(days=2))
    sent = 0
    for signal in signals.select_related("district"):
        for chair in chairs_of(signal.district_id):
            if notify(
                recipient=chair,
                kind="urgent_signal",
                item=signal,
                subject=_("Urgent signal %(number)s in %(district)s")
                % {"number": signal.number, "district": signal.district},
                body=_("An urgent signal was reported in your district. It may need action before the next meeting."),
                url=reverse("signalering:signal", args=[signal.pk]),
                day=timezone.localdate(signal.created_at),  # once per signal
            ):
                sent += 1
    return sent
