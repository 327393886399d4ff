import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.models import District, Neighbourhood, Organisation
from meedoen.core.workdays import add_working_days, working_days_between
from meedoen.privacy.models import Resident
from signalering.workflow import Outcome, Status


class ConcernCategory(models.Model):
    """A kind of worry (sociaal isolement, verward gedrag, …); the list is kept in the admin."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("concern category")
        verbose_name_plural = _("concern categories")

    def __str__(self):
        return self.name


class MeetingSeries(models.Model):
    """A district's signaleringsoverleg: the recurring meeting's schedule and deadlines, as data."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="meeting_series", verbose_name=_("district")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, default=Weekday.TUESDAY)
    start_time = models.TimeField(_("start time"), default=datetime.time(10, 0))
    interval_weeks = models.PositiveSmallIntegerField(
        _("every how many weeks"), default=2, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    first_date = models.DateField(_("first meeting on"), default=datetime.date(2025, 1, 7))
    location = models.CharField(_("location"), max_length=200, blank=True)
    first_discussion_days = models.PositiveSmallIntegerField(_("first discussion within (working days)"), default=10)
    follow_up_days = models.PositiveSmallIntegerField(_("follow-up interval (working days)"), default=20)
    agenda_notice_days = models.PositiveSmallIntegerField(_("send the agenda (days before)"), default=2)

    class Meta:
        verbose_name = _("signaleringsoverleg")
        verbose_name_plural = _("signaleringsoverleggen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interval_weeks__gte=1, interval_weeks__lte=12), name="meeting_interval_1_to_12_weeks"
            )
        ]

    def __str__(self):
        return str(self.district)

    def meeting_dates(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        """Dates of the schedule from start up to and including end."""
        step = datetime.timedelta(weeks=self.interval_weeks)
        day = self.first_date + datetime.timedelta(days=(self.weekday - self.first_date.weekday()) % 7)
        if day < start:
            day += step * ((start - day) // step)
        dates = []
        while day <= end:
            if day >= start:
                dates.append(day)
            day += step
        return dates


class Meeting(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("district")
    )
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    minutes = models.TextField(_("general minutes"), blank=True)
    agenda_sent_at = models.DateTimeField(_("agenda sent at"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [models.UniqueConstraint(fields=["district", "starts_at"], name="unique_meeting_time")]
        indexes = [models.Index(fields=["district", "starts_at"], name="meeting_district_start")]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.district} {local:%d-%m-%Y %H:%M}"


def default_purpose() -> str:
    """Stored as data in the site's language, whatever language the reporter uses."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(_("Finding suitable support for the resident"))


class Signal(models.Model):
    """A worry about a resident (or an address), reported by a professional of a partner organisation."""

    class Urgency(models.IntegerChoices):
        NORMAL = 1, _("normal")
        HIGH = 2, _("high – discuss at the next meeting")
        URGENT = 3, _("urgent – act before the next meeting")

    class LegalBasis(models.TextChoices):
        CONSENT = "consent", _("consent of the resident")
        PUBLIC_TASK = "public_task", _("public task")
        LEGITIMATE_INTEREST = "legitimate_interest", _("legitimate interest")
        VITAL_INTEREST = "vital_interest", _("vital interest")

    class ResidentInformed(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        NOT_YET = "not_yet", _("not yet, will be informed")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="signals", verbose_name=_("district"))
    # Emptied when the signal is anonymised (a neighbourhood is small enough to point at a person); forms still
    # require it, since the field is not blank.
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="signals", null=True, verbose_name=_("neighbourhood")
    )
    categories = models.ManyToManyField(ConcernCategory, related_name="signals", verbose_name=_("concerns"))
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(_("description"))
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="signals", null=True, blank=True, verbose_name=_("resident")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_signals", verbose_name=_("reporter")
    )
    source_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="signals", verbose_name=_("source organisation")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=25, choices=LegalBasis.choices)
    purpose = models.CharField(_("purpose"), max_length=200, default=default_purpose)
    resident_informed = models.CharField(_("the resident knows"), max_length=10, choices=ResidentInformed.choices)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_signals",
        null=True,
        blank=True,
        verbose_name=_("lead professional"),
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    first_discussion_due = models.DateField(_("first discussion due"))
    first_discussed_at = models.DateTimeField(_("first discussed at"), null=True, blank=True)
    # Counted when first discussed, so that the figures take the median in the database.
    first_discussion_working_days = models.PositiveSmallIntegerField(
        _("working days to the first discussion"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set when the retention period ended (or the resident was erased): what the figures count stays, the rest went.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [
            models.Index(fields=["district", "-created_at"], name="signal_district_created"),
            # The signal lists: a page's ids read from this index alone (see signalering.views._signal_page), also
            # when filtered by urgency.
            models.Index(
                fields=["district", "-created_at"],
                include=["id", "urgency"],
                condition=models.Q(anonymised_at__isnull=True),
                name="signal_live_district_created",
            ),
            models.Index(fields=["district", "status", "-created_at"], name="signal_district_status"),
            models.Index(fields=["lead", "status"], name="signal_lead_status"),
            models.Index(fields=["reporter", "-created_at"], name="signal_reporter_created"),
            # The figures select by these dates per period (dashboard, quarterly report, statistics API) and read
            # the included columns from the index alone, without visiting the table.
            models.Index(
                fields=["created_at"],
                include=["district", "first_discussed_at", "first_discussion_due"],
                name="signal_created_figures",
            ),
            models.Index(fields=["closed_at"], include=["district", "outcome"], name="signal_closed_figures"),
            models.Index(
                fields=["first_discussed_at"],
                include=["district", "first_discussion_working_days"],
                name="signal_first_discussed_figures",
            ),
        ]

    def __str__(self):
        return _("Signal %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"S-{self.pk:05d}" if self.pk else "S-?"

    @property
    def urgency_tone(self) -> str:
        """The Bootstrap colour of the urgency's badge."""
        return {self.Urgency.URGENT: "danger", self.Urgency.HIGH: "warning"}.get(self.urgency, "secondary")

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Past its first-discussion deadline without a discussion, or past its next step's due date."""
        if self.status == Status.CLOSED:
            return False
        today = today or timezone.localdate()
        if self.first_discussed_at is None and self.first_discussion_due < today:
            return True
        return self.next_step_due is not None and self.next_step_due < today

    def record_first_discussion(self, at: datetime.datetime) -> None:
        self.first_discussed_at = at
        reported = timezone.localdate(self.created_at)
        self.first_discussion_working_days = working_days_between(reported, timezone.localdate(at))

    @staticmethod
    def first_discussion_deadline(reported: datetime.date, series: MeetingSeries | None) -> datetime.date:
        days = (
            series.first_discussion_days if series else MeetingSeries._meta.get_field("first_discussion_days").default
        )
        return add_working_days(reported, days)


class Discussion(models.Model):
    """A signal discussed in a meeting: notes and the decision taken."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="discussions", verbose_name=_("meeting")
    )
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="discussions", verbose_name=_("signal"))
    notes = models.TextField(_("notes"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        constraints = [models.UniqueConstraint(fields=["meeting", "signal"], name="unique_discussion")]

    def __str__(self):
        return f"{self.signal} @ {self.meeting}"


class Action(models.Model):
    """A follow-up task with an owner and a due date."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="actions", verbose_name=_("signal"))
    discussion = models.ForeignKey(Discussion, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signal_actions", verbose_name=_("owner")
    )
    due = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [models.Index(fields=["owner", "done_at", "due"], name="action_owner_open_due")]

    def __str__(self):
        return self.description

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.done_at is None and self.due < (today or timezone.localdate())


class Event(models.Model):
    """One line on a signal's timeline. Written by the services, never edited."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("reported")
        STATUS = "status", _("status changed")
        NOTE = "note", _("note")
        DISCUSSED = "discussed", _("discussed")
        DECISION = "decision", _("decision")
        LEAD = "lead", _("lead professional")
        NEXT_STEP = "next_step", _("next step")
        ACTION = "action", _("action")
        ACTION_DONE = "action_done", _("action done")
        BRIGADE = "brigade", _("Flying Brigade")

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["signal", "at"], name="event_signal_at")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"

    def detail(self) -> str:
        """The structured part of the event in words: a status change, a due date, an action's owner."""
        data = self.data
        if self.kind == self.Kind.STATUS:
            text = f"{Status(data['old']).label} → {Status(data['new']).label}"
            return f"{text} ({Outcome(data['outcome']).label})" if data.get("outcome") else text
        if self.kind == self.Kind.NEXT_STEP and data.get("due"):
            return _("due %(date)s") % {"date": datetime.date.fromisoformat(data["due"]).strftime("%d-%m-%Y")}
        if self.kind == self.Kind.ACTION:
            due = datetime.date.fromisoformat(data["due"]).strftime("%d-%m-%Y")
            return _("%(owner)s, due %(date)s") % {"owner": data["owner"], "date": due}
        return ""
