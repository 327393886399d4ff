from celery import shared_task

from meedoen.core.health import record_heartbeat


@shared_task(ignore_result=True, soft_time_limit=5, time_limit=10)
def heartbeat() -> None:
    """Tell /health/ that a worker is alive. Idempotent: it only overwrites a timestamp."""
    record_heartbeat()
