import datetime
import secrets

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.privacy.crypto import EncryptedDateField, EncryptedTextField, blind_index

_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_pseudonym() -> str:
    return "B-" + "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(6))


class Resident(models.Model):
    """The person a signal is about, known to the system by a pseudonym.

    Identifying fields are encrypted at rest; the blind indexes answer "already known?" without decrypting.
    """

    pseudonym = models.CharField(_("pseudonym"), max_length=12, unique=True, default=new_pseudonym, editable=False)
    full_name = EncryptedTextField(_("name"), blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), blank=True, null=True)
    street = EncryptedTextField(_("street"), blank=True)
    house_number = EncryptedTextField(_("house number"), blank=True)
    postcode = EncryptedTextField(_("postcode"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    identity_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    # The encrypted fields: lists that show only the pseudonym defer them, so that nothing is decrypted for nothing.
    IDENTIFYING = ("full_name", "date_of_birth", "street", "house_number", "postcode", "phone")

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")

    def __str__(self):
        return self.pseudonym

    @staticmethod
    def identity_key(full_name: str, date_of_birth) -> str:
        return blind_index(full_name, date_of_birth.isoformat() if date_of_birth else "")

    @staticmethod
    def address_key(postcode: str, house_number: str) -> str:
        return blind_index("".join((postcode or "").split()), house_number)

    def refresh_hashes(self) -> None:
        self.identity_hash = self.identity_key(self.full_name, self.date_of_birth)
        self.address_hash = self.address_key(self.postcode, self.house_number)


class AccessAction(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("change")
    DELETE = "delete", _("delete")
    SEARCH = "search", _("search")
    EXPORT = "export", _("export")
    PRINT = "print", _("print")


class AccessResult(models.TextChoices):
    ALLOWED = "allowed", _("allowed")
    DENIED = "denied", _("denied")


class AccessLog(models.Model):
    """One access to personal data (NEN 7513 style). Append-only; holds no personal content.

    User and resident are kept as plain ids (no database constraint), so that neither deleting an account nor
    erasing a resident touches the log; the username, role and organisation are copied at the time of access.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # No index of their own: (user, at) and (resident, at) below serve every search on them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=30, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    resident = models.ForeignKey(
        Resident,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    result = models.CharField(_("result"), max_length=10, choices=AccessResult.choices)
    origin = models.GenericIPAddressField(_("origin address"), null=True, blank=True)
    # HMAC over this row's content and the previous row's chain_hash: a changed or removed row breaks the chain.
    chain_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["resident", "at"], name="accesslog_resident_at"),
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}#{self.object_id}"

    def content(self) -> bytes:
        """The row's content as the chain hashes it."""
        return self.content_of(
            self.at,
            self.user_id,
            self.username,
            self.role,
            self.organisation,
            self.resident_id,
            self.object_type,
            self.object_id,
            self.action,
            self.result,
            self.origin,
        )

    @staticmethod
    def content_of(
        at, user_id, username, role, organisation, resident_id, object_type, object_id, action, result, origin
    ) -> bytes:
        parts = [
            at.isoformat(),
            str(user_id or ""),
            username,
            role,
            organisation,
            str(resident_id or ""),
            object_type,
            object_id,
            action,
            result,
            str(origin or ""),
        ]
        return "\x1f".join(parts).encode()


class RetentionPeriod(models.Model):
    """How long a kind of record is kept after it was closed, before it is anonymised. Data, edited in the admin.

    One installation serves one municipality, so one row per kind is that municipality's choice. A kind without a
    row uses DEFAULT_MONTHS. Participants of a meeting place are not here: their period is set per place and promised
    to them when they register (zelfregie Location.retention_months).
    """

    class Kind(models.TextChoices):
        SIGNAL = "signal", _("closed signals, with their discussions, actions and timeline")
        VISIT_REQUEST = "visit_request", _("finished or cancelled visit requests, with their assignments and contacts")

    DEFAULT_MONTHS = {Kind.SIGNAL: 24, Kind.VISIT_REQUEST: 24}

    kind = models.CharField(_("kind of record"), max_length=20, choices=Kind.choices, unique=True)
    months = models.PositiveSmallIntegerField(
        _("keep for (months after closing)"),
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("After this many months the record is anonymised: its figures stay, its content goes."),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        constraints = [
            models.CheckConstraint(condition=models.Q(months__gte=1, months__lte=240), name="retention_1_to_240_months")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.months}"

    @classmethod
    def months_for(cls, kind: str) -> int:
        row = cls.objects.filter(kind=kind).values_list("months", flat=True).first()
        return row if row is not None else cls.DEFAULT_MONTHS[kind]

    @classmethod
    def cutoff(cls, kind: str, now: datetime.datetime) -> datetime.datetime:
        """Records of `kind` closed before this moment are past their period."""
        return now - relativedelta(months=cls.months_for(kind))


class RetentionRun(models.Model):
    """One run of the retention sweep: when, and how many records of each kind it anonymised or deleted.

    Counts only, never content, so the privacy officer can read it.
    """

    started_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    counts = models.JSONField(_("records per kind"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class ResidentErasure(models.Model):
    """A resident erased on request by the privacy officer: when, by whom, why, and how many records it touched.

    The resident row stays as an empty pseudonym, so the access log about them can still be read.
    """

    resident = models.OneToOneField(
        Resident, on_delete=models.PROTECT, related_name="erasure", verbose_name=_("resident")
    )
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("erased by")
    )
    reason = models.TextField(_("reason"))
    counts = models.JSONField(_("records per kind"), default=dict, blank=True)

    class Meta:
        ordering = ["-erased_at", "-pk"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self):
        return f"{self.resident_id} {self.erased_at:%Y-%m-%d}"
