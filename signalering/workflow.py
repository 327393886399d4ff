"""A signal's life as data: its states, the allowed transitions, and the outcomes a closed signal can have."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("new")
    SCHEDULED = "scheduled", _("on the agenda")
    IN_PROGRESS = "in_progress", _("in progress")
    MONITORING = "monitoring", _("monitoring")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    REFERRED_TO_CARE = "care", _("referred to care or support")
    REFERRED_TO_ACTIVITY = "activity", _("referred to an activity or the Zelfregiecentrum")
    BRIGADE = "brigade", _("Flying Brigade deployed")
    NO_ACTION_NEEDED = "no_action", _("no action needed")
    HANDLED_ELSEWHERE = "elsewhere", _("handled elsewhere")
    NOT_REACHED = "not_reached", _("not reached")


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.SCHEDULED, Status.IN_PROGRESS, Status.MONITORING, Status.CLOSED},
    Status.SCHEDULED: {Status.NEW, Status.IN_PROGRESS, Status.MONITORING, Status.CLOSED},
    Status.IN_PROGRESS: {Status.MONITORING, Status.CLOSED},
    Status.MONITORING: {Status.IN_PROGRESS, Status.CLOSED},
    Status.CLOSED: {Status.IN_PROGRESS},  # reopening; needs a reason
}

OPEN_STATUSES = [Status.NEW, Status.SCHEDULED, Status.IN_PROGRESS, Status.MONITORING]


def can_transition(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, set())


def is_reopening(current: str, target: str) -> bool:
    return current == Status.CLOSED and target != Status.CLOSED
