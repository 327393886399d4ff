"""The signaleringsoverleg's panels on the home page of members and chairs."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.core.attention import Item, Panel, provider
from signalering.models import Meeting
from signalering.selectors import (
    SIGNAL_ROLES,
    chaired_districts,
    member_districts,
    overdue_q,
    visible_actions,
    visible_signals,
)
from signalering.workflow import Status

LIMIT = 5


def _signal_item(signal, today) -> Item:
    text = f"{signal.number} · {signal.district.name} · {signal.neighbourhood.name}"
    return Item(text=text, url=reverse("signalering:signal", args=[signal.pk]), overdue=signal.is_overdue(today))


@provider
def signal_panels(user) -> list[Panel]:
    if user.role not in SIGNAL_ROLES:
        return []
    today = timezone.localdate()
    signals = visible_signals(user).select_related("district", "neighbourhood")
    actions = (
        visible_actions(user)
        .filter(owner=user, done_at__isnull=True, due__lte=today + datetime.timedelta(days=7))
        .select_related("signal")
        .order_by("due")[:LIMIT]
    )
    panels = [
        Panel(
            title=_("My actions that are due"),
            empty=_("You have no actions due this week."),
            items=[
                Item(
                    text=f"{action.description} ({action.signal.number}, {action.due:%d-%m})",
                    url=reverse("signalering:signal", args=[action.signal_id]),
                    overdue=action.is_overdue(today),
                )
                for action in actions
            ],
            more_url=reverse("signalering:my_actions"),
        ),
        Panel(
            title=_("New signals in my districts"),
            empty=_("There are no new signals in your districts."),
            items=[
                _signal_item(s, today)
                for s in signals.filter(status=Status.NEW).order_by("-urgency", "-created_at")[:LIMIT]
            ],
            more_url=reverse("signalering:list") + "?status=new",
        ),
        Panel(
            title=_("Signals without follow-up"),
            empty=_("Every signal in your districts has a next step in time."),
            items=[
                _signal_item(s, today)
                for s in signals.filter(overdue_q(today) | Q(status=Status.IN_PROGRESS, lead__isnull=True)).order_by(
                    "first_discussion_due"
                )[:LIMIT]
            ],
            more_url=reverse("signalering:list") + "?overdue=true",
        ),
    ]
    chaired = chaired_districts(user)
    if chaired.exists():
        meetings = (
            Meeting.objects.filter(district__in=chaired, state=Meeting.State.PLANNED, starts_at__gte=timezone.now())
            .select_related("district")
            .order_by("starts_at")[:3]
        )
        panels.insert(
            0,
            Panel(
                title=_("Meetings I chair"),
                empty=_("No meeting is planned yet."),
                items=[
                    Item(
                        text=f"{m.district.name} – {timezone.localtime(m.starts_at):%d-%m-%Y %H:%M}",
                        url=reverse("signalering:meeting", args=[m.pk]),
                    )
                    for m in meetings
                ],
                more_url=reverse("signalering:meetings"),
            ),
        )
    elif not member_districts(user).exists():
        return [Panel(title=_("Signals"), empty=_("You are not a member of a district meeting yet."))]
    return panels
