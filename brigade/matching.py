"""Rank brigadiers for a visit request by fit, and say why."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brigade.models import ACTIVE_ASSIGNMENT, Brigadier, VisitRequest
from brigade.selectors import with_load

# Points per criterion; the order of importance is the order here.
DISTRICT, EXPERTISE, LANGUAGE, GENDER, CAPACITY, AVAILABILITY = 3, 2, 2, 1, 1, 1


@dataclass
class Match:
    brigadier: Brigadier
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)
    assignable: bool = True


def _available_days(brigadier: Brigadier, today: datetime.date) -> list[datetime.date]:
    weekdays = {slot.weekday for slot in brigadier.availability.all()}
    days = [today + datetime.timedelta(days=offset) for offset in range(1, 8)]
    return [day for day in days if day.weekday() in weekdays]


def rank(request: VisitRequest, *, today: datetime.date | None = None) -> list[Match]:
    """Active brigadiers, best fit first. Those without a free place, or already on this request, come last."""
    today = today or timezone.localdate()
    wanted = {expertise.pk: expertise.name for expertise in request.preferred_expertise.all()}
    already = set(request.assignments.filter(status__in=ACTIVE_ASSIGNMENT).values_list("brigadier_id", flat=True))
    brigadiers = (
        with_load(Brigadier.objects.filter(active=True))
        .select_related("user", "user__organisation")
        .prefetch_related("expertise", "districts", "availability")
    )
    matches = []
    for brigadier in brigadiers:
        match = Match(brigadier=brigadier)
        if any(district.pk == request.district_id for district in brigadier.districts.all()):
            match.score += DISTRICT
            match.reasons.append(_("works in %(district)s") % {"district": request.district})
        else:
            match.concerns.append(_("does not work in this district"))
        shared = [name for pk, name in wanted.items() if pk in {e.pk for e in brigadier.expertise.all()}]
        if shared:
            match.score += EXPERTISE * len(shared)
            match.reasons.append(_("experience with %(topics)s") % {"topics": ", ".join(shared)})
        elif wanted:
            match.concerns.append(_("none of the expertise asked for"))
        if request.preferred_language:
            if request.preferred_language.lower() in {language.lower() for language in brigadier.languages}:
                match.score += LANGUAGE
                match.reasons.append(_("speaks %(language)s") % {"language": request.preferred_language})
            else:
                match.concerns.append(_("does not speak %(language)s") % {"language": request.preferred_language})
        if request.preferred_gender:
            if brigadier.gender == request.preferred_gender:
                match.score += GENDER
                match.reasons.append(_("gender as preferred"))
            else:
                match.concerns.append(_("gender not as preferred"))
        free = brigadier.max_active - brigadier.load
        if free > 0:
            match.score += CAPACITY
            match.reasons.append(_("%(free)d of %(max)d places free") % {"free": free, "max": brigadier.max_active})
        else:
            match.assignable = False
            match.concerns.append(_("no place free (%(max)d assignments)") % {"max": brigadier.max_active})
        days = _available_days(brigadier, today)
        if days:
            match.score += AVAILABILITY
            names = ", ".join(date_format(day, "l j F") for day in days[:3])
            match.reasons.append(_("available %(days)s") % {"days": names})
        else:
            match.concerns.append(_("not available in the coming 7 days"))
        if brigadier.pk in already:
            match.assignable = False
            match.concerns.insert(0, _("already assigned to this request"))
        matches.append(match)
    matches.sort(key=lambda m: (not m.assignable, -m.score, m.brigadier.load, str(m.brigadier)))
    return matches
