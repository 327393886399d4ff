"""A meeting place's iCalendar feed (RFC 5545), written with the `icalendar` library."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODUCT_ID = "-//Meedoen//Zelfregiecentrum//NL"


def _event(uid: str, summary: str, starts_at, ends_at, location, description: str = "") -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(starts_at))
    event.add("dtend", timezone.localtime(ends_at))
    event.add("summary", summary)
    event.add("location", f"{location.name}, {location.address}")
    if description:
        event.add("description", description)
    return event


def render(location, sessions, occurrences, *, domain: str) -> bytes:
    """Walk-in sessions and public activity dates of one place. UIDs are stable, `<kind>-<pk>@<domain>` with the
    site's own domain (not the request's Host header), so calendar apps update an event instead of adding it twice."""
    host = domain or "meedoen"
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", location.name)
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    walk_in = _("Walk-in at %(place)s") % {"place": location.name}
    walk_in_text = _("Walk in without an appointment: for coffee, a chat or to join in. Everyone is welcome.")
    for session in sessions:
        calendar.add_component(
            _event(f"session-{session.pk}@{host}", walk_in, session.starts_at, session.ends_at, location, walk_in_text)
        )
    for occurrence in occurrences:
        activity = occurrence.activity
        calendar.add_component(
            _event(
                f"activity-{occurrence.pk}@{host}",
                activity.title,
                occurrence.starts_at,
                occurrence.ends_at,
                location,
                activity.description,
            )
        )
    calendar.add_missing_timezones()  # a VTIMEZONE for Europe/Amsterdam, so every calendar app reads the times
    return calendar.to_ical()
