"""The public agenda: walk-in hours, closures and public activities per place, for anyone, and its iCalendar feed.
No login and nothing personal, so nothing is logged."""

import datetime
from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from meedoen.accounts.access import public
from zelfregie import calendar_feed, services
from zelfregie.models import Location
from zelfregie.selectors import active_locations, closed_days, public_occurrences, public_sessions

AGENDA_WEEKS = 4  # how far the public agenda looks ahead


def _agenda_places(locations: list[Location], today: datetime.date, weeks: int) -> list[dict]:
    """Per place: weekly hours, the days it is closed when it would be open, and its public activities with the
    next date. A fixed number of queries, however many places and activities."""
    end = today + datetime.timedelta(weeks=weeks)
    ids = [location.pk for location in locations]
    closed = closed_days(ids, today, end)
    occurrences = defaultdict(list)
    for occurrence in public_occurrences(ids, today, end):
        occurrences[occurrence.activity.location_id].append(occurrence)
    places = []
    for location in locations:
        hours = list(location.walk_in_hours.all())
        open_days = {hour.weekday for hour in hours}
        closures = [
            (day, reason)
            for day, reason in sorted(closed[location.pk].items())
            if day.weekday() in open_days  # a holiday on a day the place is closed anyway is no news
        ]
        activities, seen = [], set()
        for occurrence in occurrences[location.pk]:
            if occurrence.activity_id not in seen:
                seen.add(occurrence.activity_id)
                activities.append(occurrence)
        places.append(
            {
                "location": location,
                "hours": hours,
                "closures": closures,
                "activities": activities,
                "occurrences": occurrences[location.pk],
            }
        )
    return places


@public
@require_GET
def agenda(request):
    """The public agenda: walk-in hours and public activities per place, for anyone, without login."""
    today = timezone.localdate()
    locations = list(active_locations().select_related("district").prefetch_related("walk_in_hours"))
    places = _agenda_places(locations, today, AGENDA_WEEKS)
    return render(request, "zelfregie/agenda.html", {"places": places, "today": today, "weeks": AGENDA_WEEKS})


def _agenda_order(item: dict) -> tuple:
    """A closure first, then by time; the walk-in before an activity at the same time, activities by title."""
    activity = item.get("activity")
    return (item.get("start") or datetime.time(), activity is not None, activity.title if activity else "")


@public
@require_GET
def agenda_location(request, slug: str):
    """One place's page in the public agenda: how to get there and, day by day, when there is something."""
    location = get_object_or_404(
        active_locations().select_related("district").prefetch_related("walk_in_hours"), slug=slug
    )
    today = timezone.localdate()
    end = today + datetime.timedelta(weeks=AGENDA_WEEKS)
    place = _agenda_places([location], today, AGENDA_WEEKS)[0]
    days = defaultdict(list)
    for session in public_sessions([location.pk], today, end):
        days[session.date].append({"start": session.start_time, "end": session.end_time, "walk_in": True})
    for occurrence in place["occurrences"]:
        days[occurrence.date].append(
            {"start": occurrence.start_time, "end": occurrence.end_time, "activity": occurrence.activity}
        )
    for day, reason in place["closures"]:
        days[day].append({"closed": reason})
    calendar = [(day, sorted(items, key=_agenda_order)) for day, items in sorted(days.items())]
    context = {"place": place, "location": location, "calendar": calendar, "today": today}
    return render(request, "zelfregie/agenda_location.html", context)


@public
@require_GET
def agenda_ics(request, slug: str):
    """The iCalendar feed of one place: its walk-in sessions and public activities, to subscribe to."""
    location = get_object_or_404(active_locations(), slug=slug)
    today = timezone.localdate()
    start, end = today - datetime.timedelta(weeks=1), today + datetime.timedelta(weeks=services.PLAN_WEEKS)
    sessions = public_sessions([location.pk], start, end)
    occurrences = public_occurrences([location.pk], start, end)
    # The UIDs carry the site's own domain: the Host header is the client's to choose, and a UID that changes
    # with it would make calendar apps add every event twice.
    domain = urlsplit(settings.SITE_URL).hostname or ""
    body = calendar_feed.render(location, sessions, occurrences, domain=domain)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{location.slug}.ics"'
    return response
