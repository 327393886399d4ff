"""The brigade's panels on the home page of coordinators and brigadiers."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brigade.models import ACTIVE_ASSIGNMENT, AssignmentStatus, BrigadeSettings
from brigade.selectors import assignments_for, refreshers_due, visible_requests
from brigade.workflow import RequestStatus
from meedoen.accounts.models import Role
from meedoen.core.attention import Item, Panel, provider

LIMIT = 5


@provider
def brigade_panels(user) -> list[Panel]:
    if user.role == Role.BRIGADIER:
        assignments = (
            assignments_for(user)
            .filter(status__in=ACTIVE_ASSIGNMENT)
            .select_related("request__resident", "request__district")
            .annotate(contacts=Count("request__contacts", filter=Q(request__contacts__brigadier__user=user)))
            .order_by("assigned_at")[:LIMIT]
        )
        return [
            Panel(
                title=_("My assignments"),
                empty=_("You have no open assignments."),
                items=[
                    Item(
                        text=f"{a.request.number} · {a.request.resident.pseudonym} · {a.request.district.name}"
                        + (f" – {_('waiting for your answer')}" if a.status == AssignmentStatus.PROPOSED else "")
                        + ("" if a.contacts else f" – {_('no contact logged yet')}"),
                        url=reverse("brigade:assignment", args=[a.pk]),
                    )
                    for a in assignments
                ],
                more_url=reverse("brigade:mine"),
            )
        ]
    if user.role != Role.BRIGADE_COORDINATOR:  # admins and professionals see the brigade through its pages
        return []
    waiting = (
        visible_requests(user)
        .filter(status=RequestStatus.NEW)
        .select_related("resident", "district")
        .order_by("-urgency", "created_at")
    )
    soon = timezone.localdate() + timezone.timedelta(days=BrigadeSettings.current().refresher_notice_days)
    training = refreshers_due(soon)
    return [
        Panel(
            title=_("Visit requests waiting for brigadiers"),
            empty=_("No visit requests are waiting."),
            items=[
                Item(
                    text=f"{r.number} · {r.resident.pseudonym} · {r.district.name}",
                    url=reverse("brigade:request", args=[r.pk]),
                )
                for r in waiting[:LIMIT]
            ],
            more_url=reverse("brigade:overview"),
        ),
        Panel(
            title=_("Training due"),
            empty=_("No refreshers due."),
            items=[
                Item(
                    text=f"{t.brigadier} – {t.module} ({t.refresher_due:%d-%m-%Y})",
                    url=reverse("brigade:pool"),
                    overdue=t.refresher_due < timezone.localdate(),
                )
                for t in training[:LIMIT]
            ],
        ),
    ]
