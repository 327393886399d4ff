import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.models import District
from zelfregie import schedule


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Location(models.Model):
    """A meeting place (ontmoetingsplek) with its public description and walk-in hours."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("web address name"), max_length=60, unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="meeting_places", verbose_name=_("district")
    )
    address = models.CharField(_("address"), max_length=200)
    description = models.TextField(_("public description"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True, help_text=_("Wheelchair access, toilet, …"))
    phone = models.CharField(_("public phone number"), max_length=30, blank=True)
    retention_months = models.PositiveSmallIntegerField(
        _("keep participants' details (months)"), default=12, help_text=_("Shown to participants when they register.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")

    def __str__(self):
        return self.name


class LocationHost(models.Model):
    """A host (gastvrouw/gastheer) of a meeting place: they count, and see its participants."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="hosts", verbose_name=_("place"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hosted_places", verbose_name=_("host")
    )

    class Meta:
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        constraints = [models.UniqueConstraint(fields=["location", "user"], name="unique_location_host")]

    def __str__(self):
        return f"{self.user} – {self.location}"


class WalkInHours(models.Model):
    """Weekly walk-in (inloop) hours: the schedule the sessions are generated from."""

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="walk_in_hours", verbose_name=_("place")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name = _("walk-in hours")
        verbose_name_plural = _("walk-in hours")
        constraints = [
            models.UniqueConstraint(fields=["location", "weekday", "start_time"], name="unique_walk_in_hours"),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="walk_in_hours_end_after_start"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class Closure(models.Model):
    """Days a place is closed besides the public holidays: a summer break, a renovation."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures", verbose_name=_("place"))
    start_date = models.DateField(_("closed from"))
    end_date = models.DateField(_("closed until (inclusive)"))
    reason = models.CharField(_("reason (shown in the public agenda)"), max_length=100)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="closure_end_after_start")
        ]

    def __str__(self):
        return f"{self.location}: {self.reason} ({self.start_date:%d-%m-%Y}–{self.end_date:%d-%m-%Y})"


class Session(models.Model):
    """One walk-in afternoon of a place, with its anonymous visitor count.

    The counts are changed only by single conditional UPDATEs (see services.count_tap), so that several hosts
    tapping at once lose nothing.
    """

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("place"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    visitors = models.PositiveIntegerField(_("visitors"), default=0)
    new_visitors = models.PositiveIntegerField(_("of whom new"), default=0)

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("walk-in session")
        verbose_name_plural = _("walk-in sessions")
        constraints = [
            models.UniqueConstraint(fields=["location", "date", "start_time"], name="unique_session"),
            models.CheckConstraint(condition=Q(new_visitors__lte=F("visitors")), name="session_new_within_total"),
        ]
        indexes = [models.Index(fields=["date", "location"], name="session_date_location")]

    def __str__(self):
        return f"{self.location} {self.date:%d-%m-%Y} {self.start_time:%H:%M}"

    @property
    def starts_at(self) -> datetime.datetime:
        return schedule.aware(self.date, self.start_time)

    @property
    def ends_at(self) -> datetime.datetime:
        return schedule.aware(self.date, self.end_time)

    def can_tap(self, today: datetime.date | None = None) -> bool:
        """Counting at the door happens on the day itself; later changes are corrections."""
        return self.date == (today or timezone.localdate())

    def can_correct(self, today: datetime.date | None = None) -> bool:
        return self.date <= (today or timezone.localdate())


class CountCorrection(models.Model):
    """A count changed afterwards: who, when, why, and from what to what."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="corrections")
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    visitors_before = models.PositiveIntegerField()
    new_visitors_before = models.PositiveIntegerField()
    visitors = models.PositiveIntegerField(_("visitors"))
    new_visitors = models.PositiveIntegerField(_("of whom new"))
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("count correction")
        verbose_name_plural = _("count corrections")

    def __str__(self):
        return f"{self.session}: {self.visitors_before} → {self.visitors}"


_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_participant_pseudonym() -> str:
    return "D-" + "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(6))


class Participant(models.Model):
    """A visitor who chose to register: a pseudonym, a first name given with consent, and nothing else."""

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="participants", verbose_name=_("place")
    )
    pseudonym = models.CharField(
        _("pseudonym"), max_length=12, unique=True, default=new_participant_pseudonym, editable=False
    )
    first_name = models.CharField(_("first name or nickname"), max_length=50, blank=True)
    consent_at = models.DateTimeField(_("consent given on"))
    consent_text = models.TextField(_("what the participant agreed to"))
    retain_until = models.DateField(_("kept until"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )

    class Meta:
        ordering = ["first_name", "pseudonym"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["location", "first_name"], name="participant_location_name")]

    def __str__(self):
        return f"{self.first_name} ({self.pseudonym})" if self.first_name else self.pseudonym


class ExpectedVisitor(models.Model):
    """Someone referred to the place (by the brigade) whom the hosts may expect: a first name given with consent.

    Nothing else about the person: no note, so nothing about their health or situation reaches the hosts.
    """

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="expected_visitors", verbose_name=_("place")
    )
    first_name = models.CharField(_("first name"), max_length=50)
    consent_at = models.DateTimeField(_("consent given on"))
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("announced by")
    )
    announced_at = models.DateTimeField(_("announced on"), default=timezone.now)
    arrived_at = models.DateTimeField(_("arrived on"), null=True, blank=True)
    arrival_noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["announced_at", "pk"]
        verbose_name = _("expected visitor")
        verbose_name_plural = _("expected visitors")
        indexes = [models.Index(fields=["location", "arrived_at"], name="expected_location_arrived")]

    def __str__(self):
        return self.first_name


class Activity(models.Model):
    """An activity by and for users: a cooking evening, a walking group, a creative workshop."""

    class Recurrence(models.TextChoices):
        ONCE = "once", _("once")
        WEEKLY = "weekly", _("every week")

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="activities", verbose_name=_("place"))
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    organiser_host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_activities",
        verbose_name=_("organised by (host)"),
    )
    organiser_participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_activities",
        verbose_name=_("organised by (participant)"),
    )
    recurrence = models.CharField(_("how often"), max_length=10, choices=Recurrence.choices, default=Recurrence.WEEKLY)
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"), null=True, blank=True)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    signup_required = models.BooleanField(_("sign-up needed"), default=False)
    public = models.BooleanField(_("in the public agenda"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="activity_end_after_start"),
            models.CheckConstraint(
                condition=Q(last_date__isnull=True) | Q(last_date__gte=F("first_date")),
                name="activity_last_after_first",
            ),
            models.CheckConstraint(
                condition=Q(organiser_host__isnull=True) | Q(organiser_participant__isnull=True),
                name="activity_one_organiser",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def organiser(self):
        return self.organiser_host or self.organiser_participant

    def dates(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        """The dates of the activity from start up to and including end, before closures."""
        last = min(end, self.last_date) if self.last_date else end
        if self.recurrence == self.Recurrence.ONCE:
            return [self.first_date] if start <= self.first_date <= last else []
        return schedule.weekly_dates(self.first_date, max(start, self.first_date), last)


class Occurrence(models.Model):
    """One time an activity takes place, with how many took part (an anonymous number)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="occurrences")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    attendance_noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    attendance_noted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("activity date")
        verbose_name_plural = _("activity dates")
        constraints = [models.UniqueConstraint(fields=["activity", "date"], name="unique_occurrence")]
        indexes = [models.Index(fields=["date", "activity"], name="occurrence_date_activity")]

    def __str__(self):
        return f"{self.activity} {self.date:%d-%m-%Y}"

    @property
    def starts_at(self) -> datetime.datetime:
        return schedule.aware(self.date, self.start_time)

    @property
    def ends_at(self) -> datetime.datetime:
        return schedule.aware(self.date, self.end_time)


class SignUp(models.Model):
    """A participant's place in an activity, or on its waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("signed up")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="signups")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("signed up on"), default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant"],
                condition=~Q(status="cancelled"),
                name="unique_open_signup",
            )
        ]
        indexes = [models.Index(fields=["activity", "status", "created_at"], name="signup_activity_queue")]

    def __str__(self):
        return f"{self.participant} – {self.activity} ({self.get_status_display()})"
