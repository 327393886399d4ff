from django.core.paginator import Paginator
from django.shortcuts import render

from meedoen.accounts.access import roles
from meedoen.accounts.models import Role
from meedoen.privacy.selectors import access_log_for


@roles(Role.PRIVACY_OFFICER)
def access_log(request):
    page = Paginator(access_log_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "privacy/access_log.html", {"page": page})
