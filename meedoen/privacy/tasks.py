"""Celery tasks of the privacy base: thin, idempotent, safe to run twice."""

from celery import shared_task

from meedoen.privacy import services


@shared_task(acks_late=True, time_limit=3600, soft_time_limit=3500)
def run_retention() -> dict:
    """The nightly retention sweep. A second run finds nothing left to do and records zeros."""
    run = services.retention_sweep()
    return {"run": run.pk, "counts": run.counts}
