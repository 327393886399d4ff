"""The Zelfregiecentrum's panels on a host's home page. Counts and times only: names stay on the pages that log them."""

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meedoen.accounts.models import Role
from meedoen.core.attention import Item, Panel, provider
from zelfregie import schedule
from zelfregie.models import Occurrence, Session
from zelfregie.selectors import host_locations, open_expected_visitors

LIMIT = 6


@provider
def host_panels(user) -> list[Panel]:
    if user.role != Role.HOST:
        return []
    locations = dict(host_locations(user).filter(active=True).values_list("pk", "name"))
    if not locations:
        return [
            Panel(
                title=_("Meeting places"),
                empty=_("You are not a host of a meeting place yet; ask the administrator to add you."),
            )
        ]
    today = timezone.localdate()
    week_end = schedule.week_start(today) + datetime.timedelta(days=6)
    sessions = Session.objects.filter(location_id__in=locations, date=today).order_by("start_time", "location_id")
    occurrences = (
        Occurrence.objects.filter(activity__location_id__in=locations, date__range=(today, week_end))
        .select_related("activity")
        .order_by("date", "start_time")[:LIMIT]
    )
    expected = open_expected_visitors(user).values_list("location_id").annotate(n=Count("pk")).order_by("location_id")
    return [
        Panel(
            title=_("Today's walk-in sessions"),
            empty=_("There are no walk-in sessions today."),
            items=[
                Item(
                    text=_("%(place)s %(start)s–%(end)s: %(count)s visitors")
                    % {
                        "place": locations[s.location_id],
                        "start": f"{s.start_time:%H:%M}",
                        "end": f"{s.end_time:%H:%M}",
                        "count": s.visitors,
                    },
                    url=reverse("zelfregie:session", args=[s.pk]),
                )
                for s in sessions
            ],
            more_url=reverse("zelfregie:overview"),
        ),
        Panel(
            title=_("Activities this week"),
            empty=_("No activities are planned for the rest of this week."),
            items=[
                Item(
                    text=f"{o.date:%d-%m} {o.start_time:%H:%M} {o.activity.title} ({locations[o.activity.location_id]})",
                    url=reverse("zelfregie:activity", args=[o.activity_id]),
                )
                for o in occurrences
            ],
            more_url=reverse("zelfregie:activity_list"),
        ),
        Panel(
            title=_("Expected visitors"),
            empty=_("No one is expected."),
            items=[
                Item(
                    text=ngettext("%(count)d expected at %(place)s", "%(count)d expected at %(place)s", n)
                    % {"count": n, "place": locations[location_id]},
                    url=reverse("zelfregie:expected_list"),
                )
                for location_id, n in expected
                if location_id in locations
            ],
            more_url=reverse("zelfregie:expected_list"),
        ),
    ]
