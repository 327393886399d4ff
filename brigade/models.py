from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brigade.workflow import Referral, RequestStatus
from meedoen.accounts.models import District
from meedoen.privacy.models import Resident


class BrigadeSettings(models.Model):
    """Deadlines of the brigade, as data (one row; the admin edits it)."""

    contact_within_days = models.PositiveSmallIntegerField(_("first contact within (working days)"), default=5)
    unassigned_reminder_days = models.PositiveSmallIntegerField(
        _("remind when unassigned for (working days)"), default=3
    )
    refresher_notice_days = models.PositiveSmallIntegerField(_("announce a refresher due within (days)"), default=30)

    class Meta:
        verbose_name = _("brigade settings")
        verbose_name_plural = _("brigade settings")

    def __str__(self):
        return str(_("brigade settings"))

    @classmethod
    def current(cls) -> "BrigadeSettings":
        return cls.objects.order_by("pk").first() or cls()


class Expertise(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")

    def __str__(self):
        return self.name


class Gender(models.TextChoices):
    WOMAN = "woman", _("woman")
    MAN = "man", _("man")
    OTHER = "other", _("other")


class Brigadier(models.Model):
    """A member of the Vliegende Brigade: an expert by experience, or a family expert by experience."""

    class Kind(models.TextChoices):
        EXPERT = "expert", _("expert by experience")
        FAMILY_EXPERT = "family_expert", _("family expert by experience")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="brigadier", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.EXPERT)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    expertise = models.ManyToManyField(Expertise, blank=True, related_name="brigadiers", verbose_name=_("expertise"))
    languages = ArrayField(models.CharField(max_length=30), default=list, blank=True, verbose_name=_("languages"))
    districts = models.ManyToManyField(District, blank=True, related_name="brigadiers", verbose_name=_("districts"))
    max_active = models.PositiveSmallIntegerField(_("maximum active assignments"), default=3)
    active = models.BooleanField(_("active"), default=True, help_text=_("Untick to pause the brigadier."))

    class Meta:
        verbose_name = _("brigadier")
        verbose_name_plural = _("brigadiers")

    def __str__(self):
        return str(self.user)


class TrainingModule(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    refresher_months = models.PositiveSmallIntegerField(_("refresher after (months)"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")

    def __str__(self):
        return self.name


class TrainingRecord(models.Model):
    brigadier = models.ForeignKey(Brigadier, on_delete=models.CASCADE, related_name="training")
    module = models.ForeignKey(
        TrainingModule, on_delete=models.PROTECT, related_name="records", verbose_name=_("module")
    )
    completed_on = models.DateField(_("completed on"))
    certified = models.BooleanField(_("certified"), default=False)
    refresher_due = models.DateField(_("refresher due"), null=True, blank=True)

    class Meta:
        ordering = ["completed_on"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self):
        return f"{self.module} {self.completed_on:%Y-%m-%d}"


class Availability(models.Model):
    """A weekly window in which the brigadier can visit."""

    brigadier = models.ForeignKey(Brigadier, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class VisitRequest(models.Model):
    """A request to send brigadiers to a resident whom formal care no longer reaches."""

    class Urgency(models.IntegerChoices):
        NORMAL = 1, _("normal")
        HIGH = 2, _("high – within a week")

    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="visit_requests", verbose_name=_("resident")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="visit_requests", verbose_name=_("district")
    )
    signal = models.ForeignKey(
        "signalering.Signal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_requests",
        verbose_name=_("signal"),
    )
    question = models.TextField(_("question"))
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    preferred_gender = models.CharField(_("preferred gender"), max_length=10, choices=Gender.choices, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=30, blank=True)
    preferred_expertise = models.ManyToManyField(
        Expertise, blank=True, related_name="requests", verbose_name=_("expertise wanted")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visit_requests",
        verbose_name=_("requested by"),
    )
    status = models.CharField(_("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW)
    referral = models.CharField(_("outcome and referral"), max_length=15, choices=Referral.choices, blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True)
    needs_assessment = models.BooleanField(_("to the weekly assessment"), default=False)
    assessment_decision = models.TextField(_("assessment decision"), blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    first_contact_at = models.DateTimeField(_("first contact at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set when the retention period ended (or the resident was erased): what the figures count stays, the rest went.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("visit request")
        verbose_name_plural = _("visit requests")
        indexes = [
            models.Index(fields=["status", "created_at"], name="visitrequest_status_created"),
            # The figures select by these dates per period and read the included columns from the index alone.
            models.Index(
                fields=["closed_at"],
                include=["district", "status", "referral", "first_contact_at"],
                name="visitrequest_closed_figures",
            ),
            models.Index(
                fields=["first_contact_at"], include=["district", "created_at"], name="visitrequest_contact_figures"
            ),
        ]

    def __str__(self):
        return _("Visit request %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"V-{self.pk:04d}" if self.pk else "V-?"


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    ENDED = "ended", _("ended")


# Assignments that take up a place in a brigadier's maximum.
ACTIVE_ASSIGNMENT = [AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED]


class Assignment(models.Model):
    """One brigadier sent on a visit request."""

    request = models.ForeignKey(VisitRequest, on_delete=models.CASCADE, related_name="assignments")
    brigadier = models.ForeignKey(Brigadier, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PROPOSED
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["assigned_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "brigadier"],
                condition=models.Q(status__in=["proposed", "accepted"]),
                name="one_active_assignment_per_brigadier_and_request",
            )
        ]
        indexes = [models.Index(fields=["brigadier", "status"], name="assignment_brigadier_status")]

    def __str__(self):
        return f"{self.request} – {self.brigadier}"


class Contact(models.Model):
    """A logged contact of a brigadier with the resident."""

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("home visit")
        PHONE = "phone", _("by phone")
        OUT_TOGETHER = "out_together", _("out together")
        NO_ANSWER = "no_answer", _("no answer at the door")

    request = models.ForeignKey(VisitRequest, on_delete=models.CASCADE, related_name="contacts")
    brigadier = models.ForeignKey(Brigadier, on_delete=models.PROTECT, related_name="contacts")
    date = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind of contact"), max_length=15, choices=Kind.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    note = models.TextField(_("short note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["date"], include=["kind", "request"], name="contact_date_figures")]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"
