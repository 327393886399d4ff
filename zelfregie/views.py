import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.access import public, roles
from meedoen.privacy.audit import log_access, log_access_many
from meedoen.privacy.models import AccessAction
from zelfregie import calendar_feed, schedule, services
from zelfregie.forms import ActivityForm, AttendanceForm, CorrectionForm, ParticipantForm, SignUpForm
from zelfregie.models import Activity, Location, Occurrence, Participant, Session, SignUp
from zelfregie.selectors import (
    ZELFREGIE_ROLES,
    active_locations,
    closed_days,
    host_locations,
    open_expected_visitors,
    open_signups,
    public_occurrences,
    public_sessions,
    totals_per_location,
    visible_activities,
    visible_expected_visitors,
    visible_occurrences,
    visible_participants,
    visible_sessions,
    visible_signups,
)

PAGE_SIZE = 25
AGENDA_WEEKS = 4  # how far the public agenda looks ahead


# --- helpers --------------------------------------------------------------------------------------------------


def _get_for_user(request, queryset, object_type: str, pk: int, action=AccessAction.READ, log: bool = True):
    """The object if the user may see it; 404 otherwise, so its existence is not revealed. Personal data (log=True)
    is logged either way."""
    obj = queryset.filter(pk=pk).first()
    if log or obj is None:
        log_access(
            user=request.user,
            action=action,
            object_type=object_type,
            object_id=pk,
            allowed=obj is not None,
            request=request,
        )
    if obj is None:
        raise Http404
    return obj


def _get_location_for_user(request, pk: int) -> Location:
    return _get_for_user(request, host_locations(request.user), "meeting_place", pk, log=False)


def _get_session_for_user(request, pk: int) -> Session:
    sessions = visible_sessions(request.user).select_related("location")
    return _get_for_user(request, sessions, "session", pk, log=False)


def _get_activity_for_user(request, pk: int) -> Activity:
    activities = visible_activities(request.user).select_related("location")
    return _get_for_user(request, activities, "activity", pk, log=False)


def _get_participant_for_user(request, pk: int, action=AccessAction.READ) -> Participant:
    participants = visible_participants(request.user).select_related("location", "registered_by")
    return _get_for_user(request, participants, "participant", pk, action)


def _log_many(request, object_type: str, objects, action=AccessAction.READ) -> None:
    """One access-log row per person shown, in one statement."""
    log_access_many(
        user=request.user,
        action=action,
        object_type=object_type,
        objects=[(obj.pk, None) for obj in objects],
        request=request,
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


# --- public agenda --------------------------------------------------------------------------------------------


def _agenda_places(locations: list[Location], today: datetime.date, weeks: int) -> list[dict]:
    """Per place: weekly hours, the days it is closed when it would be open, and its public activities with the
    next date. A fixed number of queries, however many places and activities."""
    end = today + datetime.timedelta(weeks=weeks)
    ids = [location.pk for location in locations]
    closed = closed_days(ids, today, end)
    occurrences = defaultdict(list)
    for occurrence in public_occurrences(ids, today, end):
        occurrences[occurrence.activity.location_id].append(occurrence)
    places = []
    for location in locations:
        hours = list(location.walk_in_hours.all())
        open_days = {hour.weekday for hour in hours}
        closures = [
            (day, reason)
            for day, reason in sorted(closed[location.pk].items())
            if day.weekday() in open_days  # a holiday on a day the place is closed anyway is no news
        ]
        activities, seen = [], set()
        for occurrence in occurrences[location.pk]:
            if occurrence.activity_id not in seen:
                seen.add(occurrence.activity_id)
                activities.append(occurrence)
        places.append(
            {
                "location": location,
                "hours": hours,
                "closures": closures,
                "activities": activities,
                "occurrences": occurrences[location.pk],
            }
        )
    return places


@public
@require_GET
def agenda(request):
    """The public agenda: walk-in hours and public activities per place, for anyone, without login."""
    today = timezone.localdate()
    locations = list(active_locations().select_related("district").prefetch_related("walk_in_hours"))
    places = _agenda_places(locations, today, AGENDA_WEEKS)
    return render(request, "zelfregie/agenda.html", {"places": places, "today": today, "weeks": AGENDA_WEEKS})


def _agenda_order(item: dict) -> tuple:
    """A closure first, then by time; the walk-in before an activity at the same time, activities by title."""
    activity = item.get("activity")
    return (item.get("start") or datetime.time(), activity is not None, activity.title if activity else "")


@public
@require_GET
def agenda_location(request, slug: str):
    """One place's page in the public agenda: how to get there and, day by day, when there is something."""
    location = get_object_or_404(
        active_locations().select_related("district").prefetch_related("walk_in_hours"), slug=slug
    )
    today = timezone.localdate()
    end = today + datetime.timedelta(weeks=AGENDA_WEEKS)
    place = _agenda_places([location], today, AGENDA_WEEKS)[0]
    days = defaultdict(list)
    for session in public_sessions([location.pk], today, end):
        days[session.date].append({"start": session.start_time, "end": session.end_time, "walk_in": True})
    for occurrence in place["occurrences"]:
        days[occurrence.date].append(
            {"start": occurrence.start_time, "end": occurrence.end_time, "activity": occurrence.activity}
        )
    for day, reason in place["closures"]:
        days[day].append({"closed": reason})
    calendar = [(day, sorted(items, key=_agenda_order)) for day, items in sorted(days.items())]
    context = {"place": place, "location": location, "calendar": calendar, "today": today}
    return render(request, "zelfregie/agenda_location.html", context)


@public
@require_GET
def agenda_ics(request, slug: str):
    """The iCalendar feed of one place: its walk-in sessions and public activities, to subscribe to."""
    location = get_object_or_404(active_locations(), slug=slug)
    today = timezone.localdate()
    start, end = today - datetime.timedelta(weeks=1), today + datetime.timedelta(weeks=services.PLAN_WEEKS)
    sessions = public_sessions([location.pk], start, end)
    occurrences = public_occurrences([location.pk], start, end)
    body = calendar_feed.render(location, sessions, occurrences, site=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{location.slug}.ics"'
    return response


# --- host overview and places ---------------------------------------------------------------------------------


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
    for session in Session.objects.filter(location_id__in=ids, date=today).order_by("start_time"):
        sessions[session.location_id].append(session)
    occurrences = defaultdict(list)
    week_dates = (
        Occurrence.objects.filter(activity__location_id__in=ids, date__range=(week, week + datetime.timedelta(days=6)))
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
    location = _get_location_for_user(request, pk)
    today = timezone.localdate()
    sessions = Session.objects.filter(location=location, date__lte=today).order_by("-date", "-start_time")
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    upcoming = Session.objects.filter(location=location, date__gt=today).order_by("date", "start_time")[:6]
    context = {
        "location": location,
        "page": page,
        "upcoming": upcoming,
        "totals": totals_per_location([location.pk], today)[location.pk],
        "today": today,
    }
    return render(request, "zelfregie/location_detail.html", context)


# --- counting -------------------------------------------------------------------------------------------------


def _render_session(request, session: Session, status: int = 200, correction_form=None):
    session = Session.objects.select_related("location").get(pk=session.pk)
    expected = list(open_expected_visitors(request.user).filter(location_id=session.location_id))
    _log_many(request, "expected_visitor", expected)
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
    session = _get_session_for_user(request, pk)
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
    session = _get_session_for_user(request, pk)
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
    session = _get_session_for_user(request, pk)
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
            _add_errors(form, error)
        else:
            if correction:
                messages.success(request, _("The count is corrected and the correction is recorded."))
            else:
                messages.info(request, _("The count was already this; nothing changed."))
            return redirect("zelfregie:session", pk)
    return _render_session(request, session, status=400, correction_form=form)


# --- expected visitors ----------------------------------------------------------------------------------------


@roles(ZELFREGIE_ROLES)
def expected_list(request):
    expected = list(
        open_expected_visitors(request.user)
        .select_related("location", "announced_by")
        .order_by("location__name", "announced_at")
    )
    _log_many(request, "expected_visitor", expected)
    return render(request, "zelfregie/expected_list.html", {"expected": expected})


@roles(ZELFREGIE_ROLES)
@require_POST
def expected_arrived(request, pk: int):
    expected = _get_for_user(
        request, visible_expected_visitors(request.user), "expected_visitor", pk, AccessAction.UPDATE
    )
    if services.expected_visitor_arrived(expected=expected, user=request.user, request=request):
        messages.success(request, _("%(name)s has arrived. Welcome!") % {"name": expected.first_name})
    else:
        messages.info(request, _("Another host already noted that %(name)s arrived.") % {"name": expected.first_name})
    return redirect(_next_url(request, reverse("zelfregie:expected_list")))


# --- participants ---------------------------------------------------------------------------------------------


@roles(ZELFREGIE_ROLES)
def participant_list(request):
    participants = (
        visible_participants(request.user)
        .select_related("location")
        .order_by("location__name", "first_name", "pseudonym")
    )
    query = request.GET.get("q", "").strip()[:50]
    if query:
        participants = participants.filter(Q(first_name__icontains=query) | Q(pseudonym__iexact=query))
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    _log_many(request, "participant", page.object_list, AccessAction.SEARCH if query else AccessAction.READ)
    context = {
        "page": page,
        "q": query,
        "query": urlencode({"q": query}) if query else "",
        "locations": host_locations(request.user).filter(active=True).order_by("name"),
    }
    return render(request, "zelfregie/participant_list.html", context)


@roles(ZELFREGIE_ROLES)
def participant_create(request, pk: int):
    location = _get_location_for_user(request, pk)
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
            _add_errors(form, error)
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
    participant = _get_participant_for_user(request, pk)
    signups = participant.signups.exclude(status=SignUp.Status.CANCELLED).select_related("activity")
    return render(request, "zelfregie/participant_detail.html", {"participant": participant, "signups": signups})


@roles(ZELFREGIE_ROLES)
@require_POST
def participant_delete(request, pk: int):
    participant = _get_participant_for_user(request, pk, AccessAction.DELETE)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the details are to be deleted."))
        return redirect("zelfregie:participant", pk)
    promoted = services.participant_delete(participant=participant, user=request.user, request=request)
    messages.success(request, _("The participant's details are deleted."))
    _tell_promoted(request, promoted)
    return redirect("zelfregie:participant_list")


def _tell_promoted(request, promoted: list[SignUp]) -> None:
    for signup in promoted:
        messages.info(
            request,
            _("%(participant)s moves up from the waiting list for %(activity)s. Let them know.")
            % {"participant": signup.participant, "activity": signup.activity},
        )


# --- activities -----------------------------------------------------------------------------------------------


@roles(ZELFREGIE_ROLES)
def activity_list(request):
    today = timezone.localdate()
    activities = list(
        visible_activities(request.user).select_related("location").order_by("-active", "location__name", "title")
    )
    ids = [activity.pk for activity in activities]
    next_dates = {}
    for activity_id, date in (
        Occurrence.objects.filter(activity_id__in=ids, date__gte=today)
        .order_by("activity_id", "date")
        .distinct("activity_id")
        .values_list("activity_id", "date")
    ):
        next_dates[activity_id] = date
    counts = open_signups(ids)
    rows = [{"activity": a, "next": next_dates.get(a.pk), "signups": counts[a.pk]} for a in activities]
    locations = host_locations(request.user).filter(active=True).order_by("name")
    return render(request, "zelfregie/activity_list.html", {"rows": rows, "locations": locations})


def _participants_for_form(request, location: Location) -> list[Participant]:
    participants = list(Participant.objects.filter(location=location).order_by("first_name", "pseudonym"))
    _log_many(request, "participant", participants)
    return participants


@roles(ZELFREGIE_ROLES)
def activity_create(request, pk: int):
    location = _get_location_for_user(request, pk)
    form = ActivityForm(request.POST or None, location=location, participants=_participants_for_form(request, location))
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                user=request.user,
                location=location,
                organiser=form.cleaned_data["organiser"],
                request=request,
                **form.activity_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The activity is added."))
            return redirect("zelfregie:activity", activity.pk)
    context = {"form": form, "location": location, "title": _("New activity")}
    return render(request, "zelfregie/activity_form.html", context, status=400 if form.errors else 200)


@roles(ZELFREGIE_ROLES)
def activity_edit(request, pk: int):
    activity = _get_activity_for_user(request, pk)
    participants = _participants_for_form(request, activity.location)
    form = ActivityForm(request.POST or None, instance=activity, location=activity.location, participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            promoted = services.activity_update(
                activity=activity,
                user=request.user,
                organiser=form.cleaned_data["organiser"],
                request=request,
                **form.activity_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The activity is saved."))
            _tell_promoted(request, promoted)
            return redirect("zelfregie:activity", pk)
    context = {"form": form, "location": activity.location, "activity": activity, "title": _("Change activity")}
    return render(request, "zelfregie/activity_form.html", context, status=400 if form.errors else 200)


def _render_activity(request, activity: Activity, status: int = 200, signup_form=None, attendance_form=None):
    activity = (
        visible_activities(request.user)
        .select_related("location", "organiser_host", "organiser_participant")
        .get(pk=activity.pk)
    )
    today = timezone.localdate()
    signups = list(
        activity.signups.exclude(status=SignUp.Status.CANCELLED)
        .select_related("participant")
        .order_by("created_at", "pk")
    )
    shown = [signup.participant for signup in signups]
    if activity.organiser_participant:
        shown.append(activity.organiser_participant)
    signed_up = {signup.participant_id for signup in signups}
    candidates = Participant.objects.filter(location_id=activity.location_id).exclude(pk__in=signed_up)
    if activity.signup_required:
        candidates = list(candidates.order_by("first_name", "pseudonym"))
        shown += candidates
    _log_many(request, "participant", shown)
    occurrences = activity.occurrences.all()
    past = list(occurrences.filter(date__lte=today).order_by("-date")[:8])
    forms = [
        attendance_form if attendance_form and attendance_form.occurrence.pk == o.pk else AttendanceForm(occurrence=o)
        for o in past
    ]
    context = {
        "activity": activity,
        "confirmed": [s for s in signups if s.status == SignUp.Status.CONFIRMED],
        "waiting": [s for s in signups if s.status == SignUp.Status.WAITING],
        "signup_form": signup_form or (_signup_form(activity, candidates) if activity.signup_required else None),
        "upcoming": occurrences.filter(date__gt=today).order_by("date")[:6],
        "past": forms,
        "today": today,
    }
    return render(request, "zelfregie/activity_detail.html", context, status=status)


def _signup_form(activity: Activity, candidates: list[Participant]) -> SignUpForm:
    form = SignUpForm(participants=Participant.objects.filter(location_id=activity.location_id))
    # The candidates are already loaded (and logged): one list instead of a second query.
    form.fields["participant"].choices = [("", "---------"), *((p.pk, str(p)) for p in candidates)]
    return form


@roles(ZELFREGIE_ROLES)
def activity_detail(request, pk: int):
    return _render_activity(request, _get_activity_for_user(request, pk))


@roles(ZELFREGIE_ROLES)
@require_POST
def signup_create(request, pk: int):
    activity = _get_activity_for_user(request, pk)
    if not activity.signup_required or not activity.active:
        messages.error(request, _("This activity has no sign-up."))
        return redirect("zelfregie:activity", pk)
    participants = Participant.objects.filter(location_id=activity.location_id)
    form = SignUpForm(request.POST, participants=participants)
    if form.is_valid():
        try:
            signup = services.signup_create(
                activity=activity, participant=form.cleaned_data["participant"], user=request.user, request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if signup.status == SignUp.Status.WAITING:
                messages.warning(
                    request,
                    _("The activity is full: %(participant)s is on the waiting list.")
                    % {"participant": signup.participant},
                )
            else:
                messages.success(request, _("%(participant)s is signed up.") % {"participant": signup.participant})
            return redirect("zelfregie:activity", pk)
    return _render_activity(request, activity, status=400, signup_form=form)


@roles(ZELFREGIE_ROLES)
@require_POST
def signup_cancel(request, pk: int):
    signup = _get_for_user(
        request,
        visible_signups(request.user).select_related("activity", "participant"),
        "signup",
        pk,
        AccessAction.UPDATE,
    )
    promoted = services.signup_cancel(signup=signup, user=request.user, request=request)
    messages.success(request, _("The sign-up of %(participant)s is cancelled.") % {"participant": signup.participant})
    _tell_promoted(request, promoted)
    return redirect("zelfregie:activity", signup.activity_id)


@roles(ZELFREGIE_ROLES)
@require_POST
def attendance(request, pk: int):
    occurrence = _get_for_user(
        request,
        visible_occurrences(request.user).select_related("activity", "activity__location"),
        "occurrence",
        pk,
        log=False,
    )
    form = AttendanceForm(request.POST, occurrence=occurrence)
    if form.is_valid():
        try:
            services.attendance_set(
                occurrence=occurrence, user=request.user, attendance=form.cleaned_data["attendance"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Attendance on %(date)s is saved.") % {"date": f"{occurrence.date:%d-%m-%Y}"},
            )
            return redirect(f"{reverse('zelfregie:activity', args=[occurrence.activity_id])}#dates")
    return _render_activity(request, occurrence.activity, status=400, attendance_form=form)
