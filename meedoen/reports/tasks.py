"""Celery tasks of the quarterly report: thin and idempotent; the claim in reporting.py makes a second run harmless."""

from celery import shared_task

from meedoen.reports import reporting

MAX_RETRIES = 3


@shared_task(bind=True, acks_late=True, soft_time_limit=540, time_limit=600, max_retries=MAX_RETRIES)
def generate_report(self, report_id: int) -> bool:
    """Generate (or finish) a report. A failing run is retried with backoff; the last failure marks it failed."""
    try:
        return reporting.report_generate(report_id=report_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            reporting.report_fail(report_id=report_id, error=f"{type(error).__name__}: {error}")
            raise
        raise self.retry(exc=error, countdown=10 * 2**self.request.retries) from error


@shared_task(acks_late=True)
def schedule_last_quarter() -> int | None:
    """Daily: from the first working day of a quarter on, last quarter's report exists. Returns a new report's id."""
    report = reporting.report_schedule()
    return report.pk if report else None


@shared_task(acks_late=True)
def resume_reports() -> int:
    """Send again the reports whose message was lost or whose worker died."""
    return len(reporting.reports_resume())


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def refresh_figures() -> int:
    """Every ten minutes: count afresh the city-wide figures of the dashboard's periods and every district's figures
    of this and last quarter (the API's), in each language, so that nobody waits for them. Returns how many."""
    from meedoen.reports.dashboard import refresh_remembered

    return refresh_remembered()
