from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The files of a report, by format: the model field that holds it, its media type and its file name extension.
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class QuarterlyReport(models.Model):
    """The municipality's report of one quarter, city-wide: the figures of all pillars as CSV, XLSX and PDF.

    One per quarter (a unique constraint, so two requests at once make one report). The figures are taken once and
    kept with the report, so the three files agree and a run that stopped half-way resumes with the same numbers.
    The files live in the database, so every web container serves them without shared disk.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("being generated")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    QUARTERS = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, validators=[MaxValueValidator(100)])
    # The suppressed figures, as the files show them: no personal data, counts of 1 to 4 as "<5".
    figures = models.JSONField(null=True, blank=True, editable=False)
    csv = models.BinaryField(null=True, editable=False)
    xlsx = models.BinaryField(null=True, editable=False)
    pdf = models.BinaryField(null=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_("Empty when the schedule requested it."),
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Set by the worker that generates the report; a claim older than reporting.CLAIM_TIMEOUT belongs to a dead one.
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="one_report_per_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="report_quarter_1_to_4"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.year} {self.get_quarter_display()}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def file_name(self, fmt: str) -> str:
        return f"meedoen-kwartaalrapportage-{self.year}-K{self.quarter}.{fmt}"


class ConcernMonth(models.Model):
    """How many signals reported in a month in a district name a concern: kept up to date by the database itself.

    Triggers (migration 0002, meedoen/reports/rollups.py) add one when a concern is given to a signal, take one off
    when it is taken away, and move a signal's concerns when its report date or district is changed. The dashboard
    counts the whole months of a period from here and only the days at its edges from the signals: counting the
    concerns of 18 months of a million signals took 400 ms.
    """

    month = models.DateField()  # the first day, in the site's time zone
    district = models.ForeignKey("accounts.District", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("signalering.ConcernCategory", on_delete=models.CASCADE, related_name="+")
    signals = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "district", "category"], name="concern_month_unique"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.district_id} {self.category_id}: {self.signals}"
