"""The main navigation. Each entry names a URL; it is shown to exactly the roles that URL's access rule allows."""

from functools import cache

from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.access import rule_allows
from meedoen.core.jinja import url

# (url name, label). Pillars add their entries here as they arrive.
ENTRIES = [
    ("home", _("Home")),
    ("signalering:list", _("Signals")),
    ("signalering:create", _("New signal")),
    ("signalering:meetings", _("Meetings")),
    ("signalering:my_actions", _("My actions")),
    ("brigade:overview", _("Brigade")),
    ("brigade:requests", _("Visit requests")),
    ("brigade:assessment_list", _("Assessment")),
    ("brigade:pool", _("Brigadiers")),
    ("brigade:mine", _("My assignments")),
    ("zelfregie:overview", _("Meeting places")),
    ("zelfregie:activity_list", _("Activities")),
    ("zelfregie:participant_list", _("Participants")),
    ("privacy:access_log", _("Access log")),
    ("privacy:residents", _("Subject access")),
    ("privacy:retention", _("Retention")),
    ("reports:dashboard", _("Dashboard")),
    ("reports:quarterly", _("Quarterly reports")),
]


@cache
def _rule_for(url_name: str):
    return getattr(resolve(reverse(url_name)).func, "access_rule", None)


def entries_for(user) -> list[dict]:
    return [
        {"url_name": name, "url": url(name), "label": label}
        for name, label in ENTRIES
        if rule_allows(_rule_for(name), user)
    ]
