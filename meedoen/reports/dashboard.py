"""The project leader's dashboard: the figures of all three pillars for a period and a district.

Aggregates only, no personal data; every figure comes from `figures.all_figures` (remembered for some minutes), so the dashboard, the quarterly
report and the statistics API cannot disagree. The filter lives in the URL; bad input falls back to the default
period with a message instead of an error.
"""

import datetime
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from meedoen.accounts.access import roles
from meedoen.accounts.models import District, Role
from meedoen.core.forms import PlainModelChoiceField
from meedoen.reports import charts
from meedoen.reports.figures import DEFINITIONS, Period, remembered

DASHBOARD_ROLES = frozenset({Role.PROJECT_LEADER, Role.ADMIN})
DEFAULT_PRESET = "this_quarter"
# Longer periods make the medians read many rows; five years covers every question the project asks.
LONGEST = datetime.timedelta(days=5 * 366)
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)

PRESETS = [
    ("this_quarter", gettext_lazy("This quarter")),
    ("last_quarter", gettext_lazy("Last quarter")),
    ("last_12_months", gettext_lazy("Last 12 months")),
    ("last_18_months", gettext_lazy("Last 18 months")),
]


def refresh_remembered(today: datetime.date | None = None) -> int:
    """Count afresh what the dashboard and the API are asked most; see `figures.remembered`."""
    today = today or timezone.localdate()
    quarters = [preset_period("this_quarter", today), preset_period("last_quarter", today)]
    refreshed = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for key, _label in PRESETS:
                remembered(preset_period(key, today), refresh=True)
                refreshed += 1
            for quarter in quarters:
                remembered(quarter, per_district=True, refresh=True)
                refreshed += 1
    return refreshed


def preset_period(key: str, today: datetime.date) -> Period:
    if key == "this_quarter":
        return Period.quarter(today.year, (today.month - 1) // 3 + 1)
    if key == "last_quarter":
        return Period.quarter(*Period.last_quarter(today))
    months = {"last_12_months": 12, "last_18_months": 18}[key]
    return Period(today - relativedelta(months=months) + datetime.timedelta(days=1), today)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")  # what <input type="date"> expects, whatever the language


class DashboardFilter(forms.Form):
    """Period (a preset, or from/to dates) and district. A preset wins over dates."""

    preset = forms.ChoiceField(label=gettext_lazy("Period"), choices=PRESETS, required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Up to and including"), required=False, widget=DateInput())
    district = PlainModelChoiceField(
        label=gettext_lazy("District"),
        queryset=District.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All districts"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if data.get("preset") or "start" in self.errors or "end" in self.errors:
            return data
        if (start is None) != (end is None):
            raise ValidationError(_("Give both a start and an end date, or choose a period."))
        if start is None:
            return data
        if start > end:
            raise ValidationError(_("The start date lies after the end date."))
        if start < EARLIEST or end > LATEST or end - start > LONGEST:
            raise ValidationError(_("Choose a period of at most five years, from the year 2000 on."))
        return data


def resolve(params, today: datetime.date) -> tuple[Period, District | None, str, list[str]]:
    """The period, district and preset the parameters ask for, and the problems that made us fall back."""
    form = DashboardFilter(params)
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
            for name, errors in form.errors.items()
            for error in errors
        ]
        district = form.cleaned_data.get("district") if "district" not in form.errors else None
        return preset_period(DEFAULT_PRESET, today), district, DEFAULT_PRESET, problems
    data = form.cleaned_data
    if data["preset"]:
        return preset_period(data["preset"], today), data["district"], data["preset"], []
    if data["start"]:
        return Period(data["start"], data["end"]), data["district"], "", []
    return preset_period(DEFAULT_PRESET, today), data["district"], DEFAULT_PRESET, []


def _figure(key: str, label, value, unit: str = "") -> dict:
    element_id = "figure-" + key.replace(".", "-").replace("_", "-")
    suffix = unit if unit in ("", "%") else f" {unit}"  # 67%, but 6,5 working days
    return {"key": key, "id": element_id, "label": label, "value": value, "unit": suffix, "help": DEFINITIONS[key]}


MOST_PLACES = 6  # a chart shows at most this many meeting places; the others together as one


def _fold_places(rows: list[dict]) -> list[dict]:
    """The weekly visitors of the busiest places, and of all other places together: a chart of a hundred places
    is unreadable (and slow to draw)."""
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row["place"]] += row["visitors"]
    if len(totals) <= MOST_PLACES:
        return rows
    busiest = sorted(totals, key=lambda place: (-totals[place], place))[: MOST_PLACES - 1]
    others = _("Other meeting places (%(count)s)") % {"count": len(totals) - len(busiest)}
    folded: dict[tuple, int] = defaultdict(int)
    for row in rows:
        folded[(row["week"], row["place"] if row["place"] in busiest else others)] += row["visitors"]
    return [{"week": week, "place": place, "visitors": visitors} for (week, place), visitors in folded.items()]


def _sections(figures: dict) -> list[dict]:
    """The page's sections: per pillar its key figures and its charts."""
    signals, brigade, zelfregie, path = (figures[name] for name in ("signals", "brigade", "zelfregie", "path"))
    working_days, days = _("working days"), _("days")
    return [
        {
            "id": "signals",
            "title": _("Signaleringsoverleg"),
            "figures": [
                _figure("signals.new", _("New signals"), signals["new"]),
                _figure("signals.closed", _("Closed signals"), signals["closed"]),
                _figure(
                    "signals.median_working_days_to_first_discussion",
                    _("Median time to first discussion"),
                    signals["median_working_days_to_first_discussion"],
                    working_days,
                ),
                _figure("signals.share_overdue", _("Share overdue"), signals["share_overdue"], "%"),
            ],
            "charts": [
                _bars(
                    "chart-signals-category", _("Signals per concern"), "signals.by_category", signals["by_category"]
                ),
                _bars(
                    "chart-signals-outcome",
                    _("Closed signals per outcome"),
                    "signals.by_outcome",
                    signals["by_outcome"],
                ),
            ],
        },
        {
            "id": "brigade",
            "title": _("Vliegende Brigade"),
            "figures": [
                _figure("brigade.requests", _("Visit requests"), brigade["requests"]),
                _figure("brigade.residents_visited", _("Residents visited"), brigade["residents_visited"]),
                _figure("brigade.referred_on", _("Referred on"), brigade["referred_on"]),
                _figure(
                    "brigade.median_days_to_first_contact",
                    _("Median time to first contact"),
                    brigade["median_days_to_first_contact"],
                    days,
                ),
            ],
            "charts": [
                _bars(
                    "chart-brigade-referral",
                    _("Finished visit requests per outcome and referral"),
                    "brigade.by_referral",
                    brigade["by_referral"],
                )
            ],
        },
        {
            "id": "zelfregie",
            "title": _("Zelfregiecentrum"),
            "figures": [
                _figure("zelfregie.visitors", _("Visitors"), zelfregie["visitors"]),
                _figure("zelfregie.new_visitors", _("New visitors"), zelfregie["new_visitors"]),
                _figure("zelfregie.activities", _("Activity dates"), zelfregie["activities"]),
                _figure("zelfregie.attendance", _("Attendance at activities"), zelfregie["attendance"]),
            ],
            "columns": {
                "chart": charts.column_chart(
                    "chart-zelfregie-weekly",
                    _("Visitors per week and meeting place"),
                    _fold_places(zelfregie["visitors_per_week"]),
                    column_key="week",
                    series_key="place",
                    value_key="visitors",
                    label_heading=_("Week"),
                    total_heading=_("Total"),
                ),
                "help": DEFINITIONS["zelfregie.visitors_per_week"],
            },
        },
        {
            "id": "path",
            "title": _("The path across the pillars"),
            "funnel": {
                "chart": charts.bar_chart(
                    "chart-path",
                    _("From signal to meeting place"),
                    [
                        (_("Signals reported"), signals["new"]),
                        (_("Brigade visit requested"), path["signals_to_brigade"]),
                        (_("Referred on after a visit"), path["visits_to_referral"]),
                        (_("Arrived at a meeting place"), path["referrals_arrived"]),
                    ],
                    label_heading=_("Step"),
                    value_heading=_("Number"),
                    centered=True,
                ),
                "help": [
                    DEFINITIONS["signals.new"],
                    DEFINITIONS["path.signals_to_brigade"],
                    DEFINITIONS["path.visits_to_referral"],
                    DEFINITIONS["path.referrals_arrived"],
                ],
            },
        },
    ]


def _bars(chart_id: str, title: str, key: str, rows: list[dict]) -> dict:
    chart = charts.bar_chart(
        chart_id,
        title,
        [(row["name"], row["count"]) for row in rows],
        label_heading=_("Category") if key == "signals.by_category" else _("Outcome"),
        value_heading=_("Number"),
    )
    return {"chart": chart, "help": DEFINITIONS[key]}


@require_GET
@roles(DASHBOARD_ROLES)
def dashboard(request):
    today = timezone.localdate()
    period, district, preset, problems = resolve(request.GET, today)
    figures, computed_at = remembered(period, district)
    keep = {"district": district.pk} if district else {}
    presets = [
        {"key": key, "label": label, "query": urlencode({"preset": key, **keep}), "active": key == preset}
        for key, label in PRESETS
    ]
    shown = DashboardFilter(initial={"start": period.start, "end": period.end, "district": district})
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": shown,
            "presets": presets,
            "problems": problems,
            "period": period,
            "district": district,
            "figures": figures,
            "computed_at": computed_at,
            "preset": preset,
            "sections": _sections(figures),
        },
    )
