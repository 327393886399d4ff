"""State of the database, the broker and the Celery worker, for GET /health/."""

import time

from django.conf import settings
from django.db import DatabaseError, connection

from meedoen.embedded import redis_client


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except DatabaseError:
        return "unavailable"


def record_heartbeat() -> None:
    redis_client(settings.REDIS_URL).set(settings.WORKER_HEARTBEAT_KEY, f"{time.time():.0f}", ex=3600)


def broker_and_worker_state() -> tuple[str, str]:
    import redis

    try:
        client = redis_client(settings.REDIS_URL)
        client.ping()
        beat = client.get(settings.WORKER_HEARTBEAT_KEY)
    except (redis.RedisError, OSError):
        return "unavailable", "unknown"
    if beat is None:
        return "ok", "no heartbeat"
    age = time.time() - float(beat)
    return "ok", "ok" if age <= settings.WORKER_HEARTBEAT_MAX_AGE else "stale"


def system_state() -> dict:
    broker, worker = broker_and_worker_state()
    checks = {"database": database_state(), "broker": broker, "worker": worker}
    status = "ok" if all(value == "ok" for value in checks.values()) else "degraded"
    return {"status": status, **checks}
