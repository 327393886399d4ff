from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    CHAIR = "chair", _("Chair of a district meeting")
    BRIGADE_COORDINATOR = "brigade_coordinator", _("Brigade coordinator")
    BRIGADIER = "brigadier", _("Brigadier (expert by experience)")
    HOST = "host", _("Host (meeting place)")
    PROJECT_LEADER = "project_leader", _("Project leader")
    MUNICIPALITY = "municipality", _("Municipality")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    ADMIN = "admin", _("Administrator")


class OrganisationKind(models.TextChoices):
    SOCIAL_TEAM = "social_team", _("Social district team")
    POLICE = "police", _("Police")
    HOUSING = "housing", _("Housing corporation")
    GP = "gp", _("General practitioner")
    MENTAL_HEALTH = "mental_health", _("Mental health care")
    ADDICTION_CARE = "addiction_care", _("Addiction care")
    WELFARE = "welfare", _("Welfare")
    VOLUNTEERS = "volunteers", _("Volunteer organisation")
    CLIENTS = "clients", _("Client organisation")
    MUNICIPALITY = "municipality", _("Municipality")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class District(models.Model):
    """A district (CBS wijk); each has one signaleringsoverleg."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    cbs_code = models.CharField(_("CBS code"), max_length=10, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class Neighbourhood(models.Model):
    """A neighbourhood (CBS buurt) inside a district."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="neighbourhoods", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100)
    cbs_code = models.CharField(_("CBS code"), max_length=10, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="unique_neighbourhood_name_per_district")
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.PROFESSIONAL)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    districts = models.ManyToManyField(
        District,
        through="DistrictMembership",
        related_name="members",
        blank=True,
        verbose_name=_("districts"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    CHAIR = "chair", _("Chair")


class DistrictMembership(models.Model):
    """A user's seat in a district's signaleringsoverleg."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("district")
    )
    role = models.CharField(
        _("role in the meeting"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )

    class Meta:
        verbose_name = _("district membership")
        verbose_name_plural = _("district memberships")
        constraints = [models.UniqueConstraint(fields=["user", "district"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} – {self.district} ({self.get_role_display()})"
