"""The Zelfregiecentrum's part in the retention scheme (see meedoen/privacy/records.py).

Registered participants are deleted the day after the date they were promised when they registered (each meeting
place sets its own period, `Location.retention_months`); the first names of expected visitors are forgotten
EXPECTED_DAYS after the announcement. Nothing here is linked to a resident: participants register under their own
pseudonym, and an expected visitor is only a first name. So there is nothing to erase or export per resident.
"""

import datetime

from django.db.models import Max, Min
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from meedoen.privacy.records import Keeper, Section, register
from zelfregie import services
from zelfregie.models import Location
from zelfregie.selectors import EXPECTED_DAYS


def participant_period() -> str:
    months = Location.objects.aggregate(low=Min("retention_months"), high=Max("retention_months"))
    low, high = months["low"], months["high"]
    if low is None:
        return _("set per meeting place")
    if low == high:
        return ngettext(
            "%(months)d month after registering (set per meeting place)",
            "%(months)d months after registering (set per meeting place)",
            low,
        ) % {"months": low}
    return _("%(low)d to %(high)d months after registering (set per meeting place)") % {"low": low, "high": high}


def expected_period() -> str:
    return ngettext("%(days)d day after the announcement", "%(days)d days after the announcement", EXPECTED_DAYS) % {
        "days": EXPECTED_DAYS
    }


def sweep_participants(*, now: datetime.datetime) -> int:
    return services.participants_delete_lapsed(now=now)


def sweep_expected(*, now: datetime.datetime) -> int:
    return services.expected_visitors_forget(now=now)


def export(*, resident) -> list[Section]:
    return [
        Section(
            key="zelfregie",
            title=_("Zelfregiecentrum"),
            note=_(
                "The meeting places keep nothing linked to residents: participants register under their own "
                "pseudonym, with their consent, and a person referred by the brigade is announced by first name "
                "only, which is forgotten after %(days)d days."
            )
            % {"days": EXPECTED_DAYS},
        )
    ]


register(
    Keeper(
        kind="participant",
        label=gettext_lazy("Lapsed registrations of participants (deleted)"),
        period=participant_period,
        sweep=sweep_participants,
        export=export,
    )
)
register(
    Keeper(
        kind="expected_visitor",
        label=gettext_lazy("First names of expected visitors (forgotten)"),
        period=expected_period,
        sweep=sweep_expected,
    )
)
