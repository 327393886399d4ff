from django.http import JsonResponse
from django.shortcuts import render
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
