"""The hosts' side of counting: the overview of their places, a place's sessions, and one session's tap counter
and corrections. Counts are anonymous numbers; the expected visitors shown on the session page are logged."""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meedoen.accounts.access import roles
from meedoen.core.forms import add_service_errors
from zelfregie import schedule, services
from zelfregie.forms import CorrectionForm
from zelfregie.models import Session
from zelfregie.selectors import (
    ZELFREGIE_ROLES,
    host_locations,
    open_expected_visitors,
    totals_per_location,
    visible_occurrences,
    visible_sessions,
)
from zelfregie.views.common import (
    PAGE_SIZE,
    get_location_for_user,
    get_session_for_user,
    log_many,
)


@roles(ZELFREGIE_ROLES)
def overview(request):
    """What a host needs at a glance: today's sessions with their counts, this week's activities, and the week's
    and month's totals per place. Counts only: no personal data."""
    today = timezone.localdate()
    week = schedule.week_start(today)
    locations = list(host_locations(request.user).filter(active=True).order_by("name"))
    ids = [location.pk for location in locations]
    totals = totals_per_location(ids, today)
    sessions = defaultdict(list)
    for session in visible_sessions(request.user).filter(location_id__in=ids, date=today).order_by("start_time"):
        sessions[session.location_id].append(session)
    occurrences = defaultdict(list)
    week_dates = (
        visible_occurrences(request.user)
        .filter(activity__location_id__in=ids, date__range=(week, week + datetime.timedelta(days=6)))
        .select_related("activity")
        .order_by("date", "start_time")
    )
    for occurrence in week_dates:
        occurrences[occurrence.activity.location_id].append(occurrence)
    expected = dict(
        open_expected_visitors(request.user)
        .filter(location_id__in=ids)
        .values_list("location_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    places = [
        {
            "location": location,
            "totals": totals[location.pk],
            "sessions": sessions[location.pk],
            "occurrences": occurrences[location.pk],
            "expected": expected.get(location.pk, 0),
        }
        for location in locations
    ]
    return render(request, "zelfregie/overview.html", {"places": places, "today": today})


@roles(ZELFREGIE_ROLES)
def location_detail(request, pk: int):
    """A place's sessions, newest first, with their counts; each opens for counting or correcting."""
    location = get_location_for_user(request, pk)
    today = timezone.localdate()
    sessions = visible_sessions(request.user).filter(location=location)
    past = sessions.filter(date__lte=today).order_by("-date", "-start_time")
    page = Paginator(past, PAGE_SIZE).get_page(request.GET.get("page"))
    upcoming = sessions.filter(date__gt=today).order_by("date", "start_time")[:6]
    context = {
        "location": location,
        "page": page,
        "upcoming": upcoming,
        "totals": totals_per_location([location.pk], today)[location.pk],
        "today": today,
    }
    return render(request, "zelfregie/location_detail.html", context)


def _render_session(request, session: Session, status: int = 200, correction_form=None):
    session = visible_sessions(request.user).select_related("location").get(pk=session.pk)
    expected = list(open_expected_visitors(request.user).filter(location_id=session.location_id))
    log_many(request, "expected_visitor", expected)
    context = {
        "session": session,
        "location": session.location,
        "can_tap": session.can_tap(),
        "correction_form": correction_form or CorrectionForm(session=session),
        "corrections": session.corrections.select_related("by")[:20],
        "expected": expected,
    }
    return render(request, "zelfregie/session.html", context, status=status)


@roles(ZELFREGIE_ROLES)
def session_detail(request, pk: int):
    session = get_session_for_user(request, pk)
    if not session.can_correct():
        messages.info(request, _("This session is still to come; counting starts on the day itself."))
    return _render_session(request, session)


def _count_fragment(request, session: Session, error: str = "", status: int = 200):
    return render(
        request,
        "zelfregie/partials/count.html",
        {"session": session, "can_tap": session.can_tap(), "error": error},
        status=status,
    )


@roles(ZELFREGIE_ROLES)
@require_http_methods(["GET", "POST"])
def session_count(request, pk: int):
    """The tap counter. POST +1 / new visitor / −1; GET answers the live total for the page's polling, or
    204 when it has not changed since `seen`. htmx swaps the total in place; without JavaScript the form posts
    and the page reloads."""
    session = get_session_for_user(request, pk)
    if request.method == "GET":
        if request.GET.get("seen") == f"{session.visitors}-{session.new_visitors}":
            return HttpResponse(status=204)
        return _count_fragment(request, session)
    error, status = "", 200
    try:
        session = services.count_tap(session=session, user=request.user, change=request.POST.get("change", ""))
    except services.CountAtZero as zero:
        error, status = zero.messages[0], 409
    except ValidationError as invalid:
        error, status = invalid.messages[0], 400
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(f"{reverse('zelfregie:session', args=[pk])}#counter")
    return _count_fragment(request, session, error, status)


@roles(ZELFREGIE_ROLES)
@require_POST
def session_correct(request, pk: int):
    session = get_session_for_user(request, pk)
    form = CorrectionForm(request.POST, session=session)
    if form.is_valid():
        data = form.cleaned_data
        try:
            correction = services.count_correct(
                session=session,
                user=request.user,
                visitors=data["visitors"],
                new_visitors=data["new_visitors"],
                reason=data["reason"],
                expected_visitors=data["expected_visitors"],
            )
        except services.CountConflict as conflict:
            form.add_error(
                None,
                _("Someone counted in the meantime: the total is now %(total)s. Check your numbers and save again.")
                % {"total": conflict.current.visitors},
            )
            form.data = form.data.copy()
            form.data["expected_visitors"] = conflict.current.visitors
            return _render_session(request, session, status=409, correction_form=form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if correction:
                messages.success(request, _("The count is corrected and the correction is recorded."))
            else:
                messages.info(request, _("The count was already this; nothing changed."))
            return redirect("zelfregie:session", pk)
    return _render_session(request, session, status=400, correction_form=form)
