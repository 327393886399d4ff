"""A real Celery worker on the real broker runs the heartbeat, and /health/ sees it."""

import time

from meedoen.core import health
from meedoen.core.tasks import heartbeat
from meedoen.embedded import redis_client


def test_worker_takes_the_heartbeat_from_the_broker(worker, settings):
    client = redis_client(settings.REDIS_URL)
    client.delete(settings.WORKER_HEARTBEAT_KEY)
    heartbeat.delay()
    deadline = time.monotonic() + 15
    while client.get(settings.WORKER_HEARTBEAT_KEY) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert health.broker_and_worker_state() == ("ok", "ok")
