"""A real Celery worker on the real broker runs the heartbeat, and /health/ sees it."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from meedoen.celery import app
from meedoen.core import health
from meedoen.core.tasks import heartbeat
from meedoen.embedded import redis_client


@pytest.fixture
def worker(settings):
    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10) as running:
        yield running


def test_worker_takes_the_heartbeat_from_the_broker(worker, settings):
    client = redis_client(settings.REDIS_URL)
    client.delete(health.HEARTBEAT_KEY)
    heartbeat.delay()
    deadline = time.monotonic() + 15
    while client.get(health.HEARTBEAT_KEY) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert health.broker_and_worker_state() == ("ok", "ok")
