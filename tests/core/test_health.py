import json

import pytest
from django.conf import settings
from django.urls import reverse

from meedoen.core import health
from meedoen.core.tasks import heartbeat
from meedoen.embedded import redis_client


@pytest.fixture
def redis(settings):
    client = redis_client(settings.REDIS_URL)
    client.delete(settings.WORKER_HEARTBEAT_KEY)
    yield client
    client.delete(settings.WORKER_HEARTBEAT_KEY)


def get_health(client):
    response = client.get(reverse("health"))
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_all_ok_after_a_worker_heartbeat(client, db, redis):
    heartbeat.apply()
    assert get_health(client) == (200, {"status": "ok", "database": "ok", "broker": "ok", "worker": "ok"})


def test_degraded_without_a_worker_heartbeat(client, db, redis):
    status, body = get_health(client)
    assert (status, body["status"], body["worker"]) == (503, "degraded", "no heartbeat")


def test_degraded_when_the_heartbeat_is_stale(client, db, redis, settings):
    redis.set(settings.WORKER_HEARTBEAT_KEY, "1000")
    status, body = get_health(client)
    assert (status, body["worker"]) == (503, "stale")


def test_degraded_when_the_broker_is_unreachable(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    status, body = get_health(client)
    assert (status, body["broker"], body["worker"], body["database"]) == (503, "unavailable", "unknown", "ok")


def test_heartbeat_task_run_twice_keeps_one_fresh_timestamp(redis):
    heartbeat.apply()
    first = float(redis.get(settings.WORKER_HEARTBEAT_KEY))
    heartbeat.apply()
    assert float(redis.get(settings.WORKER_HEARTBEAT_KEY)) >= first
    assert redis.ttl(settings.WORKER_HEARTBEAT_KEY) > 0
    assert health.broker_and_worker_state() == ("ok", "ok")


def test_health_needs_no_login_and_holds_no_personal_data(client, db, redis):
    status, body = get_health(client)
    assert set(body) == {"status", "database", "broker", "worker"}


def test_the_shared_cache_is_redis_and_a_redis_outage_is_a_miss(settings):
    from django.core.cache import caches

    from meedoen.core.cache import ForgivingRedisCache, cache_url

    real = ForgivingRedisCache(cache_url(settings.REDIS_URL), {"KEY_PREFIX": "meedoen-test"})
    real.set("answer", 42, 30)
    assert real.get("answer") == 42
    real.delete("answer")
    down = ForgivingRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert down.get("answer", "missing") == "missing"
    down.set("answer", 42, 30)  # skipped, not raised
    assert down.add("answer", 42) is False
    assert cache_url("redis+socket:///x/redis.sock") == "unix:///x/redis.sock"
    assert caches["default"] is not None
