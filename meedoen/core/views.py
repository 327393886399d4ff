import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from meedoen.accounts.access import ANY_ROLE, public, roles
from meedoen.core import attention
from meedoen.core.health import system_state


@roles(ANY_ROLE)
def home(request):
    panels = attention.panels_for(request.user) or [
        attention.Panel(title=_("Nothing needs your attention"), empty=_("There is nothing for you here yet."))
    ]
    return render(request, "core/home.html", {"panels": panels})


@public
@never_cache
@require_GET
def health(request):
    state = system_state()
    return JsonResponse(state, status=200 if state["status"] == "ok" else 503)


def server_error(request):
    """handler500. While PostgreSQL is down or restarting the answer is 503 with a page made without the database
    (the next request reconnects by itself, CONN_HEALTH_CHECKS: nothing needs a restart); anything else is the
    plain 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("errors/database_unavailable.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(render_to_string("500.html"))
