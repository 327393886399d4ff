"""A visit request's life as data: states, allowed transitions, outcomes and referrals."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    NEW = "new", _("new")
    ASSIGNED = "assigned", _("assigned")
    IN_CONTACT = "in_contact", _("in contact")
    DONE = "done", _("finished")
    CANCELLED = "cancelled", _("cancelled")


class Referral(models.TextChoices):
    SOCIAL_TEAM = "social_team", _("referred to the social district team")
    CARE = "care", _("referred to care")
    ACTIVITY = "activity", _("referred to an activity")
    ZELFREGIE = "zelfregie", _("referred to the Zelfregiecentrum")
    OWN_STRENGTH = "own_strength", _("own strength, no referral needed")
    NO_CONTACT = "no_contact", _("no contact possible")


# Referrals that count as "referred on" in the figures.
REFERRED_ON = {Referral.SOCIAL_TEAM, Referral.CARE, Referral.ACTIVITY, Referral.ZELFREGIE}

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.NEW: {RequestStatus.ASSIGNED, RequestStatus.CANCELLED},
    RequestStatus.ASSIGNED: {RequestStatus.NEW, RequestStatus.IN_CONTACT, RequestStatus.DONE, RequestStatus.CANCELLED},
    RequestStatus.IN_CONTACT: {RequestStatus.DONE, RequestStatus.CANCELLED},
    RequestStatus.DONE: set(),
    RequestStatus.CANCELLED: set(),
}

OPEN_STATUSES = [RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.IN_CONTACT]


def can_transition(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, set())
