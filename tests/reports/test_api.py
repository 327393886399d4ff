"""The statistics API: suppressed figures per quarter, district and pillar; token auth; schema and docs page."""

import datetime
import itertools
import re
from io import StringIO

import pytest
import time_machine
import yaml
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_spec_validator import validate as validate_openapi
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from meedoen.accounts.models import Role
from meedoen.reports.api import StatisticsRateThrottle
from meedoen.reports.figures import PILLARS, Period, all_figures, public_figures
from tests.factories.brigade import make_request
from tests.factories.signalering import district_with_members, make_signal
from tests.factories.zelfregie import make_location, make_session

Q1 = Period.quarter(2026, 1)
TODAY = "2026-05-11"  # a Monday in Q2, so that Q1 is complete and Q2 is the current quarter
API_ROLES = {Role.MUNICIPALITY, Role.PROJECT_LEADER, Role.ADMIN}
ENDPOINTS = ["/api/v1/", "/api/v1/figures/?year=2026&quarter=1", "/api/v1/districts/", "/api/v1/quarters/"]


def at(day: str, hour: int = 10):
    return time_machine.travel(timezone.make_aware(datetime.datetime.fromisoformat(day).replace(hour=hour)), tick=False)


@pytest.fixture(autouse=True)
def frozen_today():
    with at(TODAY, hour=12):
        yield


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The throttle counts in the cache; each test starts with an empty count."""
    cache.clear()


@pytest.fixture
def api_for(db):
    """An API client sending the token of the given user, with English messages (Dutch is the default)."""

    def make(user, language="en"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        client.cookies["django_language"] = language
        return client

    return make


@pytest.fixture
def municipality(make_user):
    return make_user(role=Role.MUNICIPALITY)


@pytest.fixture
def api(api_for, municipality):
    return api_for(municipality)


HOUSE_NUMBERS = itertools.count(1)


def _populate(professional, other, *, signals_a, signals_b, places):
    """Signals in Q1 in two districts, one in Q2, a brigade visit from one signal, and walk-in visitors."""
    district_a = professional.memberships.get().district
    district_b = other.memberships.get().district
    with at("2026-01-05"):
        address = {"postcode": "2311 AA", "house_number": str(next(HOUSE_NUMBERS))}
        first = make_signal(reporter=professional, district=district_a, new_resident=address)
        for _ in range(signals_a - 1):
            make_signal(reporter=professional, district=district_a)
    with at("2026-02-02"):
        for _ in range(signals_b):
            make_signal(reporter=other, district=district_b)
    with at("2026-02-03"):
        make_request(signal=first)
    with at("2026-04-01"):
        make_signal(reporter=professional, district=district_a)  # the next quarter
    for _ in range(places):
        place = make_location(district=district_a)
        make_session(place, day=datetime.date(2026, 3, 2), visitors=7, new_visitors=2)  # week 10
        make_session(place, day=datetime.date(2026, 3, 3), visitors=5, new_visitors=0)


@pytest.fixture
def world(make_user):
    """In Q1: 6 signals in district A and 2 in district B; one visit request; 12 visitors (2 new) at one place."""
    professional, other = make_user(role=Role.PROFESSIONAL), make_user(role=Role.PROFESSIONAL)
    district_a, district_b = district_with_members(professional), district_with_members(other)
    _populate(professional, other, signals_a=6, signals_b=2, places=1)
    return {"a": district_a, "b": district_b, "professional": professional, "other": other}


# --- figures --------------------------------------------------------------------------------------------------


def test_figures_of_the_city_are_the_suppressed_figures(api, world):
    response = api.get("/api/v1/figures/", {"year": 2026, "quarter": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["figures"] == public_figures(Q1)
    assert (body["year"], body["quarter"], body["start"], body["end"]) == (2026, 1, "2026-01-01", "2026-03-31")
    assert body["district"] is None
    # Counted by hand: 8 signals, 1 visit request (shown as "<5"), 12 visitors of whom 2 new ("<5").
    assert body["figures"]["signals"]["new"] == 8
    assert body["figures"]["signals"]["by_category"] == [{"name": "Sociaal isolement", "count": 8}]
    assert body["figures"]["brigade"]["requests"] == "<5"
    assert body["figures"]["path"]["signals_to_brigade"] == "<5"
    assert (body["figures"]["zelfregie"]["visitors"], body["figures"]["zelfregie"]["new_visitors"]) == (12, "<5")


def test_figures_of_a_district_by_cbs_code(api, world):
    district_b = world["b"]
    response = api.get("/api/v1/figures/", {"year": 2026, "quarter": 1, "district": district_b.cbs_code})
    assert response.status_code == 200
    body = response.json()
    assert body["district"] == {"cbs_code": district_b.cbs_code, "name": district_b.name}
    assert body["figures"] == public_figures(Q1, district_b)
    assert body["figures"]["signals"]["new"] == "<5"  # 2 signals
    assert body["figures"]["zelfregie"]["visitors"] == 0


def test_figures_of_one_pillar(api, world):
    response = api.get(
        "/api/v1/figures/", {"year": 2026, "quarter": 1, "district": world["a"].cbs_code, "pillar": "zelfregie"}
    )
    assert response.status_code == 200
    assert response.json()["figures"] == public_figures(Q1, world["a"], ["zelfregie"])


def test_the_pillars_are_those_of_all_figures(db):
    assert list(PILLARS) == list(all_figures(Q1))


def test_a_quarter_without_data_has_zero_figures(api, world):
    body = api.get("/api/v1/figures/", {"year": 2025, "quarter": 2}).json()
    assert body["figures"]["signals"]["new"] == 0
    assert body["figures"]["signals"]["median_working_days_to_first_discussion"] is None


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({}, "year", "Give the year, e.g. year=2026."),
        ({"year": 2026}, "quarter", "Give the quarter (1 to 4), e.g. quarter=3."),
        ({"year": "", "quarter": 1}, "year", "The year must be a whole number, e.g. 2026."),
        ({"year": "twenty", "quarter": 1}, "year", "The year must be a whole number, e.g. 2026."),
        ({"year": "1e3", "quarter": 1}, "year", "The year must be a whole number, e.g. 2026."),
        ({"year": 1999, "quarter": 1}, "year", "The year must lie between 2000 and 2100."),
        ({"year": "9" * 30, "quarter": 1}, "year", "The year must lie between 2000 and 2100."),
        ({"year": 2026, "quarter": 5}, "quarter", "The quarter must be 1, 2, 3 or 4."),
        ({"year": 2026, "quarter": 0}, "quarter", "The quarter must be 1, 2, 3 or 4."),
        ({"year": 2026, "quarter": "Q3"}, "quarter", "The quarter must be 1, 2, 3 or 4."),
        (
            {"year": 2026, "quarter": 1, "district": "WK999999"},
            "district",
            'Unknown district "WK999999". The CBS codes are listed at /api/v1/districts/.',
        ),
        (
            {"year": 2026, "quarter": 1, "district": "WK" + "0" * 20},
            "district",
            "Unknown district. The CBS codes are listed at /api/v1/districts/.",
        ),
        (
            {"year": 2026, "quarter": 1, "district": ""},
            "district",
            "Give a CBS district code, e.g. WK054601, or leave out district= for the whole city.",
        ),
        (
            {"year": 2026, "quarter": 1, "pillar": "care"},
            "pillar",
            'Unknown pillar "care". Choose signals, brigade, zelfregie or path.',
        ),
        (
            {"year": 2026, "quarter": 1, "distrct": "WK054601"},
            "distrct",
            "Unknown parameter. Allowed: year, quarter, district, pillar.",
        ),
    ],
)
def test_bad_parameters_get_400_with_a_message(api, query, field, message):
    response = api.get("/api/v1/figures/", query)
    assert response.status_code == 400
    assert response.json()[field] == [message]


def test_a_null_character_is_refused_not_a_server_error(api):
    response = api.get("/api/v1/figures/?year=2026&quarter=1&district=WK%00")
    assert response.status_code == 400
    assert "district" in response.json()


def test_messages_are_dutch_unless_english_was_chosen(api_for, municipality, make_user):
    """Dutch first, as in the rest of the site; test_translations keeps every message translated."""
    professional = api_for(make_user(role=Role.PROFESSIONAL), language="nl")
    response = APIClient().get("/api/v1/districts/")
    assert response.status_code == 401
    assert response["Content-Language"] == "nl"
    assert response.json()["detail"] == "Authenticatiegegevens zijn niet opgegeven."
    assert professional.get("/api/v1/districts/")["Content-Language"] == "nl"
    assert api_for(municipality).get("/api/v1/figures/")["Content-Language"] == "en"


# --- the other endpoints ---------------------------------------------------------------------------------------


def test_districts_lists_cbs_codes_and_names(api, world):
    response = api.get("/api/v1/districts/")
    assert response.status_code == 200
    assert response.json() == sorted(
        [{"cbs_code": d.cbs_code, "name": d.name} for d in (world["a"], world["b"])], key=lambda d: d["cbs_code"]
    )


def test_quarters_run_from_the_first_with_data_to_the_current_one(api, world):
    assert api.get("/api/v1/quarters/").json() == [
        {"year": 2026, "quarter": 2, "start": "2026-04-01", "end": "2026-06-30", "complete": False},
        {"year": 2026, "quarter": 1, "start": "2026-01-01", "end": "2026-03-31", "complete": True},
    ]


def test_quarters_count_walk_in_visitors_but_not_planned_sessions(api, db):
    place = make_location()
    make_session(place, day=datetime.date(2026, 6, 1), visitors=0)  # planned, nobody counted yet
    assert api.get("/api/v1/quarters/").json() == []
    make_session(place, day=datetime.date(2025, 12, 1), visitors=3)
    assert [(q["year"], q["quarter"]) for q in api.get("/api/v1/quarters/").json()] == [(2026, 2), (2026, 1), (2025, 4)]


def test_index_links_to_the_endpoints(api):
    body = api.get("/api/v1/").json()
    assert body == {
        "figures": "http://testserver/api/v1/figures/",
        "districts": "http://testserver/api/v1/districts/",
        "quarters": "http://testserver/api/v1/quarters/",
        "schema": "http://testserver/api/schema/",
        "docs": "http://testserver/api/docs/",
    }


# --- access ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*ENDPOINTS, "/api/schema/"])
def test_anonymous_gets_401(db, url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_gets_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/v1/districts/").status_code == 401


@pytest.mark.parametrize("role", sorted(set(Role.values) - API_ROLES))
def test_other_roles_get_403_even_with_a_token(api_for, make_user, role):
    client = api_for(make_user(role=role))  # a token made by hand in the admin, say
    assert client.get("/api/schema/").status_code == 403
    for url in ENDPOINTS:
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["detail"] == (
            "Only the municipality, the project leader and administrators may use the statistics API."
        )


@pytest.mark.parametrize("role", sorted(API_ROLES))
def test_statistics_roles_get_in_with_a_token(api_for, make_user, role, world):
    client = api_for(make_user(role=role))
    for url in [*ENDPOINTS, "/api/schema/"]:
        assert client.get(url).status_code == 200, url


def test_a_token_stops_working_when_the_user_leaves_the_role_or_is_deactivated(api_for, municipality):
    client = api_for(municipality)
    assert client.get("/api/v1/districts/").status_code == 200
    municipality.role = Role.PROFESSIONAL
    municipality.save()
    assert client.get("/api/v1/districts/").status_code == 403
    municipality.role, municipality.is_active = Role.MUNICIPALITY, False
    municipality.save()
    assert client.get("/api/v1/districts/").status_code == 401


def test_a_session_login_works_too(client, make_user, world):
    """For the docs page's "Try it out" and for the project leader in a browser."""
    client.force_login(make_user(role=Role.PROJECT_LEADER))
    assert client.get("/api/v1/figures/", {"year": 2026, "quarter": 1}).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(api, method):
    assert getattr(api, method)("/api/v1/figures/?year=2026&quarter=1", {}, format="json").status_code == 405


def test_requests_are_throttled_per_user(api_for, make_user, monkeypatch):
    monkeypatch.setattr(StatisticsRateThrottle, "THROTTLE_RATES", {"statistics": "2/minute"})
    client = api_for(make_user(role=Role.MUNICIPALITY))
    assert [client.get("/api/v1/districts/").status_code for _ in range(3)] == [200, 200, 429]
    assert int(client.get("/api/v1/districts/")["Retry-After"]) > 0
    assert api_for(make_user(role=Role.MUNICIPALITY)).get("/api/v1/districts/").status_code == 200


# --- query counts ---------------------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/figures/?year=2026&quarter=1",
        "/api/v1/figures/?year=2026&quarter=1&district={district}",
        "/api/v1/figures/?year=2026&quarter=1&pillar=signals",
        "/api/v1/districts/",
        "/api/v1/quarters/",
    ],
)
def test_query_count_does_not_grow_with_rows(api, world, url, make_user):
    url = url.format(district=world["a"].cbs_code)
    before = _queries(api, url)
    # One district's figures are suppressed together with every other district's (so that none follows from the
    # city total): all districts are counted at once, grouped, so more districts cost no more queries either.
    for _ in range(3):
        district_with_members(make_user(role=Role.PROFESSIONAL))
    _populate(world["professional"], world["other"], signals_a=5, signals_b=7, places=3)
    assert _queries(api, url) == before
    assert before <= 25


# --- schema and docs ------------------------------------------------------------------------------------------


@pytest.fixture
def schema(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_openapi(schema)


def test_the_schema_in_yaml_is_the_default(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "Meedoen statistics API"


def test_the_schema_generates_without_warnings(tmp_path):
    # drf-spectacular's own check: its validator, and no warning about a field it could not type.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    validate_openapi(yaml.safe_load((tmp_path / "schema.yaml").read_text()))


def test_the_schema_lists_the_endpoints_read_only(schema):
    assert set(schema["paths"]) == {"/api/v1/", "/api/v1/figures/", "/api/v1/districts/", "/api/v1/quarters/"}
    assert {method for path in schema["paths"].values() for method in path} == {"get"}
    figures = schema["paths"]["/api/v1/figures/"]["get"]
    parameters = {p["name"]: p for p in figures["parameters"]}
    assert set(parameters) == {"year", "quarter", "district", "pillar"}
    assert parameters["year"]["required"] and parameters["quarter"]["required"]
    assert parameters["pillar"]["schema"]["enum"] == list(PILLARS)
    assert {"200", "400", "401", "403"} <= set(figures["responses"])
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}


def test_the_schema_explains_each_figure_and_the_small_counts(schema):
    signals = schema["components"]["schemas"]["SignalFigures"]["properties"]
    assert signals["new"]["description"] == "Signals reported in the period."
    assert {"type": "string", "enum": ["<5"]} in signals["new"]["oneOf"]


def test_the_docs_page_renders_with_local_assets_and_no_inline_code(client, municipality):
    client.force_login(municipality)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), "the docs page must not name another host"
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="' in attributes for attributes in scripts), "inline script breaks the CSP"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    static = [url for url in assets if url.startswith("/static/")]
    assert len(static) == 4  # favicon, CSS and the two Swagger UI scripts
    for url in static:
        assert finders.find(url.removeprefix("/static/")), url
    script = next(url for url in assets if url.startswith("/api/docs/"))
    start = client.get(script)
    assert start.status_code == 200
    assert start["Content-Type"].startswith("application/javascript")
    assert '"/api/schema/"' in start.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_docs_page_sends_anonymous_visitors_to_the_login_and_refuses_other_roles(client, make_user):
    response = client.get("/api/docs/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(make_user(role=Role.HOST))
    assert client.get("/api/docs/").status_code == 403


# --- tokens ---------------------------------------------------------------------------------------------------


def _token(*args) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_api_token_prints_a_working_token_for_the_municipality(municipality, world):
    key = _token(municipality.username)
    assert re.fullmatch(r"[0-9a-f]{40}", key)
    assert _token(municipality.username) == key  # the same token again
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/figures/", {"year": 2026, "quarter": 1}).status_code == 200


def test_api_token_rotate_replaces_the_token(municipality):
    key = _token(municipality.username)
    new = _token(municipality.username, "--rotate")
    assert new != key
    assert list(Token.objects.filter(user=municipality).values_list("key", flat=True)) == [new]


def test_api_token_is_also_for_administrators(make_user):
    assert _token(make_user(role=Role.ADMIN).username)


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.MUNICIPALITY, Role.ADMIN}))
def test_api_token_refuses_other_roles(make_user, role):
    user = make_user(role=role)
    with pytest.raises(CommandError, match="only for the roles admin, municipality"):
        _token(user.username)
    assert not Token.objects.filter(user=user).exists()


def test_api_token_refuses_unknown_and_inactive_users(make_user):
    with pytest.raises(CommandError, match="No user"):
        _token("nobody")
    user = make_user(role=Role.MUNICIPALITY)
    user.is_active = False
    user.save()
    with pytest.raises(CommandError, match="not active"):
        _token(user.username)


def test_an_administrator_can_make_a_token_in_the_admin(client, make_user):
    client.force_login(make_user(role=Role.ADMIN))
    assert client.get("/admin/authtoken/tokenproxy/add/").status_code == 200
