"""The figures of the whole approach, per period and (optionally) district. No personal data: counts only.

One definition per figure, used by the dashboard, the quarterly report and the statistics API alike. Each figure
is computed in the database, medians included, so that a figure costs one query whatever the number of rows.
Rows are counted with COUNT(*), not COUNT(id): the covering indexes on the period columns do not hold the id, and
counting ids made PostgreSQL read every row of the period from the table (half the time of the dashboard).
"""

import datetime
import functools
import operator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db.models import Aggregate, BooleanField, Count, F, FloatField, Func, Q, Sum
from django.db.models.functions import ExtractIsoYear, ExtractWeek
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from brigade.models import Contact, VisitRequest
from brigade.workflow import REFERRED_ON, Referral
from meedoen.reports.models import ConcernMonth
from signalering.models import ConcernCategory, Signal
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


class Scope:
    """Where figures are counted: the whole city, one district, or every district at once.

    Every district at once costs the same queries as one scope, grouped by district: the API needs all districts
    to hide a district's count that would follow from the city's total and the others.
    """

    def __init__(self, district=None, *, per_district: bool = False):
        from meedoen.accounts.models import District

        self.district, self.per_district = district, per_district
        self.keys = list(District.objects.order_by("pk").values_list("pk", flat=True)) if per_district else [None]

    def rows(self, queryset, field: str, *group: str, **aggregates) -> dict[tuple, dict]:
        """The aggregates per (district or None, *group values). A scope without rows is missing: see `get`."""
        if self.district is not None:
            queryset = queryset.filter(**{field: self.district})
        names = ([field] if self.per_district else []) + list(group)
        if not names:
            return {(None,): queryset.aggregate(**aggregates)}
        found = {}
        for row in queryset.values(*names).annotate(**aggregates).order_by():
            key = row[field] if self.per_district else None
            found[(key, *(row[name] for name in group))] = row
        return found


def _get(rows: dict, key, name: str, default=0):
    value = rows.get(key, {}).get(name)
    return default if value is None else value


def _grouped(rows: dict, key, name: str = "n") -> dict:
    """{group value: aggregate} of one scope key, from rows keyed (district, group value)."""
    return {group[1]: row[name] for group, row in rows.items() if group[0] == key}


def signal_figures(period: Period, scope: Scope) -> dict:
    signals = Signal.objects.all()
    reported = signals.filter(period.q("created_at"))
    closed = signals.filter(period.q("closed_at"))
    # Late: discussed after the deadline, or not discussed while the deadline has passed (by now or period end).
    cutoff = min(timezone.localdate(), period.end)
    late = reported.filter(
        Q(first_discussed_at__date__gt=F("first_discussion_due"))
        | Q(first_discussed_at__isnull=True, first_discussion_due__lt=cutoff)
    )
    new = scope.rows(reported, "district", n=Count("*"))
    late = scope.rows(late, "district", n=Count("*"))
    closed_count = scope.rows(closed, "district", n=Count("*"))
    by_outcome = scope.rows(closed, "district", "outcome", n=Count("*"))
    by_category = _concerns(period, scope)
    names = dict(ConcernCategory.objects.values_list("pk", "name"))
    discussed = scope.rows(
        signals.filter(period.q("first_discussed_at")),
        "district",
        count=Count("*"),
        median=Median("first_discussion_working_days"),
    )
    figures = {}
    for key in scope.keys:
        count = _get(new, (key,), "n")
        counts = [(names[pk], total) for pk, total in _grouped(by_category, key).items()]
        categories = sorted(counts, key=lambda item: (-item[1], item[0]))
        outcomes = _grouped(by_outcome, key)
        figures[key] = {
            "new": count,
            "closed": _get(closed_count, (key,), "n"),
            "by_category": [{"name": name, "count": total} for name, total in categories],
            "by_outcome": [
                {"key": value, "name": str(label), "count": outcomes.get(value, 0)} for value, label in Outcome.choices
            ],
            "first_discussions": _get(discussed, (key,), "count"),
            "median_working_days_to_first_discussion": _rounded(_get(discussed, (key,), "median", None)),
            "share_overdue": round(100 * _get(late, (key,), "n") / count) if count else None,
        }
    return figures


def _concerns(period: Period, scope: Scope) -> dict[tuple, dict]:
    """Signals reported in the period per concern (by category id, named afterwards), as `Scope.rows` gives them.

    The whole months of the period are counted in ConcernMonth, which the database keeps up to date; the days
    before and after them from the signals' concerns.
    """
    after_end = period.end + datetime.timedelta(days=1)
    months_from = period.start if period.start.day == 1 else _next_month(period.start)
    months_to = after_end.replace(day=1)  # exclusive
    if months_from >= months_to:
        edges, months = [period], None
    else:
        edges = [Period(period.start, months_from - datetime.timedelta(days=1)), Period(months_to, period.end)]
        months = ConcernMonth.objects.filter(month__gte=months_from, month__lt=months_to, signals__gt=0)
    edges = [edge for edge in edges if edge.start <= edge.end]
    total: dict[tuple, dict] = {}
    parts = []
    if edges:
        # From the categories' side with the signals as a subquery, counting rows (*) rather than ids: PostgreSQL
        # then reads only those signals' categories, from the (signal, category) index alone.
        reported = Signal.objects.filter(functools.reduce(operator.or_, (edge.q("created_at") for edge in edges)))
        of_reported = Signal.categories.through.objects.filter(signal__in=reported.values("pk"))
        parts.append(scope.rows(of_reported, "signal__district", "concerncategory", n=Count("*")))
    if months is not None:
        parts.append(scope.rows(months, "district", "category", n=Sum("signals")))
    for rows in parts:
        for key, row in rows.items():
            total[key] = {"n": total.get(key, {"n": 0})["n"] + row["n"]}
    return total


class _AnyOf(Func):
    """`value = ANY(array)`."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def brigade_figures(period: Period, scope: Scope) -> dict:
    requests = VisitRequest.objects.all()
    finished = requests.filter(period.q("closed_at"), status="done")
    contacts = Contact.objects.exclude(kind=Contact.Kind.NO_ANSWER).filter(date__gte=period.start, date__lte=period.end)
    asked = scope.rows(requests.filter(period.q("created_at")), "district", n=Count("*"))
    # The requests with contact in the period. Joined (or with IN) PostgreSQL reads every request ever made to find
    # them; as an array of their ids they are looked up by key. One district's requests are fewer than the period's
    # contacts, so from the district the join is quicker.
    if scope.district is None:
        contacted = requests.filter(_AnyOf(F("pk"), ArraySubquery(contacts.values("request_id").order_by())))
    else:
        contacted = requests.filter(pk__in=contacts.values("request_id"))
    visited = scope.rows(contacted, "district", n=Count("resident", distinct=True))
    referred = scope.rows(finished.filter(referral__in=REFERRED_ON), "district", n=Count("*"))
    by_referral = scope.rows(finished, "district", "referral", n=Count("*"))
    first_contacts = scope.rows(
        requests.filter(period.q("first_contact_at")),
        "district",
        count=Count("*"),
        median=Median(WholeDays(F("first_contact_at") - F("created_at"))),
    )
    figures = {}
    for key in scope.keys:
        referrals = _grouped(by_referral, key)
        figures[key] = {
            "requests": _get(asked, (key,), "n"),
            "residents_visited": _get(visited, (key,), "n"),
            "referred_on": _get(referred, (key,), "n"),
            "by_referral": [
                {"key": value, "name": str(label), "count": referrals.get(value, 0)}
                for value, label in Referral.choices
            ],
            "first_contacts": _get(first_contacts, (key,), "count"),
            "median_days_to_first_contact": _rounded(_get(first_contacts, (key,), "median", None)),
        }
    return figures


def zelfregie_figures(period: Period, scope: Scope) -> dict:
    sessions = Session.objects.filter(date__gte=period.start, date__lte=period.end)
    totals = scope.rows(sessions, "location__district", visitors=Sum("visitors"), new=Sum("new_visitors"))
    weekly = scope.rows(
        sessions.annotate(year=ExtractIsoYear("date"), week=ExtractWeek("date")),
        "location__district",
        "year",
        "week",
        "location__name",
        visitors=Sum("visitors"),
    )
    held = Occurrence.objects.filter(date__gte=period.start, date__lte=period.end, attendance__isnull=False)
    activity = scope.rows(held, "activity__location__district", dates=Count("*"), attendance=Sum("attendance"))
    figures = {}
    for key in scope.keys:
        weeks = sorted((group[1:], row["visitors"]) for group, row in weekly.items() if group[0] == key)
        figures[key] = {
            "visitors": _get(totals, (key,), "visitors"),
            "new_visitors": _get(totals, (key,), "new"),
            "visitors_per_week": [
                {"week": f"{year}-W{week:02d}", "place": place, "visitors": visitors}
                for (year, week, place), visitors in weeks
            ],
            "activities": _get(activity, (key,), "dates"),
            "attendance": _get(activity, (key,), "attendance"),
        }
    return figures


def path_figures(period: Period, scope: Scope) -> dict:
    requests = VisitRequest.objects.all()
    arrived = ExpectedVisitor.objects.filter(
        period.q("arrived_at"), announced_by__role__in=["brigadier", "brigade_coordinator"]
    )
    from_signals = scope.rows(
        requests.filter(period.q("created_at"), signal__isnull=False), "district", n=Count("signal", distinct=True)
    )
    referral_visits = scope.rows(
        requests.filter(period.q("closed_at"), status="done", referral__in=REFERRED_ON).exclude(first_contact_at=None),
        "district",
        n=Count("*"),
    )
    arrivals = scope.rows(arrived, "location__district", n=Count("*"))
    return {
        key: {
            "signals_to_brigade": _get(from_signals, (key,), "n"),
            "visits_to_referral": _get(referral_visits, (key,), "n"),
            "referrals_arrived": _get(arrivals, (key,), "n"),
        }
        for key in scope.keys
    }


def _compute(period: Period, scope: Scope, pillars) -> dict:
    """{scope key: {pillar: figures}}"""
    per_pillar = {pillar: PILLARS[pillar](period, scope) for pillar in pillars}
    return {key: {pillar: per_pillar[pillar][key] for pillar in pillars} for key in scope.keys}


def all_figures(period: Period, district=None) -> dict:
    return _compute(period, Scope(district), list(PILLARS))[None]


def figures_per_district(period: Period, pillars=None) -> dict:
    """{district id: figures} for every district, in one grouped query per figure."""
    return _compute(period, Scope(per_district=True), pillars or list(PILLARS))


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
    """Suppressed figures for the city, or for one district (remembered: see `remembered`). A district's count is
    also hidden when it would follow from the city's total and the other districts' counts (every district is
    suppressed together)."""
    pillars = pillars or list(PILLARS)
    if district is None:
        city, _ = remembered(period)
        return suppressed({pillar: city[pillar] for pillar in pillars})
    every, _ = remembered(period, per_district=True)
    every = {key: {pillar: figures[pillar] for pillar in pillars} for key, figures in every.items()}
    keys = list(every)
    per_district = {key: _cells(figures) for key, figures in every.items()}
    own_cells = per_district[district.pk]
    hidden = _hide_in_groups(own_cells, set())
    for path in own_cells:
        shown = suppress_group([per_district[key].get(path, 0) for key in keys])
        if shown[keys.index(district.pk)] == SUPPRESSED:
            hidden.add(path)
    return _apply(every[district.pk], _hide_in_groups(own_cells, hidden))


# --- remembered figures ---------------------------------------------------------------------------------------


def remembered(period: Period, district=None, *, per_district: bool = False, refresh: bool = False):
    """(figures, when they were computed): `all_figures`, or with `per_district` those of every district, kept in
    the shared cache for FIGURES_CACHE_SECONDS. At a million signals a city-wide period reads hundreds of thousands
    of rows; the dashboard and the API read the remembered result, and a beat task refreshes the periods asked most
    (see tasks.refresh_figures). The quarterly report computes afresh."""
    scope = "every" if per_district else district.pk if district is not None else "city"
    key = f"figures:{period.start}:{period.end}:{scope}:{get_language()}"
    found = None if refresh else cache.get(key)
    if found is None:
        figures = figures_per_district(period) if per_district else all_figures(period, district)
        found = (figures, timezone.now())
        cache.set(key, found, settings.FIGURES_CACHE_SECONDS)
    return found
