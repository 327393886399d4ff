import datetime
import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meedoen.accounts.models import Role
from meedoen.privacy.audit import AccessLogError, log_access, log_access_many, verify_chain
from meedoen.privacy.models import AccessLog


@pytest.fixture
def entry(users):
    return log_access(user=users[Role.PROFESSIONAL], action="read", object_type="signal", object_id=7)


def test_log_row_records_who_what_and_from_where(users, rf):
    user = users[Role.PROFESSIONAL]
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    entry = log_access(user=user, action="export", object_type="signal", object_id=7, request=request)
    entry.refresh_from_db()
    assert (entry.username, entry.role, entry.organisation) == (
        user.username,
        "professional",
        user.organisation.name,
    )
    assert (entry.object_type, entry.object_id, entry.action, entry.result) == (
        "signal",
        "7",
        "export",
        "allowed",
    )
    assert entry.origin == "192.0.2.7"
    assert entry.at is not None


def test_database_refuses_to_change_a_log_row(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(action="delete")


def test_database_refuses_to_delete_a_log_row(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM privacy_accesslog WHERE id = %s", [entry.pk])


def test_a_failed_log_write_raises(users):
    with (
        mock.patch("meedoen.privacy.audit._write", side_effect=DatabaseError("disk full")),
        pytest.raises(AccessLogError),
    ):
        log_access(user=users[Role.HOST], action="read", object_type="x")


def test_request_fails_with_a_clear_message_when_the_log_cannot_be_written(client, users):
    client.force_login(users[Role.HOST])
    with mock.patch("meedoen.privacy.audit._write", side_effect=DatabaseError("disk full")):
        response = client.get(reverse("privacy:access_log"))
    assert response.status_code == 503
    assert "vastgelegd" in response.content.decode()


def test_privacy_officer_reads_the_log(client, users, entry):
    client.force_login(users[Role.PRIVACY_OFFICER])
    response = client.get(reverse("privacy:access_log"))
    assert response.status_code == 200
    assert entry.username in response.content.decode()


def test_access_log_page_query_count_does_not_grow_with_rows(client, users):
    client.force_login(users[Role.PRIVACY_OFFICER])
    counts = []
    for rows in (5, 50):
        for number in range(rows):
            log_access(user=users[Role.PROFESSIONAL], action="read", object_type="signal", object_id=number)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("privacy:access_log")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 9, counts  # 9: one for the two-factor state of the session


class TestChain:
    def write(self, users, count):
        for number in range(count):
            log_access(user=users[Role.PROFESSIONAL], action="read", object_type="signal", object_id=number)

    def tamper(self, sql, params):
        """What only someone with database superuser rights could do: bypass the append-only trigger."""
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE privacy_accesslog DISABLE TRIGGER privacy_accesslog_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE privacy_accesslog ENABLE TRIGGER privacy_accesslog_append_only")

    def test_an_untouched_log_verifies(self, users):
        self.write(users, 5)
        log_access_many(user=users[Role.HOST], action="read", object_type="x", objects=[(1, None), (2, None)])
        assert verify_chain() == (7, None)
        call_command("verify_access_log", stdout=io.StringIO())

    def test_a_changed_row_is_detected(self, users):
        self.write(users, 5)
        third = AccessLog.objects.order_by("id")[2]
        self.tamper("UPDATE privacy_accesslog SET username = 'iemand-anders' WHERE id = %s", [third.pk])
        assert verify_chain() == (2, third.pk)
        with pytest.raises(CommandError, match=str(third.pk)):
            call_command("verify_access_log", stdout=io.StringIO())

    def test_a_removed_row_is_detected(self, users):
        self.write(users, 5)
        rows = list(AccessLog.objects.order_by("id"))
        self.tamper("DELETE FROM privacy_accesslog WHERE id = %s", [rows[1].pk])
        assert verify_chain() == (1, rows[2].pk)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_intact_chain(make_user):
    import threading

    from django.db import close_old_connections

    user = make_user(role=Role.PROFESSIONAL)

    def write():
        try:
            for number in range(10):
                log_access(user=user, action="read", object_type="signal", object_id=number)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert verify_chain() == (80, None)


class TestPrivacyOfficerScreens:
    @pytest.fixture
    def residents(self, users):
        from meedoen.privacy.services import resident_create

        one = resident_create(
            created_by=users[Role.PROFESSIONAL], full_name="Anna Smit", date_of_birth=datetime.date(1980, 1, 1)
        )
        two = resident_create(created_by=users[Role.CHAIR], postcode="2311 AA", house_number="2")
        return one, two

    def test_search_by_user_and_pseudonym(self, client, users, residents):
        one, _ = residents
        client.force_login(users[Role.PRIVACY_OFFICER])
        response = client.get(reverse("privacy:access_log"), {"username": users[Role.CHAIR].username})
        assert [e.username for e in response.context["page"].object_list] == [users[Role.CHAIR].username]
        response = client.get(reverse("privacy:access_log"), {"pseudonym": one.pseudonym.lower()})
        assert [e.resident_id for e in response.context["page"].object_list] == [one.pk]
        assert "Anna" not in response.content.decode()

    def test_search_by_period(self, client, users, residents):
        client.force_login(users[Role.PRIVACY_OFFICER])
        response = client.get(reverse("privacy:access_log"), {"date_from": "2000-01-01", "date_to": "2000-12-31"})
        assert response.context["page"].paginator.count == 0
        response = client.get(reverse("privacy:access_log"), {"date_from": "gisteren"})
        assert response.status_code == 200 and response.context["filter"].errors

    def test_chronological_view_of_one_resident_and_the_look_itself_is_logged(self, client, users, residents):
        one, _ = residents
        log_access(user=users[Role.CHAIR], action="read", object_type="resident", object_id=one.pk, resident=one)
        client.force_login(users[Role.PRIVACY_OFFICER])
        response = client.get(reverse("privacy:resident_log", args=[one.pseudonym]))
        rows = list(response.context["page"].object_list)
        assert [row.action for row in rows] == ["create", "read", "read"]
        assert [row.username for row in rows][-1] == users[Role.PRIVACY_OFFICER].username
        assert rows == sorted(rows, key=lambda row: (row.at, row.pk))

    def test_unknown_pseudonym_is_404(self, client, users, db):
        client.force_login(users[Role.PRIVACY_OFFICER])
        assert client.get(reverse("privacy:resident_log", args=["B-NOPE00"])).status_code == 404


def test_the_privacy_officers_home_shows_refused_accesses(client, users):
    log_access(user=users[Role.HOST], action="read", object_type="page", object_id="/signals/", allowed=False)
    client.force_login(users[Role.PRIVACY_OFFICER])
    panel = client.get(reverse("home")).context["panels"][0]
    assert [item.text.split(" · ")[1] for item in panel.items] == [users[Role.HOST].username]
