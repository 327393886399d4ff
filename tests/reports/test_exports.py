"""List exports: exactly what the user may see in the list (with its filters), streamed, Excel-safe and logged."""

import csv
import datetime
import io
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from meedoen.accounts.models import Role
from meedoen.privacy.audit import AccessLogError
from meedoen.privacy.models import AccessLog, AccessResult
from meedoen.reports import exports
from signalering import services
from signalering.models import Signal
from tests.factories.brigade import make_request
from tests.factories.signalering import district_with_members, make_signal


def dutch(*msgids: str) -> list[str]:
    """Column headings as the export writes them for a Dutch user (named by msgid, so rewording keeps passing)."""
    with translation.override("nl"):
        return [translation.gettext(msgid) for msgid in msgids]


SIGNAL_HEADER = (
    "Signal",
    "Reported",
    "District",
    "Neighbourhood",
    "Concerns",
    "Urgency",
    "Status",
    "Outcome",
    "Lead",
    "Next step",
    "Due",
    "Pseudonym",
)


def read_csv(response) -> list[list[str]]:
    """The streamed file as Excel would read it: UTF-8 with a byte-order mark, semicolons."""
    assert response.streaming
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.fixture
def world(make_user):
    """A professional in district A with two signals (one urgent, about a named resident); a stranger's district B
    with one signal."""
    professional = make_user(role=Role.PROFESSIONAL)
    stranger = make_user(role=Role.PROFESSIONAL)
    district = district_with_members(professional)
    other = district_with_members(stranger)
    named = make_signal(
        reporter=professional,
        district=district,
        urgency=3,
        new_resident={"full_name": "Jan Jansen", "postcode": "2311 AA", "house_number": "1"},
    )
    plain = make_signal(reporter=professional, district=district)
    theirs = make_signal(reporter=stranger, district=other, new_resident={"postcode": "2312 BB", "house_number": "2"})
    return {
        "professional": professional,
        "stranger": stranger,
        "district": district,
        "other": other,
        "named": named,
        "plain": plain,
        "theirs": theirs,
    }


def test_signal_export_holds_only_the_signals_of_my_districts(world, client):
    client.force_login(world["professional"])

    response = client.get(reverse("reports:export_signals"))

    rows = read_csv(response)
    assert rows[0] == dutch(*SIGNAL_HEADER)
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {world["named"].number, world["plain"].number}
    assert world["theirs"].number not in numbers


def test_signal_export_follows_the_list_filters(world, client):
    client.force_login(world["professional"])

    rows = read_csv(client.get(reverse("reports:export_signals"), {"urgency": "3"}))

    assert [row[0] for row in rows[1:]] == [world["named"].number]


def test_a_filter_on_another_district_cannot_widen_the_export(world, client):
    client.force_login(world["professional"])

    # Not one of my districts: the filter is invalid, so (as in the list) my own signals are exported, never theirs.
    rows = read_csv(client.get(reverse("reports:export_signals"), {"district": world["other"].pk}))

    assert world["theirs"].number not in {row[0] for row in rows[1:]}


def test_signal_export_row_holds_the_pseudonym_but_no_name(world, client):
    services.signal_update(
        signal=world["named"],
        user=world["professional"],
        expected_version=None,
        lead=world["professional"],
        next_step="Huisbezoek",
        next_step_due=datetime.date(2026, 9, 1),
    )
    client.force_login(world["professional"])

    rows = read_csv(client.get(reverse("reports:export_signals"), {"urgency": "3"}))

    signal = Signal.objects.select_related("resident", "district", "neighbourhood").get(pk=world["named"].pk)
    number, reported, district, neighbourhood, concerns, urgency, status, outcome, lead, step, due, pseudonym = rows[1]
    assert (number, district, neighbourhood) == (signal.number, signal.district.name, signal.neighbourhood.name)
    assert reported == timezone.localdate(signal.created_at).isoformat()
    assert concerns == "Sociaal isolement"
    assert urgency == str(signal.get_urgency_display())
    assert (status, outcome) == (str(signal.get_status_display()), "")
    assert (lead, step, due) == (str(world["professional"]), "Huisbezoek", "2026-09-01")
    assert pseudonym == signal.resident.pseudonym
    assert "Jan Jansen" not in str(rows)


def test_cells_that_look_like_formulas_are_made_text(world, client):
    services.signal_update(
        signal=world["plain"],
        user=world["professional"],
        expected_version=None,
        next_step='=HYPERLINK("http://evil.example","klik")',
        next_step_due=datetime.date(2026, 9, 1),
    )
    client.force_login(world["professional"])

    rows = read_csv(client.get(reverse("reports:export_signals")))

    steps = [row[9] for row in rows[1:] if row[0] == world["plain"].number]
    assert steps == ['\'=HYPERLINK("http://evil.example","klik")']


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("+31", "'+31"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("ok", "ok")],
)
def test_safe_cell(value, cell):
    assert exports.safe_cell(value) == cell


def test_the_file_is_an_attachment_for_dutch_excel(world, client):
    client.force_login(world["professional"])

    response = client.get(reverse("reports:export_signals"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert "no-store" in response["Cache-Control"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and raw.count(b";") >= 11


def test_every_exported_signal_is_logged_with_its_resident(world, client):
    client.force_login(world["professional"])

    read_csv(client.get(reverse("reports:export_signals")))

    rows = AccessLog.objects.filter(user=world["professional"], action="export")
    summary = rows.get(object_type="signal_list")
    assert (summary.resident_id, summary.result) == (None, AccessResult.ALLOWED)
    logged = set(rows.filter(object_type="signal").values_list("object_id", "resident_id"))
    assert logged == {
        (str(world["named"].pk), world["named"].resident_id),
        (str(world["plain"].pk), world["plain"].resident_id),
    }


def test_rows_are_logged_in_batches_before_they_are_sent(world, client, monkeypatch, make_user):
    for _ in range(3):
        make_signal(reporter=world["professional"], district=world["district"])
    monkeypatch.setattr(exports, "BATCH", 2)
    client.force_login(world["professional"])
    response = client.get(reverse("reports:export_signals"))
    chunks = iter(response.streaming_content)

    next(chunks)  # the header
    next(chunks)  # the first batch of two
    assert AccessLog.objects.filter(object_type="signal", action="export").count() == 2
    rest = list(chunks)

    assert len(rest) == 2  # two and one
    assert AccessLog.objects.filter(object_type="signal", action="export").count() == 5


def test_an_export_whose_rows_cannot_be_logged_fails(world, client):
    client.force_login(world["professional"])
    response = client.get(reverse("reports:export_signals"))

    with (
        mock.patch("meedoen.privacy.audit._write", side_effect=DatabaseError("log down")),
        pytest.raises(AccessLogError),
    ):
        b"".join(response.streaming_content)


def test_an_export_that_cannot_be_logged_at_all_is_refused(world, client):
    client.force_login(world["professional"])

    with mock.patch("meedoen.privacy.audit._write", side_effect=DatabaseError("log down")):
        response = client.get(reverse("reports:export_signals"))

    assert response.status_code == 503
    assert not response.streaming


def _export_queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name))
        b"".join(response.streaming_content)
    return len(captured)


def test_signal_export_query_count_does_not_grow_with_rows(world, client, django_assert_max_num_queries):
    client.force_login(world["professional"])
    for _ in range(3):
        make_signal(reporter=world["professional"], district=world["district"])
    few = _export_queries(client, "reports:export_signals")  # 5 signals
    for _ in range(45):
        make_signal(reporter=world["professional"], district=world["district"])
    many = _export_queries(client, "reports:export_signals")  # 50 signals

    assert few == many
    # Session and user; the summary log row; the cursor; per batch the names of its districts, neighbourhoods and
    # leads, its concerns and pseudonyms, and its log rows.
    with django_assert_max_num_queries(25):
        b"".join(client.get(reverse("reports:export_signals")).streaming_content)


# --- my actions -----------------------------------------------------------------------------------------------


def test_action_export_holds_my_open_actions_only(world, client):
    me, stranger = world["professional"], world["stranger"]
    mine = services.action_create(
        signal=world["named"], user=me, description="Bellen met huisarts", owner=me, due=datetime.date(2020, 1, 1)
    )
    done = services.action_create(
        signal=world["plain"], user=me, description="Brief sturen", owner=me, due=datetime.date(2026, 1, 1)
    )
    services.action_complete(action=done, user=me)
    services.action_create(
        signal=world["theirs"], user=stranger, description="Niet van mij", owner=stranger, due=datetime.date(2026, 1, 1)
    )
    client.force_login(me)

    rows = read_csv(client.get(reverse("reports:export_actions")))

    assert rows[0] == dutch("Action", "Signal", "District", "Due", "overdue")
    overdue = dutch("yes")[0]
    assert rows[1:] == [["Bellen met huisarts", world["named"].number, world["district"].name, "2020-01-01", overdue]]
    logged = AccessLog.objects.filter(user=me, action="export", object_type="action")
    assert list(logged.values_list("object_id", "resident_id")) == [(str(mine.pk), world["named"].resident_id)]


def test_action_export_query_count_does_not_grow_with_rows(world, client):
    me = world["professional"]

    def add(count):
        for _ in range(count):
            services.action_create(
                signal=world["plain"], user=me, description="Bellen", owner=me, due=datetime.date(2027, 1, 1)
            )

    client.force_login(me)
    add(5)
    few = _export_queries(client, "reports:export_actions")
    add(45)
    assert _export_queries(client, "reports:export_actions") == few


# --- visit requests -------------------------------------------------------------------------------------------


@pytest.fixture
def requests_world(world, make_user):
    mine = make_request(signal=world["named"])
    theirs = make_request(signal=world["theirs"])
    return {**world, "mine": mine, "their_request": theirs, "coordinator": make_user(role=Role.BRIGADE_COORDINATOR)}


def test_request_export_holds_the_requests_i_may_see(requests_world, client):
    client.force_login(requests_world["professional"])

    rows = read_csv(client.get(reverse("reports:export_requests")))

    mine = requests_world["mine"]
    assert rows[0] == dutch("Request", "Requested", "District", "Status", "Outcome and referral", "Pseudonym")
    assert len(rows) == 2
    number, requested, district, status, referral, pseudonym = rows[1]
    assert (number, district, referral) == (mine.number, mine.district.name, "")
    assert requested == timezone.localdate(mine.created_at).isoformat()
    assert status == str(mine.get_status_display())
    assert pseudonym == mine.resident.pseudonym
    assert "Jan Jansen" not in str(rows)
    logged = AccessLog.objects.filter(action="export", object_type="visit_request")
    assert list(logged.values_list("object_id", "resident_id")) == [(str(mine.pk), mine.resident_id)]


def test_the_coordinator_exports_every_request(requests_world, client):
    client.force_login(requests_world["coordinator"])

    rows = read_csv(client.get(reverse("reports:export_requests")))

    assert {row[0] for row in rows[1:]} == {requests_world["mine"].number, requests_world["their_request"].number}


def test_request_export_query_count_does_not_grow_with_rows(requests_world, client):
    client.force_login(requests_world["coordinator"])
    few = _export_queries(client, "reports:export_requests")
    for _ in range(20):
        make_request(signal=requests_world["named"])
    assert _export_queries(client, "reports:export_requests") == few


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("reports:export_signals", Role.PROJECT_LEADER),
        ("reports:export_signals", Role.BRIGADIER),
        ("reports:export_actions", Role.MUNICIPALITY),
        ("reports:export_requests", Role.HOST),
        ("reports:export_requests", Role.BRIGADIER),
    ],
)
def test_roles_without_the_list_cannot_export_it(db, client, make_user, name, role):
    client.force_login(make_user(role=role))

    assert client.get(reverse(name)).status_code == 403


def test_the_signal_list_links_to_the_export_with_its_filters(world, client):
    client.force_login(world["professional"])

    content = client.get(reverse("signalering:list"), {"urgency": "3", "page": "1"}).content.decode()

    assert f'href="{reverse("reports:export_signals")}?urgency=3"' in content


@pytest.mark.parametrize(
    "query",
    [{}, {"urgency": "3"}, {"q": "Zorgen"}, {"order": "-created"}, {"order": "created"}, {"status": ["new"]}],
)
def test_the_export_holds_the_rows_of_the_list_in_its_order(world, client, query):
    for _ in range(3):
        make_signal(reporter=world["professional"], district=world["district"], urgency=2)
    client.force_login(world["professional"])

    shown = [signal.number for signal in client.get(reverse("signalering:list"), query).context["page"].object_list]
    exported = [row[0] for row in read_csv(client.get(reverse("reports:export_signals"), query))[1:]]

    assert exported == shown


def test_the_request_list_links_to_its_export(requests_world, client):
    client.force_login(requests_world["professional"])

    content = client.get(reverse("brigade:requests")).content.decode()

    assert f'href="{reverse("reports:export_requests")}"' in content
