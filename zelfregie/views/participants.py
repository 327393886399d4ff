"""People the hosts know by name: registered participants (list, search, registration, deletion) and visitors
announced by the brigade. Every name shown is logged."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meedoen.accounts.access import roles
from meedoen.core.forms import add_service_errors, safe_next
from meedoen.privacy.models import AccessAction
from zelfregie import services
from zelfregie.forms import ParticipantForm, ParticipantSearchForm
from zelfregie.models import SignUp
from zelfregie.selectors import (
    ZELFREGIE_ROLES,
    host_locations,
    open_expected_visitors,
    visible_expected_visitors,
    visible_participants,
)
from zelfregie.views.common import (
    PAGE_SIZE,
    get_for_user,
    get_location_for_user,
    get_participant_for_user,
    log_many,
    tell_promoted,
)

SEARCH_LIMIT = 50  # results of one search; more means: type more of the name


@roles(ZELFREGIE_ROLES)
@require_http_methods(["GET", "POST"])
def participant_list(request):
    """The participants of the user's places, page by page (GET); or those whose first name or pseudonym matches
    (POST, so that the name stays out of URLs, server logs and browser history; at most SEARCH_LIMIT, on one page
    whose links carry no name)."""
    participants = (
        visible_participants(request.user)
        .select_related("location")
        .order_by("location__name", "first_name", "pseudonym")
    )
    context = {
        "locations": host_locations(request.user).filter(active=True).order_by("name"),
        "limit": SEARCH_LIMIT,
    }
    if request.method == "POST":
        form = ParticipantSearchForm(request.POST, auto_id="participant-%s")
        if not form.is_valid():
            context.update(search_form=form, participants=[])
            return render(request, "zelfregie/participant_list.html", context, status=400)
        query = form.cleaned_data["q"]
        found = list(
            participants.filter(Q(first_name__icontains=query) | Q(pseudonym__iexact=query))[: SEARCH_LIMIT + 1]
        )
        results = found[:SEARCH_LIMIT]
        log_many(request, "participant", results, AccessAction.SEARCH)
        context.update(
            search_form=form,
            q=query,
            participants=results,
            total=len(results),
            more=len(found) > SEARCH_LIMIT,
            searched=True,
        )
        return render(request, "zelfregie/participant_list.html", context)
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    log_many(request, "participant", page.object_list)
    context.update(
        search_form=ParticipantSearchForm(auto_id="participant-%s"),
        page=page,
        participants=page.object_list,
        total=page.paginator.count,
    )
    return render(request, "zelfregie/participant_list.html", context)


@roles(ZELFREGIE_ROLES)
def participant_create(request, pk: int):
    location = get_location_for_user(request, pk)
    retain_until = services.participant_retain_until(location)
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_register(
                location=location,
                user=request.user,
                first_name=form.cleaned_data["first_name"],
                consent=form.cleaned_data["consent"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(participant)s is registered.") % {"participant": participant})
            return redirect("zelfregie:participant", participant.pk)
    context = {
        "form": form,
        "location": location,
        "statement": services.consent_statement(location, retain_until),
        "retain_until": retain_until,
    }
    return render(request, "zelfregie/participant_form.html", context, status=400 if form.errors else 200)


@roles(ZELFREGIE_ROLES)
def participant_detail(request, pk: int):
    participant = get_participant_for_user(request, pk)
    signups = participant.signups.exclude(status=SignUp.Status.CANCELLED).select_related("activity")
    return render(request, "zelfregie/participant_detail.html", {"participant": participant, "signups": signups})


@roles(ZELFREGIE_ROLES)
@require_POST
def participant_delete(request, pk: int):
    participant = get_participant_for_user(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the details are to be deleted."))
        return redirect("zelfregie:participant", pk)
    promoted = services.participant_delete(participant=participant, user=request.user, request=request)
    messages.success(request, _("The participant's details are deleted."))
    tell_promoted(request, promoted)
    return redirect("zelfregie:participant_list")


@roles(ZELFREGIE_ROLES)
def expected_list(request):
    expected = list(
        open_expected_visitors(request.user)
        .select_related("location", "announced_by")
        .order_by("location__name", "announced_at")
    )
    log_many(request, "expected_visitor", expected)
    return render(request, "zelfregie/expected_list.html", {"expected": expected})


@roles(ZELFREGIE_ROLES)
@require_POST
def expected_arrived(request, pk: int):
    expected = get_for_user(request, visible_expected_visitors(request.user), "expected_visitor", pk)
    if services.expected_visitor_arrived(expected=expected, user=request.user, request=request):
        messages.success(request, _("%(name)s has arrived. Welcome!") % {"name": expected.first_name})
    else:
        messages.info(request, _("Another host already noted that %(name)s arrived.") % {"name": expected.first_name})
    return redirect(safe_next(request, reverse("zelfregie:expected_list")))
