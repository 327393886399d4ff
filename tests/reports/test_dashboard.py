"""The project leader's dashboard: the figures of `all_figures`, a filter kept in the URL, no error on bad input,
charts without inline styles, and a query count that does not grow with the data."""

import datetime
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from brigade import services as brigade_services
from meedoen.accounts.models import Role
from meedoen.privacy.models import Resident
from meedoen.reports import charts
from meedoen.reports.dashboard import PRESETS, preset_period
from meedoen.reports.figures import DEFINITIONS, Period, all_figures
from signalering import services
from tests.factories.brigade import make_brigadier, make_request
from tests.factories.signalering import district_with_members, make_meeting, make_signal
from tests.factories.zelfregie import make_location, make_session

Q1 = Period.quarter(2026, 1)
Q1_QUERY = {"start": "2026-01-01", "end": "2026-03-31"}


def at(day: str, hour: int = 10):
    return time_machine.travel(timezone.make_aware(datetime.datetime.fromisoformat(day).replace(hour=hour)), tick=False)


@pytest.fixture
def world(make_user):
    """In Q1 2026: three signals in the district (one discussed and closed), one in another district; a brigade
    visit that ended in a referral to care; two walk-in sessions with 12 visitors."""
    professional, chair = make_user(role=Role.PROFESSIONAL), make_user(role=Role.CHAIR)
    coordinator = make_user(role=Role.BRIGADE_COORDINATOR)
    district = district_with_members(professional, chairs=[chair])
    other = district_with_members(make_user(role=Role.PROFESSIONAL))
    with at("2026-01-05"):
        first = make_signal(
            reporter=professional, district=district, new_resident={"postcode": "2311 AA", "house_number": "1"}
        )
        second = make_signal(reporter=professional, district=district)
        make_signal(reporter=professional, district=district)
    with at("2026-02-02"):
        make_signal(reporter=other.memberships.get().user, district=other)
    with at("2026-01-13"):
        services.discussion_save(
            meeting=make_meeting(district, days_ahead=0),
            signal=second,
            user=chair,
            expected_version=None,
            notes="",
            decision="",
            status="closed",
            outcome="no_action",
        )
    with at("2026-02-03"):
        visit = make_request(signal=first)
        brigadier = make_brigadier(districts=[district])
        assignment = brigade_services.assignment_create(
            visit_request=visit, brigadier=brigadier, assigned_by=coordinator
        )
    with at("2026-02-06"):
        brigade_services.contact_log(
            assignment=assignment,
            user=brigadier.user,
            date=datetime.date(2026, 2, 6),
            kind="home_visit",
            duration_minutes=60,
        )
    with at("2026-02-20"):
        brigade_services.visit_request_close(visit_request=visit, user=brigadier.user, referral="care")
    place = make_location(district=district, name="Huis van de Buurt Matilo")
    make_session(place, day=datetime.date(2026, 3, 2), visitors=7, new_visitors=2)
    make_session(place, day=datetime.date(2026, 3, 3), visitors=5)
    return {"district": district, "other": other, "professional": professional}


@pytest.fixture
def leader(client, make_user):
    client.force_login(make_user(role=Role.PROJECT_LEADER))
    return client


def dutch(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


def shown_figure(content: str, element_id: str) -> str:
    """The text of a figure tile's value, as a reader sees it."""
    match = re.search(rf'id="{element_id}">\s*<dt[^>]*>.*?</dt>\s*<dd class="figure-value">(.*?)</dd>', content, re.S)
    assert match, f"no figure {element_id}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def table_rows(content: str, chart_id: str) -> dict[str, list[str]]:
    """The rows of a chart's data table: row heading -> cells."""
    figure = re.search(rf'<figure class="chart" id="{chart_id}">(.*?)</figure>', content, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", figure, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        heading = re.search(r"<th[^>]*>(.*?)</th>", row, re.S)
        if heading:
            rows[html.unescape(heading.group(1))] = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    return rows


def test_the_figures_shown_are_those_of_all_figures(world, leader):
    figures = all_figures(Q1)

    content = leader.get(reverse("reports:dashboard"), Q1_QUERY).content.decode()

    expected = {
        "figure-signals-new": str(figures["signals"]["new"]),
        "figure-signals-closed": str(figures["signals"]["closed"]),
        "figure-signals-share-overdue": f"{figures['signals']['share_overdue']}%",
        "figure-brigade-requests": "1",
        "figure-brigade-residents-visited": "1",
        "figure-brigade-referred-on": "1",
        "figure-brigade-median-days-to-first-contact": f"3 {dutch('days')}",
        "figure-zelfregie-visitors": "12",
        "figure-zelfregie-new-visitors": "2",
    }
    assert figures["signals"]["new"] == 4
    for element_id, text in expected.items():
        assert shown_figure(content, element_id) == text, element_id
    assert table_rows(content, "chart-signals-category") == {"Sociaal isolement": ["4"]}
    outcomes = table_rows(content, "chart-signals-outcome")
    assert [cells[0] for cells in outcomes.values()] == [str(row["count"]) for row in figures["signals"]["by_outcome"]]
    weekly = table_rows(content, "chart-zelfregie-weekly")
    assert weekly == {"2026-W10": ["12", "12"]}  # Matilo, and the total
    funnel = table_rows(content, "chart-path")
    assert [cells[0] for cells in funnel.values()] == ["4", "1", "1", "0"]


def test_a_median_without_data_reads_as_no_data(world, leader):
    content = leader.get(reverse("reports:dashboard"), {"start": "2025-01-01", "end": "2025-03-31"}).content.decode()

    assert shown_figure(content, "figure-signals-median-working-days-to-first-discussion") == "–" + dutch("no data")
    assert shown_figure(content, "figure-signals-new") == "0"


def test_every_figure_shows_its_definition(world, leader):
    content = leader.get(reverse("reports:dashboard"), Q1_QUERY).content.decode()

    for key in ("signals.new", "brigade.referred_on", "zelfregie.visitors_per_week", "path.referrals_arrived"):
        assert html.escape(str(DEFINITIONS[key]), quote=True) in content


def test_district_filter_shows_that_district_only(world, leader):
    response = leader.get(reverse("reports:dashboard"), {**Q1_QUERY, "district": world["other"].pk})

    content = response.content.decode()
    assert response.context["district"] == world["other"]
    assert shown_figure(content, "figure-signals-new") == "1"
    assert shown_figure(content, "figure-brigade-requests") == "0"
    assert shown_figure(content, "figure-zelfregie-visitors") == "0"
    assert world["other"].name in content


@time_machine.travel(datetime.datetime(2026, 5, 10, 12, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [
        ("this_quarter", datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
        ("last_quarter", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        ("last_12_months", datetime.date(2025, 5, 11), datetime.date(2026, 5, 10)),
        ("last_18_months", datetime.date(2024, 11, 11), datetime.date(2026, 5, 10)),
    ],
)
def test_presets(leader, preset, start, end):
    response = leader.get(reverse("reports:dashboard"), {"preset": preset})

    assert response.context["period"] == Period(start, end)
    assert not response.context["problems"]
    active = [item["key"] for item in response.context["presets"] if item["active"]]
    assert active == [preset]


@time_machine.travel(datetime.datetime(2026, 5, 10, 12, tzinfo=datetime.UTC), tick=False)
def test_without_a_filter_the_dashboard_shows_this_quarter(leader):
    response = leader.get(reverse("reports:dashboard"))

    assert response.context["period"] == Period.quarter(2026, 2)
    assert response.context["district"] is None


def test_preset_links_keep_the_district_and_the_form_shows_the_period(world, leader):
    response = leader.get(reverse("reports:dashboard"), {"preset": "last_quarter", "district": world["district"].pk})

    content = response.content.decode()
    assert f"?preset=last_12_months&amp;district={world['district'].pk}" in content
    period = response.context["period"]
    assert f'value="{period.start.isoformat()}"' in content  # <input type="date"> wants ISO dates
    assert f'value="{period.end.isoformat()}"' in content


@time_machine.travel(datetime.datetime(2026, 5, 10, 12, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    "query",
    [
        {"start": "gisteren", "end": "2026-03-31"},
        {"start": "2026-03-31", "end": "2026-01-01"},
        {"start": "2026-01-01"},
        {"start": "1900-01-01", "end": "2026-01-01"},
        {"start": "2026-02-30", "end": "2026-03-31"},
        {"district": "999999"},
        {"district": "abc"},
        {"preset": "forever"},
        {"start": "2026-01-01\x00", "end": "9999-99-99"},
        {"start": "9998-01-01", "end": "9999-12-31"},  # would overflow the end of the calendar
        {"start": "2026-01-01", "end": "2032-01-01"},
    ],
)
def test_bad_input_falls_back_to_this_quarter_with_a_message(db, leader, query):
    response = leader.get(reverse("reports:dashboard"), query)

    assert response.status_code == 200
    assert response.context["period"] == Period.quarter(2026, 2)
    assert response.context["problems"]
    assert 'role="alert"' in response.content.decode()


def test_bad_dates_are_explained_in_dutch(db, leader):
    response = leader.get(reverse("reports:dashboard"), {"start": "gisteren", "end": "2026-03-31"})

    assert "Vul een geldige datum in." in response.content.decode()


def test_a_valid_district_is_kept_when_the_dates_are_wrong(world, leader):
    response = leader.get(reverse("reports:dashboard"), {"start": "nope", "end": "", "district": world["other"].pk})

    assert response.context["problems"]
    assert response.context["district"] == world["other"]


def test_posting_is_not_allowed(db, leader):
    assert leader.post(reverse("reports:dashboard")).status_code == 405


def test_charts_are_inline_svg_without_styles_or_scripts(world, leader):
    content = leader.get(reverse("reports:dashboard"), Q1_QUERY).content.decode()
    main = content[content.index("<main") : content.index("</main>")]

    assert main.count("<svg") == 5
    assert main.count('role="img"') == 5
    assert "style=" not in main  # style-src 'self': inline style attributes would be blocked
    assert "<script" not in main
    assert len(re.findall(r"<svg[^>]*aria-labelledby=\"([^\"]+)\"", main)) == 5
    for title_id in re.findall(r"<svg[^>]*aria-labelledby=\"([^\"]+)\"", main):
        assert f'<title id="{title_id}">' in main
    assert main.count("<details") == 5  # every chart has its data table
    # Coordinates are written with a decimal point, whatever the language (the Dutch comma would break the SVG).
    assert not re.search(r'(?:x|y|width|height)="\d+,\d', main)
    assert "/static/css/charts.css" in content


def test_the_dashboard_is_in_the_navigation_of_the_project_leader(db, leader):
    content = leader.get(reverse("home")).content.decode()

    assert f'href="{reverse("reports:dashboard")}"' in content


def test_the_dashboard_holds_no_personal_data(world, leader):
    content = leader.get(reverse("reports:dashboard"), Q1_QUERY).content.decode()

    for pseudonym in Resident.objects.values_list("pseudonym", flat=True):
        assert pseudonym not in content
    assert str(world["professional"]) not in content


def _queries(client, query) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("reports:dashboard"), query).status_code == 200
    return len(captured)


def _more_data(professional, district, count: int) -> None:
    with at("2026-02-10"):
        for _ in range(count):
            make_signal(reporter=professional, district=district)
    place = make_location(district=district)
    for day in range(count):
        make_session(place, day=datetime.date(2026, 1, 5) + datetime.timedelta(days=day), visitors=3)


def test_query_count_does_not_grow_with_the_data(world, leader, django_assert_max_num_queries):
    _more_data(world["professional"], world["district"], 5)
    few = _queries(leader, Q1_QUERY)
    _more_data(world["professional"], world["district"], 45)
    many = _queries(leader, Q1_QUERY)

    assert few == many
    with django_assert_max_num_queries(30):
        leader.get(reverse("reports:dashboard"), {**Q1_QUERY, "district": world["district"].pk})


def test_remembered_figures_are_shown_without_counting_again(world, leader, settings):
    settings.FIGURES_CACHE_SECONDS = 600
    first = _queries(leader, Q1_QUERY)
    with at("2026-02-03"):
        make_signal(reporter=world["professional"], district=world["district"])
    with CaptureQueriesContext(connection) as second:
        response = leader.get(reverse("reports:dashboard"), Q1_QUERY)
    assert len(second) <= first - 15  # the 17 figure queries are not run again
    assert shown_figure(response.content.decode(), "figure-signals-new") == "4"  # as counted, until refreshed
    assert 'id="dashboard-computed"' in response.content.decode()


def test_refreshing_twice_counts_afresh_and_leaves_the_same_figures(world, leader, settings):
    from meedoen.reports.tasks import refresh_figures

    settings.FIGURES_CACHE_SECONDS = 600
    with at("2026-02-10"):
        assert refresh_figures() == refresh_figures() == 2 * (len(PRESETS) + 2)
        with CaptureQueriesContext(connection) as queries:
            response = leader.get(reverse("reports:dashboard"), {"preset": "this_quarter"})
    assert not [query for query in queries if "signalering_signal" in query["sql"]]
    assert shown_figure(response.content.decode(), "figure-signals-new") == str(all_figures(Q1)["signals"]["new"])


def test_the_dashboard_works_when_the_cache_is_down(world, leader, settings):
    settings.FIGURES_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "meedoen.core.cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = leader.get(reverse("reports:dashboard"), Q1_QUERY)
    assert response.status_code == 200
    assert shown_figure(response.content.decode(), "figure-signals-new") == "4"


# --- the charts' geometry -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "top", "step"), [(0, 1, 1), (3, 3, 1), (12, 15, 5), (100, 100, 20), (1234, 1500, 500), (7, 8, 2)]
)
def test_axis_tops_and_steps_are_round(value, top, step):
    assert charts.nice_ceiling(value) == (top, step)


def test_the_longest_bar_fills_the_plot_and_the_others_scale():
    chart = charts.bar_chart("c", "Title", [("a", 10), ("b", 5), ("c", 0)])

    widths = [bar.width for bar in chart.bars]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert chart.bars[0].x + widths[0] + 56 <= chart.width  # room left for the value
    assert not chart.empty


def test_a_funnel_centres_its_bars():
    chart = charts.bar_chart("c", "Funnel", [("a", 10), ("b", 4)], centered=True)

    middles = {round(bar.x + bar.width / 2, 1) for bar in chart.bars}
    assert len(middles) == 1


def test_suppressed_counts_are_written_but_not_drawn():
    chart = charts.bar_chart("c", "Report", [("a", 10), ("b", "<5")])

    assert chart.bars[1].value == "<5" and chart.bars[1].width == 0


def test_long_labels_are_shortened_in_the_chart_but_not_in_the_table():
    label = "referred to the social district team of the neighbourhood next door"
    chart = charts.bar_chart("c", "T", [(label, 3)])

    assert chart.bars[0].label == label
    assert chart.bars[0].short_label.endswith("…") and len(chart.bars[0].short_label) < len(label)


def test_columns_stack_per_series_and_total_per_column():
    rows = [
        {"week": "2026-W01", "place": "B", "visitors": 4},
        {"week": "2026-W01", "place": "A", "visitors": 6},
        {"week": "2026-W02", "place": "A", "visitors": 3},
    ]
    chart = charts.column_chart("c", "T", rows, column_key="week", series_key="place", value_key="visitors")

    assert [s["name"] for s in chart.series] == ["A", "B"]
    first, second = chart.columns
    assert (first.total, first.values, second.values) == (10, [6, 4], [3, None])
    a, b = first.segments
    assert a.y + a.height == pytest.approx(chart.baseline) and b.y + b.height == pytest.approx(a.y)
    assert chart.ticks[-1].value >= 10


def test_an_empty_chart_says_so():
    assert charts.bar_chart("c", "T", []).empty
    assert charts.bar_chart("c", "T", [("a", 0)]).empty
    assert charts.column_chart("c", "T", [], column_key="w", series_key="p", value_key="v").empty


def test_presets_are_whole_periods():
    today = datetime.date(2026, 1, 2)
    assert preset_period("last_quarter", today) == Period.quarter(2025, 4)
    assert preset_period("this_quarter", today) == Period.quarter(2026, 1)


def test_a_chart_of_many_meeting_places_shows_the_busiest_and_the_others_together():
    from meedoen.reports.dashboard import MOST_PLACES, _fold_places

    rows = [
        {"week": week, "place": f"Plek {n}", "visitors": n} for week in ("2026-W01", "2026-W02") for n in range(1, 9)
    ]
    with translation.override("nl"):
        folded = _fold_places(rows)
    places = {row["place"] for row in folded}
    assert len(places) == MOST_PLACES
    assert {"Plek 8", "Plek 4"} <= places and "Plek 3" not in places
    others = [row for row in folded if row["place"].startswith("Andere")]
    assert [row["visitors"] for row in others] == [6, 6]  # places 1 to 3
    assert sum(row["visitors"] for row in folded) == sum(row["visitors"] for row in rows)
    assert _fold_places(rows[:MOST_PLACES]) == rows[:MOST_PLACES]
