"""The figures of the whole approach, per period and (optionally) district. No personal data: counts only.

One definition per figure, used by the dashboard, the quarterly report and the statistics API alike. Each figure
is computed in the database, medians included, so that a figure costs one query whatever the number of rows.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Aggregate, Count, F, FloatField, Func, Q, Sum
from django.db.models.functions import ExtractIsoYear, ExtractWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brigade.models import Contact, VisitRequest
from brigade.workflow import REFERRED_ON, Referral
from signalering.models import Signal
from signalering.workflow import Outcome
from zelfregie.models import ExpectedVisitor, Occurrence, Session

# What each figure means, in plain Dutch in the UI (the report and the API docs show these).
DEFINITIONS = {
    "signals.new": _("Signals reported in the period."),
    "signals.closed": _("Signals closed in the period."),
    "signals.by_category": _("Signals reported in the period per concern; a signal with two concerns counts twice."),
    "signals.by_outcome": _("Signals closed in the period per outcome."),
    "signals.first_discussions": _("Signals discussed for the first time in the period."),
    "signals.median_working_days_to_first_discussion": _(
        "Median number of working days from report to first discussion, for signals first discussed in the period."
    ),
    "signals.share_overdue": _(
        "Share (%) of the signals reported in the period that were not discussed within the district's deadline."
    ),
    "brigade.requests": _("Visit requests made in the period."),
    "brigade.residents_visited": _("Residents with at least one contact (not counting 'no answer') in the period."),
    "brigade.referred_on": _(
        "Visit requests finished in the period with a referral to the social district team, "
        "care, an activity or the Zelfregiecentrum."
    ),
    "brigade.by_referral": _("Visit requests finished in the period per outcome and referral."),
    "brigade.first_contacts": _("Visit requests with a first contact in the period."),
    "brigade.median_days_to_first_contact": _(
        "Median number of days from request to first contact, for first contacts in the period."
    ),
    "zelfregie.visitors": _(
        "Walk-in visits counted at the door in the period (a person who comes twice counts twice)."
    ),
    "zelfregie.new_visitors": _("Of those, visits by people who came for the first time."),
    "zelfregie.visitors_per_week": _("Walk-in visits per week and meeting place."),
    "zelfregie.activities": _("Activity dates held in the period with attendance noted."),
    "zelfregie.attendance": _("Total attendance of those activity dates."),
    "path.signals_to_brigade": _("Signals from which a visit by the Vliegende Brigade was requested in the period."),
    "path.visits_to_referral": _("Brigade visits that led to a referral, finished in the period."),
    "path.referrals_arrived": _("Residents referred by the brigade who arrived at a meeting place in the period."),
}


@dataclass(frozen=True)
class Period:
    """A closed range of days, from `start` up to and including `end`."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        start = datetime.date(year, 3 * quarter - 2, 1)
        following = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        return cls(start, following - datetime.timedelta(days=1))

    @classmethod
    def last_quarter(cls, today: datetime.date | None = None) -> tuple[int, int]:
        today = today or timezone.localdate()
        quarter = (today.month - 1) // 3  # 0 means the last quarter of the previous year
        return (today.year, quarter) if quarter else (today.year - 1, 4)

    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}"

    def datetimes(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as a half-open range of aware datetimes in the site's time zone."""
        start = timezone.make_aware(datetime.datetime.combine(self.start, datetime.time()))
        end = timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time()))
        return start, end

    def q(self, field: str) -> Q:
        """Rows whose datetime `field` falls in the period."""
        start, end = self.datetimes()
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})


class Median(Aggregate):
    """The median (halfway between the two middle values for an even count), computed in PostgreSQL."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class WholeDays(Func):
    """The whole days in an interval, as Python's `timedelta.days` counts them (rounded down)."""

    template = "floor(extract(epoch FROM %(expressions)s) / 86400)"
    output_field = FloatField()


def _rounded(median: float | None) -> int | float | None:
    """One decimal, and a whole number without one (6 working days, 6.5 working days)."""
    if median is None:
        return None
    value = round(median, 1)
    return int(value) if value.is_integer() else value


def _district(queryset, district, field: str = "district"):
    return queryset.filter(**{field: district}) if district is not None else queryset


def signal_figures(period: Period, district=None) -> dict:
    signals = _district(Signal.objects.all(), district)
    reported = signals.filter(period.q("created_at"))
    closed = signals.filter(period.q("closed_at"))
    by_outcome = dict(closed.values_list("outcome").annotate(total=Count("pk")).values_list("outcome", "total"))
    by_category = (
        reported.values_list("categories__name").annotate(total=Count("pk")).order_by("-total", "categories__name")
    )
    discussed = signals.filter(period.q("first_discussed_at")).aggregate(
        count=Count("pk"), median=Median("first_discussion_working_days")
    )
    # Late: discussed after the deadline, or not discussed while the deadline has passed (by now or period end).
    cutoff = min(timezone.localdate(), period.end)
    late = reported.filter(
        Q(first_discussed_at__date__gt=F("first_discussion_due"))
        | Q(first_discussed_at__isnull=True, first_discussion_due__lt=cutoff)
    ).count()
    new = reported.count()
    return {
        "new": new,
        "closed": closed.count(),
        "by_category": [{"name": name, "count": total} for name, total in by_category if name],
        "by_outcome": [
            {"key": value, "name": str(label), "count": by_outcome.get(value, 0)} for value, label in Outcome.choices
        ],
        "first_discussions": discussed["count"],
        "median_working_days_to_first_discussion": _rounded(discussed["median"]),
        "share_overdue": round(100 * late / new) if new else None,
    }


def brigade_figures(period: Period, district=None) -> dict:
    requests = _district(VisitRequest.objects.all(), district)
    finished = requests.filter(period.q("closed_at"), status="done")
    by_referral = dict(finished.values_list("referral").annotate(total=Count("pk")).values_list("referral", "total"))
    contacts = _district(Contact.objects.exclude(kind=Contact.Kind.NO_ANSWER), district, "request__district")
    first_contacts = requests.filter(period.q("first_contact_at")).aggregate(
        count=Count("pk"), median=Median(WholeDays(F("first_contact_at") - F("created_at")))
    )
    return {
        "requests": requests.filter(period.q("created_at")).count(),
        "residents_visited": contacts.filter(date__gte=period.start, date__lte=period.end)
        .values("request__resident")
        .distinct()
        .count(),
        "referred_on": finished.filter(referral__in=REFERRED_ON).count(),
        "by_referral": [
            {"key": value, "name": str(label), "count": by_referral.get(value, 0)} for value, label in Referral.choices
        ],
        "first_contacts": first_contacts["count"],
        "median_days_to_first_contact": _rounded(first_contacts["median"]),
    }


def zelfregie_figures(period: Period, district=None) -> dict:
    sessions = _district(Session.objects.all(), district, "location__district").filter(
        date__gte=period.start, date__lte=period.end
    )
    totals = sessions.aggregate(visitors=Sum("visitors"), new=Sum("new_visitors"))
    weekly = (
        sessions.annotate(year=ExtractIsoYear("date"), week=ExtractWeek("date"))
        .values("year", "week", "location__name")
        .annotate(visitors=Sum("visitors"))
        .order_by("year", "week", "location__name")
    )
    held = _district(Occurrence.objects.all(), district, "activity__location__district").filter(
        date__gte=period.start, date__lte=period.end, attendance__isnull=False
    )
    activity = held.aggregate(dates=Count("pk"), attendance=Sum("attendance"))
    return {
        "visitors": totals["visitors"] or 0,
        "new_visitors": totals["new"] or 0,
        "visitors_per_week": [
            {"week": f"{row['year']}-W{row['week']:02d}", "place": row["location__name"], "visitors": row["visitors"]}
            for row in weekly
        ],
        "activities": activity["dates"],
        "attendance": activity["attendance"] or 0,
    }


def path_figures(period: Period, district=None) -> dict:
    requests = _district(VisitRequest.objects.all(), district)
    arrived = _district(ExpectedVisitor.objects.all(), district, "location__district").filter(
        period.q("arrived_at"), announced_by__role__in=["brigadier", "brigade_coordinator"]
    )
    return {
        "signals_to_brigade": requests.filter(period.q("created_at"), signal__isnull=False)
        .values("signal")
        .distinct()
        .count(),
        "visits_to_referral": requests.filter(period.q("closed_at"), status="done", referral__in=REFERRED_ON)
        .exclude(first_contact_at=None)
        .count(),
        "referrals_arrived": arrived.count(),
    }


def all_figures(period: Period, district=None) -> dict:
    return {pillar: compute(period, district) for pillar, compute in PILLARS.items()}


# --- small counts ---------------------------------------------------------------------------------------------

SMALL = 5
SUPPRESSED = "<5"
PILLARS = {"signals": signal_figures, "brigade": brigade_figures, "zelfregie": zelfregie_figures, "path": path_figures}
# Rates and medians over fewer than SMALL cases could point at a person too: hidden below this base count.
SMALL_BASE = {
    ("signals", "median_working_days_to_first_discussion"): ("signals", "first_discussions"),
    ("signals", "share_overdue"): ("signals", "new"),
    ("brigade", "median_days_to_first_contact"): ("brigade", "first_contacts"),
}


def suppress(count: int) -> int | str:
    """A count of 1 to 4 could point at a person: show it as "<5"."""
    return SUPPRESSED if 0 < count < SMALL else count


def suppress_group(counts: list[int], hidden: set[int] | None = None) -> list[int | str]:
    """Suppress small counts in a group whose total is known, so that no hidden count follows from the others.

    `hidden` holds positions already hidden for another reason. When exactly one position is hidden, the smallest
    other non-zero count is hidden too (secondary suppression).
    """
    hidden = set(hidden or ()) | {index for index, count in enumerate(counts) if 0 < count < SMALL}
    if len(hidden) == 1:
        others = [(count, index) for index, count in enumerate(counts) if index not in hidden and count > 0]
        if others:
            hidden.add(min(others)[1])
    return [SUPPRESSED if index in hidden else count for index, count in enumerate(counts)]


def _cells(figures: dict) -> dict[tuple, int]:
    """Every count in the figures by its path: (pillar, name) or (pillar, name, row)."""
    cells = {}
    for pillar, values in figures.items():
        for name, value in values.items():
            if isinstance(value, list):
                for row in value:
                    if "count" in row:
                        cells[(pillar, name, row.get("key") or row["name"])] = row["count"]
                    elif "visitors" in row:
                        cells[(pillar, name, row["week"], row["place"])] = row["visitors"]
            elif isinstance(value, int) and (pillar, name) not in SMALL_BASE:
                cells[(pillar, name)] = value
    return cells


def _groups(cells: dict[tuple, int]) -> list[list[tuple]]:
    """Sets of cells whose total is shown or follows from another figure."""
    by_figure: dict[tuple, list[tuple]] = {}
    for path in cells:
        if len(path) > 2:
            by_figure.setdefault(path[:2], []).append(path)
    groups = list(by_figure.values())
    referred = [("brigade", "by_referral", key) for key in REFERRED_ON]  # they add up to brigade.referred_on
    if all(path in cells for path in referred):
        groups.insert(0, referred)
    return groups


def _hide_in_groups(cells: dict[tuple, int], hidden: set[tuple]) -> set[tuple]:
    hidden = set(hidden) | {path for path, count in cells.items() if 0 < count < SMALL}
    visitors, new = cells.get(("zelfregie", "visitors")), cells.get(("zelfregie", "new_visitors"))
    if visitors is not None and new is not None and 0 < visitors - new < SMALL:
        hidden.add(("zelfregie", "new_visitors"))  # else the returning visitors follow by subtraction
    for group in _groups(cells):
        counts = [cells[path] for path in group]
        already = {index for index, path in enumerate(group) if path in hidden}
        shown = suppress_group(counts, already)
        hidden |= {path for path, value in zip(group, shown, strict=True) if value == SUPPRESSED}
    return hidden


def _apply(figures: dict, hidden: set[tuple]) -> dict:
    result = {}
    for pillar, values in figures.items():
        result[pillar] = {}
        for name, value in values.items():
            if isinstance(value, list):
                rows = []
                for row in value:
                    if "count" in row:
                        key = (pillar, name, row.get("key") or row["name"])
                        rows.append({**row, "count": SUPPRESSED if key in hidden else row["count"]})
                    else:
                        key = (pillar, name, row["week"], row["place"])
                        rows.append({**row, "visitors": SUPPRESSED if key in hidden else row["visitors"]})
                result[pillar][name] = rows
            elif (pillar, name) in SMALL_BASE:
                base_pillar, base_name = SMALL_BASE[(pillar, name)]
                base = figures.get(base_pillar, {}).get(base_name)
                result[pillar][name] = value if base is not None and base >= SMALL else None
            else:
                result[pillar][name] = SUPPRESSED if (pillar, name) in hidden else value
    return result


def suppressed(figures: dict) -> dict:
    """The figures with small counts hidden so that none follows from a total: for the municipality and the API."""
    return _apply(figures, _hide_in_groups(_cells(figures), set()))


def public_figures(period: Period, district=None, pillars: list[str] | None = None) -> dict:
    """Suppressed figures for the city, or for one district. A district's count is also hidden when it would follow
    from the city's total and the other districts' counts (every district is suppressed together)."""
    pillars = pillars or list(PILLARS)

    def compute(scope):
        return {pillar: PILLARS[pillar](period, scope) for pillar in pillars}

    if district is None:
        return suppressed(compute(None))
    from meedoen.accounts.models import District

    districts = list(District.objects.order_by("pk"))
    per_district = {other.pk: _cells(compute(other)) for other in districts}
    own = compute(district)
    own_cells = per_district[district.pk]
    hidden = _hide_in_groups(own_cells, set())
    for path in own_cells:
        counts = [per_district[other.pk].get(path, 0) for other in districts]
        shown = suppress_group(counts)
        if shown[[other.pk for other in districts].index(district.pk)] == SUPPRESSED:
            hidden.add(path)
    return _apply(own, _hide_in_groups(own_cells, hidden))
