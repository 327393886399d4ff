"""Figures against a small world whose numbers are counted by hand."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from brigade import services as brigade_services
from meedoen.accounts.models import Role
from meedoen.reports.figures import (
    Period,
    all_figures,
    figures_per_district,
    public_figures,
    suppress,
    suppress_group,
    suppressed,
)
from signalering import services
from signalering.models import Signal
from tests.factories.brigade import make_brigadier, make_request
from tests.factories.signalering import district_with_members, make_meeting, make_signal
from tests.factories.zelfregie import make_activity, make_location, make_session

Q1 = Period.quarter(2026, 1)  # 1 January – 31 March 2026


def at(day: str, hour: int = 10):
    return time_machine.travel(timezone.make_aware(datetime.datetime.fromisoformat(day).replace(hour=hour)), tick=False)


@pytest.fixture
def world(make_user):
    """In Q1: three signals reported (one also in Q2), one closed; one brigade visit with a referral; 12 visitors."""
    professional, chair = make_user(role=Role.PROFESSIONAL), make_user(role=Role.CHAIR)
    coordinator, host = make_user(role=Role.BRIGADE_COORDINATOR), make_user(role=Role.HOST)
    district = district_with_members(professional, chairs=[chair])
    other_district = district_with_members(make_user(role=Role.PROFESSIONAL))
    with at("2026-01-05"):  # Monday
        first = make_signal(
            reporter=professional, district=district, new_resident={"postcode": "2311 AA", "house_number": "1"}
        )
        second = make_signal(reporter=professional, district=district)
    with at("2026-02-02"):
        make_signal(reporter=other_district.memberships.get().user, district=other_district)
    with at("2026-04-01"):
        make_signal(reporter=professional, district=district)  # next quarter
    with at("2026-01-13"):  # Tuesday: 6 working days after 5 January
        meeting = make_meeting(district, days_ahead=0)
        services.discussion_save(
            meeting=meeting,
            signal=first,
            user=chair,
            expected_version=None,
            notes="",
            decision="",
            status="in_progress",
        )
    with at("2026-01-27"):  # 16 working days after 5 January: too late (deadline 10 working days)
        meeting = make_meeting(district, days_ahead=0, hour=14)
        services.discussion_save(
            meeting=meeting,
            signal=second,
            user=chair,
            expected_version=None,
            notes="",
            decision="",
            status="closed",
            outcome="no_action",
        )
    with at("2026-02-03"):
        visit = make_request(signal=Signal.objects.get(pk=first.pk))
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
    place = make_location(district=district, hosts=[host])
    make_session(place, day=datetime.date(2026, 3, 2), visitors=7, new_visitors=2)  # week 10
    make_session(place, day=datetime.date(2026, 3, 3), visitors=5, new_visitors=0)  # week 10
    make_session(place, day=datetime.date(2026, 4, 1), visitors=9)  # next quarter
    activity = make_activity(location=place, host=host)
    activity.occurrences.filter(date__lt=datetime.date(2026, 4, 1)).delete()
    return {"district": district, "other_district": other_district}


def test_signal_figures(world):
    figures = all_figures(Q1)["signals"]
    assert (figures["new"], figures["closed"]) == (3, 1)
    assert figures["by_category"] == [{"name": "Sociaal isolement", "count": 3}]
    assert {row["key"]: row["count"] for row in figures["by_outcome"]} == {
        "care": 0,
        "activity": 0,
        "brigade": 0,
        "no_action": 1,
        "elsewhere": 0,
        "not_reached": 0,
    }
    assert figures["median_working_days_to_first_discussion"] == 11.0  # median of 6 and 16
    # The first was discussed in time, the second too late, the third (2 February) never by now: 2 of 3 late.
    assert figures["share_overdue"] == 67


def test_brigade_and_path_figures(world):
    figures = all_figures(Q1)
    assert figures["brigade"]["requests"] == 1
    assert figures["brigade"]["residents_visited"] == 1
    assert figures["brigade"]["referred_on"] == 1
    assert figures["brigade"]["median_days_to_first_contact"] == 3.0  # 3 to 6 February (the contact's date at noon)
    assert figures["path"] == {"signals_to_brigade": 1, "visits_to_referral": 1, "referrals_arrived": 0}


def test_residents_visited_counts_people_reached_not_closed_doors(world, make_user):
    """In the city (an array of the contacted requests) and in a district (a join) alike."""
    district = world["district"]
    with at("2026-03-02"):
        signal = make_signal(
            reporter=district.memberships.first().user,
            district=district,
            new_resident={"postcode": "2311 AB", "house_number": "2"},
        )
        brigadier = make_brigadier(districts=[district])
        assignment = brigade_services.assignment_create(
            visit_request=make_request(signal=signal),
            brigadier=brigadier,
            assigned_by=make_user(role=Role.BRIGADE_COORDINATOR),
        )

    def visited():
        return (
            all_figures(Q1)["brigade"]["residents_visited"],
            all_figures(Q1, district)["brigade"]["residents_visited"],
            figures_per_district(Q1)[district.pk]["brigade"]["residents_visited"],
        )

    def contact(day, kind):
        with at(day):
            brigade_services.contact_log(
                assignment=assignment,
                user=brigadier.user,
                date=datetime.date.fromisoformat(day),
                kind=kind,
                duration_minutes=10,
            )

    contact("2026-03-03", "no_answer")
    assert visited() == (1, 1, 1)
    contact("2026-04-02", "phone")  # next quarter
    assert visited() == (1, 1, 1)
    contact("2026-03-04", "phone")
    assert visited() == (2, 2, 2)


def test_zelfregie_figures(world):
    figures = all_figures(Q1)["zelfregie"]
    assert (figures["visitors"], figures["new_visitors"]) == (12, 2)
    assert figures["visitors_per_week"] == [
        {"week": "2026-W10", "place": figures["visitors_per_week"][0]["place"], "visitors": 12}
    ]
    assert (figures["activities"], figures["attendance"]) == (0, 0)


def test_district_filter(world):
    figures = all_figures(Q1, world["other_district"])
    assert figures["signals"]["new"] == 1
    assert figures["brigade"]["requests"] == 0
    assert figures["zelfregie"]["visitors"] == 0


def test_every_district_at_once_gives_each_districts_own_figures(world):
    every = figures_per_district(Q1)
    assert set(every) == {world["district"].pk, world["other_district"].pk}
    for district in (world["district"], world["other_district"]):
        assert every[district.pk] == all_figures(Q1, district)
    assert every[world["district"].pk]["zelfregie"]["visitors"] == 12


def test_quarters():
    assert Period.quarter(2026, 4) == Period(datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert Period.last_quarter(datetime.date(2026, 1, 2)) == (2025, 4)
    assert Period.last_quarter(datetime.date(2026, 11, 23)) == (2026, 3)


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (120, 120)])
def test_small_counts_are_suppressed(count, shown):
    assert suppress(count) == shown


def test_a_single_hidden_count_cannot_be_derived_from_the_total():
    assert suppress_group([3, 10, 7, 40]) == ["<5", 10, "<5", 40]
    assert suppress_group([3, 2, 40]) == ["<5", "<5", 40]
    assert suppress_group([0, 3, 0]) == [0, "<5", 0]  # nothing else to hide: the total is also suppressed
    assert suppress_group([6, 7]) == [6, 7]


def test_suppressed_figures_hide_small_counts_and_medians_of_small_groups(world):
    figures = suppressed(all_figures(Q1))
    assert figures["signals"]["new"] == "<5"
    assert figures["signals"]["median_working_days_to_first_discussion"] is None  # of only 3 signals
    assert figures["zelfregie"]["visitors"] == 12


def figures_with(**by_referral):
    rows = [
        {"key": key, "name": key, "count": by_referral.get(key, 0)}
        for key in ("social_team", "care", "activity", "zelfregie", "own_strength", "no_contact")
    ]
    referred = sum(by_referral.get(key, 0) for key in ("social_team", "care", "activity", "zelfregie"))
    return {
        "brigade": {"requests": 40, "referred_on": referred, "by_referral": rows, "median_days_to_first_contact": 3.0}
    }


def test_a_hidden_referral_cannot_be_derived_from_referred_on():
    shown = suppressed(figures_with(social_team=3, care=10, activity=6, own_strength=8, no_contact=7))
    counts = {row["key"]: row["count"] for row in shown["brigade"]["by_referral"]}
    assert counts["social_team"] == "<5"
    assert counts["activity"] == "<5"  # the smallest other referral: else 19 − 10 − 6 gives the 3 away
    assert shown["brigade"]["referred_on"] == 19


def test_medians_and_shares_of_small_groups_are_hidden():
    shown = suppressed({"brigade": {"requests": 3, "first_contacts": 3, "median_days_to_first_contact": 4.0}})
    assert shown["brigade"]["median_days_to_first_contact"] is None


def test_a_districts_count_is_hidden_when_it_follows_from_the_city_total(make_user):
    counts = {}
    for number in (8, 6, 2):
        reporter = make_user(role=Role.PROFESSIONAL)
        district = district_with_members(reporter)
        with at("2026-02-02"):
            for _ in range(number):
                make_signal(reporter=reporter, district=district)
        counts[number] = district
    assert public_figures(Q1)["signals"]["new"] == 16
    assert public_figures(Q1, counts[2])["signals"]["new"] == "<5"
    assert public_figures(Q1, counts[6])["signals"]["new"] == "<5"  # else 16 − 8 − 6 gives the 2 away
    assert public_figures(Q1, counts[8])["signals"]["new"] == 8


def test_returning_visitors_cannot_be_derived_by_subtraction():
    shown = suppressed(
        {"zelfregie": {"visitors": 40, "new_visitors": 37, "visitors_per_week": [], "activities": 0, "attendance": 0}}
    )
    assert shown["zelfregie"]["new_visitors"] == "<5" and shown["zelfregie"]["visitors"] == 40


def test_a_median_is_hidden_when_it_rests_on_few_cases():
    shown = suppressed({"brigade": {"requests": 40, "first_contacts": 2, "median_days_to_first_contact": 3.0}})
    assert shown["brigade"]["median_days_to_first_contact"] is None
    shown = suppressed({"brigade": {"requests": 40, "first_contacts": 9, "median_days_to_first_contact": 3.0}})
    assert shown["brigade"]["median_days_to_first_contact"] == 3.0


def test_the_project_leaders_home_shows_this_quarters_figures(client, make_user, world):
    client.force_login(make_user(role=Role.PROJECT_LEADER))
    with at("2026-03-31", hour=18):
        panel = client.get("/").context["panels"][0]
    assert [item.text for item in panel.items][0].endswith(": 3")  # three signals reported in Q1
