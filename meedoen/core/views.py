from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from meedoen.accounts.access import ANY_ROLE, public, roles
from meedoen.accounts.models import Role
from meedoen.core import attention
from meedoen.core.health import system_state

# What each role's home page watches until a pillar provides its panels (see attention.py).
ATTENTION = {
    Role.HOST: [
        (_("Today's walk-in sessions"), _("There are no walk-in sessions today.")),
        (_("Upcoming activities"), _("No activities are planned.")),
    ],
    Role.PROJECT_LEADER: [
        (_("Figures this quarter"), _("No figures yet for this quarter.")),
    ],
    Role.PRIVACY_OFFICER: [
        (_("Refused accesses"), _("No refused accesses in the last 7 days.")),
    ],
    Role.ADMIN: [
        (
            _("Accounts and organisations"),
            _("Manage accounts, organisations and districts in the administration."),
        ),
    ],
}


@roles(ANY_ROLE)
def home(request):
    panels = attention.panels_for(request.user) or [
        attention.Panel(title=title, empty=empty) for title, empty in ATTENTION[request.user.role]
    ]
    return render(request, "core/home.html", {"panels": panels})


@public
@never_cache
@require_GET
def health(request):
    state = system_state()
    return JsonResponse(state, status=200 if state["status"] == "ok" else 503)
