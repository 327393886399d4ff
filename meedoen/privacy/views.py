from django.db.models import F
from django.http import Http404
from django.shortcuts import render

from meedoen.accounts.access import roles
from meedoen.accounts.models import Role
from meedoen.core.pagination import CappedPaginator
from meedoen.privacy.audit import log_access
from meedoen.privacy.filters import AccessLogFilter
from meedoen.privacy.models import AccessAction, Resident
from meedoen.privacy.selectors import access_log_for


def _rows(queryset):
    # The pseudonym only: selecting the resident itself would decrypt its identifying fields.
    return queryset.annotate(pseudonym=F("resident__pseudonym"))


@roles(Role.PRIVACY_OFFICER)
def access_log(request):
    entries = access_log_for(request.user)
    filterset = AccessLogFilter(request.GET or None, queryset=entries)
    if filterset.is_bound and filterset.is_valid():
        entries = filterset.qs
    page = CappedPaginator(_rows(entries), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "privacy/access_log.html", {"page": page, "filter": filterset, "query": query.urlencode()})


@roles(Role.PRIVACY_OFFICER)
def resident_log(request, pseudonym: str):
    """Everything that happened to one resident's data, oldest first: who, organisation, role, what, when."""
    resident = Resident.objects.filter(pseudonym=pseudonym).only("pk", "pseudonym").first()
    if resident is None:
        raise Http404
    log_access(
        user=request.user,
        action=AccessAction.READ,
        object_type="access_log",
        object_id=resident.pseudonym,
        resident=resident,
        request=request,
    )
    entries = _rows(access_log_for(request.user).filter(resident=resident).order_by("at", "id"))
    page = CappedPaginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "privacy/resident_log.html", {"page": page, "pseudonym": resident.pseudonym, "query": ""})
