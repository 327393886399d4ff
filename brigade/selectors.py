"""Who may see which visit request, assignment and brigadier. Every view goes through here."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from brigade.models import ACTIVE_ASSIGNMENT, Assignment, Brigadier, TrainingRecord, VisitRequest
from meedoen.accounts.models import Role, User
from signalering.selectors import visible_signals

COORDINATION_ROLES = frozenset({Role.BRIGADE_COORDINATOR, Role.ADMIN})
REQUESTING_ROLES = frozenset({Role.PROFESSIONAL, Role.CHAIR})


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def live_requests() -> QuerySet[VisitRequest]:
    """Visit requests not yet anonymised. An anonymised request is left for the figures only."""
    return VisitRequest.objects.filter(anonymised_at__isnull=True)


def visible_requests(user) -> QuerySet[VisitRequest]:
    """Coordinators: all. Professionals: requests they made or that hang on a signal they may see.
    Brigadiers: the requests of their own assignments. Anonymised requests: nobody."""
    if not _active(user):
        return VisitRequest.objects.none()
    if user.role in COORDINATION_ROLES:
        return live_requests()
    if user.role in REQUESTING_ROLES:
        return live_requests().filter(Q(requested_by=user) | Q(signal__in=visible_signals(user)))
    if user.role == Role.BRIGADIER:
        return live_requests().filter(assignments__brigadier__user=user).distinct()
    return VisitRequest.objects.none()


def assignments_for(user) -> QuerySet[Assignment]:
    """A brigadier's own assignments; coordinators see all (of requests not anonymised)."""
    if not _active(user):
        return Assignment.objects.none()
    live = Assignment.objects.filter(request__anonymised_at__isnull=True)
    if user.role in COORDINATION_ROLES:
        return live
    if user.role == Role.BRIGADIER:
        return live.filter(brigadier__user=user)
    return Assignment.objects.none()


def visible_brigadiers(user) -> QuerySet[Brigadier]:
    if _active(user) and user.role in COORDINATION_ROLES:
        return Brigadier.objects.all()
    return Brigadier.objects.none()


def with_load(brigadiers: QuerySet[Brigadier]) -> QuerySet[Brigadier]:
    """Annotate each brigadier with the number of assignments that take up a place."""
    return brigadiers.annotate(load=Count("assignments", filter=Q(assignments__status__in=ACTIVE_ASSIGNMENT)))


def coordinators() -> QuerySet[User]:
    return User.objects.filter(role=Role.BRIGADE_COORDINATOR, is_active=True)


def refreshers_due(until) -> QuerySet[TrainingRecord]:
    """The latest record per brigadier and module, of active brigadiers, whose refresher falls due by `until`.
    An older record that a newer one replaced is not due any more."""
    newer = TrainingRecord.objects.filter(
        brigadier=OuterRef("brigadier"), module=OuterRef("module"), completed_on__gt=OuterRef("completed_on")
    )
    return (
        TrainingRecord.objects.filter(refresher_due__lte=until, brigadier__active=True)
        .filter(~Exists(newer))
        .select_related("module", "brigadier__user")
        .order_by("refresher_due")
    )
