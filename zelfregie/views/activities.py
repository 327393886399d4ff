"""Activities by and for the visitors: the list, adding and changing them, sign-ups with a waiting list, and the
attendance per date. Participants shown in forms and lists are logged."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meedoen.accounts.access import roles
from meedoen.core.forms import add_service_errors
from zelfregie import services
from zelfregie.forms import ActivityForm, AttendanceForm, SignUpForm
from zelfregie.models import Activity, Location, Participant, SignUp
from zelfregie.selectors import (
    ZELFREGIE_ROLES,
    host_locations,
    open_signups,
    visible_activities,
    visible_occurrences,
    visible_participants,
    visible_signups,
)
from zelfregie.views.common import (
    get_activity_for_user,
    get_for_user,
    get_location_for_user,
    log_many,
    tell_promoted,
)


@roles(ZELFREGIE_ROLES)
def activity_list(request):
    today = timezone.localdate()
    activities = list(
        visible_activities(request.user).select_related("location").order_by("-active", "location__name", "title")
    )
    ids = [activity.pk for activity in activities]
    next_dates = dict(
        visible_occurrences(request.user)
        .filter(activity_id__in=ids, date__gte=today)
        .order_by("activity_id", "date")
        .distinct("activity_id")
        .values_list("activity_id", "date")
    )
    counts = open_signups(ids)
    rows = [{"activity": a, "next": next_dates.get(a.pk), "signups": counts[a.pk]} for a in activities]
    locations = host_locations(request.user).filter(active=True).order_by("name")
    return render(request, "zelfregie/activity_list.html", {"rows": rows, "locations": locations})


def _place_participants(request, location_id: int):
    return visible_participants(request.user).filter(location_id=location_id)


def _participants_for_form(request, location: Location) -> list[Participant]:
    participants = list(_place_participants(request, location.pk).order_by("first_name", "pseudonym"))
    log_many(request, "participant", participants)
    return participants


@roles(ZELFREGIE_ROLES)
def activity_create(request, pk: int):
    location = get_location_for_user(request, pk)
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity is added."))
            return redirect("zelfregie:activity", activity.pk)
    context = {"form": form, "location": location, "title": _("New activity")}
    return render(request, "zelfregie/activity_form.html", context, status=400 if form.errors else 200)


@roles(ZELFREGIE_ROLES)
def activity_edit(request, pk: int):
    activity = get_activity_for_user(request, pk)
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity is saved."))
            tell_promoted(request, promoted)
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
    candidates = _place_participants(request, activity.location_id).exclude(pk__in=signed_up)
    if activity.signup_required:
        candidates = list(candidates.order_by("first_name", "pseudonym"))
        shown += candidates
    log_many(request, "participant", shown)
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
        "signup_form": signup_form
        or (_signup_form(request, activity, candidates) if activity.signup_required else None),
        "upcoming": occurrences.filter(date__gt=today).order_by("date")[:6],
        "past": forms,
        "today": today,
    }
    return render(request, "zelfregie/activity_detail.html", context, status=status)


def _signup_form(request, activity: Activity, candidates: list[Participant]) -> SignUpForm:
    form = SignUpForm(participants=_place_participants(request, activity.location_id))
    # The candidates are already loaded (and logged): one list instead of a second query.
    form.fields["participant"].choices = [("", "---------"), *((p.pk, str(p)) for p in candidates)]
    return form


@roles(ZELFREGIE_ROLES)
def activity_detail(request, pk: int):
    return _render_activity(request, get_activity_for_user(request, pk))


@roles(ZELFREGIE_ROLES)
@require_POST
def signup_create(request, pk: int):
    activity = get_activity_for_user(request, pk)
    if not activity.signup_required or not activity.active:
        messages.error(request, _("This activity has no sign-up."))
        return redirect("zelfregie:activity", pk)
    form = SignUpForm(request.POST, participants=_place_participants(request, activity.location_id))
    if form.is_valid():
        try:
            signup = services.signup_create(
                activity=activity, participant=form.cleaned_data["participant"], user=request.user, request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
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
    signups = visible_signups(request.user).select_related("activity", "participant")
    signup = get_for_user(request, signups, "signup", pk)
    promoted = services.signup_cancel(signup=signup, user=request.user, request=request)
    messages.success(request, _("The sign-up of %(participant)s is cancelled.") % {"participant": signup.participant})
    tell_promoted(request, promoted)
    return redirect("zelfregie:activity", signup.activity_id)


@roles(ZELFREGIE_ROLES)
@require_POST
def attendance(request, pk: int):
    occurrences = visible_occurrences(request.user).select_related("activity", "activity__location")
    occurrence = get_for_user(request, occurrences, "occurrence", pk, log=False)
    form = AttendanceForm(request.POST, occurrence=occurrence)
    if form.is_valid():
        try:
            services.attendance_set(
                occurrence=occurrence, user=request.user, attendance=form.cleaned_data["attendance"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Attendance on %(date)s is saved.") % {"date": f"{occurrence.date:%d-%m-%Y}"},
            )
            return redirect(f"{reverse('zelfregie:activity', args=[occurrence.activity_id])}#dates")
    return _render_activity(request, occurrence.activity, status=400, attendance_form=form)
