import json
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meedoen.accounts.access import roles
from meedoen.accounts.models import Role
from meedoen.accounts.two_factor import recent_authentication
from meedoen.core.forms import add_service_errors
from meedoen.core.pagination import CappedPaginator
from meedoen.core.pdf import render_pdf
from meedoen.privacy import services
from meedoen.privacy.audit import log_access, log_access_many
from meedoen.privacy.filters import AccessLogFilter
from meedoen.privacy.forms import ErasureForm, ResidentLookupForm
from meedoen.privacy.models import AccessAction, Resident
from meedoen.privacy.records import keepers
from meedoen.privacy.selectors import (
    access_log_for,
    erasure_blockers,
    erasures_for,
    residents_for,
    residents_matching,
    retention_runs_for,
)
from meedoen.privacy.subject_access import subject_access

LOOKUP_LIMIT = 50


def _rows(queryset):
    # The pseudonym only: selecting the resident itself would decrypt its identifying fields.
    return queryset.annotate(pseudonym=F("resident__pseudonym"))


def _get_resident_for_user(request, pseudonym: str, action=AccessAction.READ, object_type="resident") -> Resident:
    """The resident for the privacy officer's subject-access pages, with an access-log row."""
    resident = residents_for(request.user).filter(pseudonym=pseudonym).first()
    if resident is None:
        raise Http404
    log_access(
        user=request.user,
        action=action,
        object_type=object_type,
        object_id=resident.pk,
        resident=resident,
        request=request,
    )
    return resident


def _live_counts(resident_ids: list[int]) -> dict[int, int]:
    """Per resident, how many records still need them (open, or closed within their retention period)."""
    counts: dict[int, int] = defaultdict(int)
    for keeper in keepers():
        if keeper.live_records:
            rows = (
                keeper.live_records()
                .filter(resident_id__in=resident_ids)
                .values_list("resident_id")
                .annotate(total=Count("pk"))
                .order_by()
            )
            for resident_id, total in rows:
                counts[resident_id] += total
    return counts


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
    resident = residents_for(request.user).filter(pseudonym=pseudonym).only("pk", "pseudonym").first()
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


@roles(Role.PRIVACY_OFFICER)
def resident_lookup(request):
    """Find the resident of a subject-access or erasure request. A POST, so that names and dates of birth stay out
    of addresses, browser history and server logs; every search is logged with the residents it found."""
    form = ResidentLookupForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matching = residents_matching(
            request.user,
            pseudonym=data["pseudonym"],
            full_name=data["full_name"],
            date_of_birth=data["date_of_birth"],
            postcode=data["postcode"],
            house_number=data["house_number"],
        )
        results = list(matching.order_by("pk")[:LOOKUP_LIMIT])
        if results:
            log_access_many(
                user=request.user,
                action=AccessAction.SEARCH,
                object_type="resident",
                objects=[(resident.pk, resident.pk) for resident in results],
                request=request,
            )
        else:
            log_access(
                user=request.user,
                action=AccessAction.SEARCH,
                object_type="resident",
                object_id=form.way(),
                request=request,
            )
        counts = _live_counts([resident.pk for resident in results])
        for resident in results:
            resident.live_count = counts.get(resident.pk, 0)
    return render(request, "privacy/resident_lookup.html", {"form": form, "results": results})


@roles(Role.PRIVACY_OFFICER)
def resident_detail(request, pseudonym: str):
    resident = _get_resident_for_user(request, pseudonym)
    held = [
        (keeper.label, keeper.live_records().filter(resident=resident).count())
        for keeper in keepers()
        if keeper.live_records
    ]
    return render(
        request,
        "privacy/resident_detail.html",
        {
            "resident": resident,
            "held": held,
            "blockers": erasure_blockers(resident=resident),
            "erasure": erasures_for(request.user).filter(resident=resident).first(),
        },
    )


@roles(Role.PRIVACY_OFFICER)
@recent_authentication
def resident_export(request, pseudonym: str, format: str):
    """Everything held about the resident, as JSON or PDF. Every record in it is logged as exported; if the log
    cannot be written, nothing is handed out."""
    resident = residents_for(request.user).filter(pseudonym=pseudonym).first()
    if resident is None:
        raise Http404
    export = subject_access(resident=resident)
    by_type: dict[str, list] = defaultdict(list)
    for object_type, object_id in export.logged_objects():
        by_type[object_type].append((object_id, resident.pk))
    for object_type, objects in by_type.items():
        log_access_many(
            user=request.user, action=AccessAction.EXPORT, object_type=object_type, objects=objects, request=request
        )
    filename = f"inzage-{resident.pseudonym}"
    if format == "json":
        body = json.dumps(export.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(
            render_pdf("privacy/print/subject_access.html", {"export": export}), content_type="application/pdf"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{format}"'
    return response


@roles(Role.PRIVACY_OFFICER)
@recent_authentication
def resident_erase(request, pseudonym: str):
    """The confirmation step of an erasure: what will happen, why it may be refused, a reason and a tick."""
    # Logged as a read (the page shows who it is); the erasure itself is logged by the service when it happens.
    resident = _get_resident_for_user(request, pseudonym)
    form = ErasureForm(request.POST or None)
    blockers = erasure_blockers(resident=resident)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.resident_erase(
                    resident=resident, erased_by=request.user, reason=form.cleaned_data["reason"], request=request
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The identifying data of %(pseudonym)s is erased; the records about them are anonymised.")
                    % {"pseudonym": resident.pseudonym},
                )
                return redirect("privacy:resident", resident.pseudonym)
        status = 400
        blockers = erasure_blockers(resident=Resident.objects.get(pk=resident.pk))
    return render(
        request,
        "privacy/resident_erase.html",
        {"resident": resident, "form": form, "blockers": blockers},
        status=status,
    )


@roles(Role.PRIVACY_OFFICER)
def retention(request):
    """The retention scheme: how long each kind of record is kept, what each nightly run did, and the erasures."""
    kinds = [(keeper.kind, keeper.label, keeper.period()) for keeper in keepers()]
    columns = [kind for kind, _label, _period in kinds] + [services.RESIDENTS]
    runs = Paginator(retention_runs_for(request.user), 30).get_page(request.GET.get("page"))
    for run in runs.object_list:
        run.cells = [run.counts.get(kind, 0) for kind in columns]
    erasures = Paginator(erasures_for(request.user), 30).get_page(request.GET.get("erasures"))
    names = {kind: label for kind, label, _period in kinds}
    for erasure in erasures.object_list:
        erasure.summary = [(names.get(kind, kind), count) for kind, count in erasure.counts.items() if count]
    return render(
        request,
        "privacy/retention.html",
        {
            "kinds": kinds,
            "labels": [label for _kind, label, _period in kinds] + [_("Residents (identifying data emptied)")],
            "runs": runs,
            "erasures": erasures,
        },
    )
