"""The municipality's quarterly report: request it (one per quarter), generate it step by step with progress, resume
it after a crash, and tell the requester when it is ready.

The figures come from `figures.py` (their one definition), suppressed as for the municipality: counts of 1 to 4 show
as "<5", and a second count is hidden where one could be worked out from a total. They are taken once and kept with
the report; the CSV, XLSX and PDF are all made from that copy (report_files.py). The files hold no personal data.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meedoen.accounts.models import Role, User
from meedoen.core.workdays import is_working_day
from meedoen.notifications.services import notify
from meedoen.reports import report_files
from meedoen.reports.figures import Period, all_figures, suppressed
from meedoen.reports.models import FORMATS, QuarterlyReport

logger = logging.getLogger(__name__)

Status = QuarterlyReport.Status

# A claim older than this belongs to a worker that died: longer than the task's hard time limit (tasks.py).
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
# A queued report no worker has taken after this long lost its broker message; the sweep sends it again.
STALE_QUEUE = datetime.timedelta(minutes=5)
# A report whose runs keep dying (say, out of memory) is given up after this many runs.
MAX_ATTEMPTS = 6


class ClaimLost(Exception):
    """Another worker took the report over (this run was taken for dead): stop without touching it."""


# --- requesting ---------------------------------------------------------------------------------------------------


def report_archive():
    """All reports, newest quarter first, without their files."""
    return QuarterlyReport.objects.defer("figures", *FORMATS).select_related("requested_by")


def report_request(
    *, year: int, quarter: int, user: User | None, today: datetime.date | None = None
) -> tuple[QuarterlyReport, bool]:
    """Request the report of a quarter that has ended; returns (report, created).

    The unique constraint decides: of two requests at the same moment one creates the report, the other gets it.
    A report that failed is queued again, as a fresh start, for whoever asks now.
    """
    report = QuarterlyReport(year=year, quarter=quarter, requested_by=user)
    report.full_clean(validate_constraints=False)  # the constraint is checked by the INSERT itself, race-free
    if Period.quarter(year, quarter).end >= (today or timezone.localdate()):
        raise ValidationError({"quarter": _("Only a quarter that has ended can be reported.")})
    try:
        with transaction.atomic():
            report.save(force_insert=True)
    except IntegrityError:
        existing = report_archive().get(year=year, quarter=quarter)
        again = QuarterlyReport.objects.filter(pk=existing.pk, status=Status.FAILED).update(
            status=Status.QUEUED,
            progress=0,
            figures=None,
            csv=None,
            xlsx=None,
            pdf=None,
            requested_by=user,
            created_at=timezone.now(),
            started_at=None,
            finished_at=None,
            claimed_at=None,
            attempts=0,
            error="",
        )
        if again:
            _queue(existing.pk)
            existing = report_archive().get(pk=existing.pk)
        return existing, False
    _queue(report.pk)
    return report, True


def _queue(report_id: int) -> None:
    from meedoen.reports.tasks import generate_report

    # robust: a broker that is down must not undo the request; the sweep sends a lost message again.
    transaction.on_commit(lambda: generate_report.delay(report_id), robust=True)


def first_working_day_of_quarter(day: datetime.date) -> datetime.date:
    first = Period.quarter(day.year, (day.month - 1) // 3 + 1).start
    while not is_working_day(first):
        first += datetime.timedelta(days=1)
    return first


def report_schedule(*, today: datetime.date | None = None) -> QuarterlyReport | None:
    """From the first working day of a quarter on, make sure last quarter's report exists; returns it when new.

    Runs daily: the first run of the quarter requests it; later runs find it (or make up for a day the schedule
    missed). A report someone already requested, or that failed, is left alone.
    """
    today = today or timezone.localdate()
    if today < first_working_day_of_quarter(today):
        return None
    year, quarter = Period.last_quarter(today)
    if QuarterlyReport.objects.filter(year=year, quarter=quarter).exists():
        return None
    report, created = report_request(year=year, quarter=quarter, user=None, today=today)
    if created:
        logger.info("Scheduled the quarterly report of %s Q%s", year, quarter)
    return report if created else None


def reports_resume(*, now: datetime.datetime | None = None) -> list[int]:
    """Send again the reports whose broker message was lost or whose worker died; give up on endless crashes.

    Returns the ids sent again.
    """
    now = now or timezone.now()
    stale = QuarterlyReport.objects.filter(status__in=[Status.QUEUED, Status.RUNNING]).filter(
        Q(claimed_at__isnull=True, created_at__lt=now - STALE_QUEUE) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    )
    for report_id in stale.filter(attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True):
        report_fail(report_id=report_id, error=f"Given up after {MAX_ATTEMPTS} runs that did not finish.")
    ids = list(stale.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True))
    for report_id in ids:
        _queue(report_id)
    return ids


# --- generating ---------------------------------------------------------------------------------------------------


def _has(field: str) -> ExpressionWrapper:
    return ExpressionWrapper(Q(**{f"{field}__isnull": False}), output_field=BooleanField())


def _claim(report_id: int) -> datetime.datetime | None:
    """Claim an unfinished report by a conditional UPDATE; the claim's time is the token of this run."""
    now = timezone.now()
    claimed = (
        QuarterlyReport.objects.filter(pk=report_id, status__in=[Status.QUEUED, Status.RUNNING])
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(
            status=Status.RUNNING,
            claimed_at=now,
            started_at=Coalesce(F("started_at"), Value(now)),
            attempts=F("attempts") + 1,
        )
    )
    return now if claimed else None


def _save(report_id: int, token: datetime.datetime, **fields) -> None:
    """Save a finished step, as long as this run still holds the claim."""
    if not QuarterlyReport.objects.filter(pk=report_id, claimed_at=token).update(**fields):
        raise ClaimLost


def report_generate(*, report_id: int) -> bool:
    """Generate a report, or finish one that stopped half-way; returns True if this run finished it.

    A report that is done, failed or being generated by another worker is left alone, so running this twice, or in
    two workers at once, does the work once. Each step (figures, CSV, XLSX, PDF) is saved when it is done, and a
    later run starts at the first step that is missing.
    """
    token = _claim(report_id)
    if token is None:
        return False
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _generate(report_id, token)
    except ClaimLost:
        return False
    except Exception as error:
        # Give the claim back so that the retry continues at once where this run stopped.
        QuarterlyReport.objects.filter(pk=report_id, claimed_at=token).update(
            claimed_at=None, error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    return True


def _generate(report_id: int, token: datetime.datetime) -> None:
    report = (
        QuarterlyReport.objects.defer(*FORMATS)
        .annotate(has_csv=_has("csv"), has_xlsx=_has("xlsx"), has_pdf=_has("pdf"))
        .get(pk=report_id)
    )
    period = Period.quarter(report.year, report.quarter)
    _save(report_id, token, progress=max(report.progress, 5))
    figures = report.figures
    if figures is None:
        figures = suppressed(all_figures(period))
        _save(report_id, token, figures=figures, progress=40)
    document = report_files.document_for(report, period, figures)
    if not report.has_csv:
        _save(report_id, token, csv=report_files.build_csv(document), progress=55)
    if not report.has_xlsx:
        _save(report_id, token, xlsx=report_files.build_xlsx(document), progress=70)
    if not report.has_pdf:
        _save(report_id, token, pdf=report_files.build_pdf(document), progress=95)
    with transaction.atomic():
        _save(report_id, token, status=Status.DONE, progress=100, finished_at=timezone.now(), claimed_at=None, error="")
        _announce(report, ready=True)


def report_fail(*, report_id: int, error: str) -> bool:
    """Give a report up (its runs keep failing) and tell the requester; returns True if it was unfinished."""
    with transaction.atomic():
        failed = QuarterlyReport.objects.filter(pk=report_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
            status=Status.FAILED, claimed_at=None, error=error[:2000]
        )
        if failed:
            with translation.override(settings.LANGUAGE_CODE):
                _announce(report_archive().get(pk=report_id), ready=False)
    return bool(failed)


def _announce(report: QuarterlyReport, *, ready: bool) -> None:
    """In-app notice and e-mail to the requester; for a scheduled report, to the municipality's users."""
    if report.requested_by_id:
        recipients = User.objects.filter(pk=report.requested_by_id, is_active=True)
    else:
        recipients = User.objects.filter(role=Role.MUNICIPALITY, is_active=True)
    name = f"{report.year} {report.get_quarter_display()}"
    if ready:
        subject = _("The quarterly report %(quarter)s is ready") % {"quarter": name}
        body = _("The quarterly report of %(quarter)s is ready to download as CSV, XLSX and PDF.") % {"quarter": name}
    else:
        subject = _("The quarterly report %(quarter)s could not be made") % {"quarter": name}
        body = _("Making the quarterly report of %(quarter)s failed. Please try again later.") % {"quarter": name}
    for recipient in recipients:
        notify(
            recipient=recipient,
            kind="quarterly_report_ready" if ready else "quarterly_report_failed",
            item=report,
            subject=subject,
            body=body,
            url=reverse("reports:quarterly_detail", args=[report.pk]),
        )
