"""ConcernMonth: the database counts each month's concerns as they are given and taken away, and the figures read
the whole months of a period there. Checked against counting the signals themselves."""

import datetime
import random
from collections import Counter

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meedoen.accounts.models import Role
from meedoen.reports import rollups
from meedoen.reports.figures import Period, all_figures, figures_per_district
from meedoen.reports.models import ConcernMonth
from signalering.models import ConcernCategory, Signal
from tests.factories.signalering import district_with_members, make_signal

# Local moments around month and year ends: 23:30 on 31 January is still January in the Netherlands (22:30 UTC).
MOMENTS = ["2025-12-31 23:30", "2026-01-01 00:30", "2026-01-31 23:30", "2026-02-01 00:10", "2026-02-14 12:00",
           "2026-03-01 09:00", "2026-03-29 02:30", "2026-04-15 10:00", "2026-06-30 23:59", "2026-07-01 00:00"]  # fmt: skip


def local(moment: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(moment))


@pytest.fixture
def spread(make_user):
    """Signals at MOMENTS in two districts; every other one has a second concern."""
    professionals = [make_user(role=Role.PROFESSIONAL) for _ in range(2)]
    districts = [district_with_members(professional) for professional in professionals]
    second = ConcernCategory.objects.create(name="Schulden", position=2)
    signals = []
    for index, moment in enumerate(MOMENTS):
        with time_machine.travel(local(moment), tick=False):
            signal = make_signal(reporter=professionals[index % 2], district=districts[index % 2])
        if index % 2:
            signal.categories.add(second)
        signals.append(signal)
    return {"districts": districts, "signals": signals, "second": second}


def counted_by_hand(period: Period | None = None, district=None) -> Counter:
    """(month or None, district id, category name) -> signals, from the signals themselves."""
    signals = Signal.objects.all()
    if period:
        signals = signals.filter(period.q("created_at"))
    if district:
        signals = signals.filter(district=district)
    found = Counter()
    for signal in signals.prefetch_related("categories"):
        month = None if period else timezone.localtime(signal.created_at).date().replace(day=1)
        for category in signal.categories.all():
            found[(month, signal.district_id, category.name)] += 1
    return found


def months_table() -> Counter:
    rows = ConcernMonth.objects.filter(signals__gt=0).values_list("month", "district", "category__name", "signals")
    return Counter({(month, district, name): count for month, district, name, count in rows})


def test_the_database_counts_concerns_as_they_are_given_and_taken_away(spread):
    assert months_table() == counted_by_hand()
    january = local("2026-01-31 23:30").date().replace(day=1)
    assert months_table()[(january, spread["districts"][0].pk, "Sociaal isolement")] == 1  # not February

    taken = spread["signals"][1]
    taken.categories.remove(spread["second"])
    assert months_table() == counted_by_hand()

    rollups.rebuild()
    assert months_table() == counted_by_hand()


def test_a_signal_moved_to_another_month_or_district_takes_its_concerns_along(spread):
    moved = spread["signals"][1]  # two concerns
    Signal.objects.filter(pk=moved.pk).update(created_at=local("2026-09-09 09:00"))
    assert months_table() == counted_by_hand()
    Signal.objects.filter(pk=moved.pk).update(district=spread["districts"][0], urgency=2)
    assert months_table() == counted_by_hand()
    Signal.objects.filter(pk=moved.pk).update(urgency=3)  # neither date nor district: nothing moves
    assert months_table() == counted_by_hand()


def test_a_bulk_load_without_the_trigger_is_counted_by_rebuild(spread):
    with connection.cursor() as cursor:  # the test's own transaction: check its foreign keys now, or no ALTER TABLE
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with rollups.trigger_off(), time_machine.travel(local("2026-05-05 10:00"), tick=False):
        make_signal(reporter=spread["signals"][0].reporter, district=spread["districts"][0])
    assert months_table() != counted_by_hand()
    rollups.rebuild()
    assert months_table() == counted_by_hand()


def _by_category(figures: dict) -> Counter:
    return Counter({row["name"]: row["count"] for row in figures["signals"]["by_category"]})


def _periods() -> list[Period]:
    day = datetime.date
    fixed = [Period.quarter(2026, 1), Period.quarter(2026, 2), Period(day(2026, 1, 1), day(2026, 1, 31)),
             Period(day(2026, 1, 31), day(2026, 2, 1)), Period(day(2026, 2, 1), day(2026, 2, 1)),
             Period(day(2025, 12, 15), day(2026, 3, 10)), Period(day(2025, 1, 1), day(2026, 12, 31)),
             Period(day(2026, 1, 2), day(2026, 6, 29))]  # fmt: skip
    rng = random.Random(8)
    for _ in range(20):
        start = day(2025, 12, 1) + datetime.timedelta(days=rng.randrange(240))
        fixed.append(Period(start, start + datetime.timedelta(days=rng.randrange(200))))
    return fixed


@pytest.mark.parametrize("period", _periods(), ids=lambda period: period.label())
def test_figures_agree_with_counting_the_signals_for_any_period(spread, period):
    names = Counter()
    for (_, _, name), count in counted_by_hand(period).items():
        names[name] += count
    assert _by_category(all_figures(period)) == names

    district = spread["districts"][1]
    in_district = Counter()
    for (_, _, name), count in counted_by_hand(period, district).items():
        in_district[name] += count
    assert _by_category(all_figures(period, district)) == in_district
    assert _by_category(figures_per_district(period, ["signals"])[district.pk]) == in_district


def test_whole_months_are_read_from_the_counts_and_not_from_the_signals_concerns(spread):
    """The point of ConcernMonth (speed is measured by `make bench`; here: which table a period's concerns come from)."""
    with CaptureQueriesContext(connection) as whole:
        all_figures(Period.quarter(2026, 1))
    with CaptureQueriesContext(connection) as ragged:
        all_figures(Period(datetime.date(2026, 1, 15), datetime.date(2026, 3, 31)))
    concerns = "signalering_signal_categories"
    assert not any(concerns in query["sql"] for query in whole.captured_queries)
    assert any("reports_concernmonth" in query["sql"] for query in whole.captured_queries)
    edge_days = [query["sql"] for query in ragged.captured_queries if concerns in query["sql"]]
    assert len(edge_days) == 1 and "2026-01-15" in edge_days[0] and "2026-03" not in edge_days[0]
