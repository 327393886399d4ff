from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brigade import matching, services
from brigade.forms import AssessmentForm, AssignForm, CancelForm, CloseForm, ContactForm, RespondForm, VisitRequestForm
from brigade.models import ACTIVE_ASSIGNMENT, Assignment, BrigadeSettings, VisitRequest
from brigade.selectors import (
    COORDINATION_ROLES,
    REQUESTING_ROLES,
    assignments_for,
    refreshers_due,
    visible_brigadiers,
    visible_requests,
    with_load,
)
from brigade.workflow import OPEN_STATUSES, RequestStatus
from meedoen.accounts.access import roles
from meedoen.accounts.models import Role
from meedoen.core.forms import add_service_errors
from meedoen.privacy.audit import get_logged_or_404, log_access_many
from meedoen.privacy.models import AccessAction
from signalering.selectors import visible_signals

BRIGADE_ROLES = COORDINATION_ROLES | REQUESTING_ROLES | {Role.BRIGADIER}
PAGE_SIZE = 25


def _get_request_for_user(request, pk: int, action=AccessAction.READ) -> VisitRequest:
    requests = visible_requests(request.user).select_related("district", "resident", "requested_by")
    return get_logged_or_404(request, requests, pk, object_type="visit_request", action=action)


def _get_assignment_for_user(request, pk: int, action=AccessAction.READ) -> Assignment:
    assignments = assignments_for(request.user).select_related(
        "request", "request__resident", "request__district", "brigadier__user"
    )
    return get_logged_or_404(
        request, assignments, pk, object_type="assignment", action=action, resident_of=lambda a: a.request.resident_id
    )


@roles(COORDINATION_ROLES)
def overview(request):
    """The coordinator's overview: the queue, counts per status, load per brigadier, training due."""
    requests = visible_requests(request.user)
    queue = list(
        requests.filter(status__in=OPEN_STATUSES)
        .select_related("district", "resident")
        .annotate(active=Count("assignments", filter=Q(assignments__status__in=ACTIVE_ASSIGNMENT)))
        .order_by("-urgency", "created_at")[:50]
    )
    counts = dict(requests.values_list("status").annotate(total=Count("pk")).values_list("status", "total"))
    brigadiers = with_load(visible_brigadiers(request.user)).select_related("user").order_by("user__first_name")
    soon = timezone.localdate() + timezone.timedelta(days=BrigadeSettings.current().refresher_notice_days)
    training_due = refreshers_due(soon)
    log_access_many(
        user=request.user,
        action=AccessAction.READ,
        object_type="visit_request",
        objects=[(r.pk, r.resident_id) for r in queue],
        request=request,
    )
    return render(
        request,
        "brigade/overview.html",
        {
            "queue": queue,
            "counts": [(status, counts.get(status, 0)) for status in RequestStatus],
            "brigadiers": brigadiers,
            "training_due": training_due,
            "today": timezone.localdate(),
        },
    )


@roles(COORDINATION_ROLES)
def assessment_list(request):
    requests = (
        visible_requests(request.user)
        .filter(needs_assessment=True)
        .select_related("district", "resident")
        .order_by("created_at")
    )
    log_access_many(
        user=request.user,
        action=AccessAction.READ,
        object_type="visit_request",
        objects=[(r.pk, r.resident_id) for r in requests],
        request=request,
    )
    return render(request, "brigade/assessment.html", {"requests": requests})


@roles(COORDINATION_ROLES | REQUESTING_ROLES)
def request_list(request):
    requests = visible_requests(request.user).select_related("district", "resident").order_by("-created_at")
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    log_access_many(
        user=request.user,
        action=AccessAction.READ,
        object_type="visit_request",
        objects=[(r.pk, r.resident_id) for r in page.object_list],
        request=request,
    )
    return render(request, "brigade/request_list.html", {"page": page})


@roles(COORDINATION_ROLES | REQUESTING_ROLES)
def request_create(request):
    """A visit request; with ?signal=<pk> pre-filled from that signal and linked to it."""
    signal = None
    signal_id = request.GET.get("signal", "")
    if signal_id:
        if not (signal_id.isascii() and signal_id.isdigit()):
            raise Http404
        signal = (
            visible_signals(request.user)
            .select_related("resident", "district")
            .filter(pk=request.GET["signal"])
            .first()
        )
        if signal is None:
            raise Http404
    form = VisitRequestForm(request.POST or None, user=request.user, signal=signal)
    if signal is not None and not request.POST:
        form.initial["question"] = signal.description
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit_request = services.visit_request_create(
                requested_by=request.user,
                resident=None,
                new_resident=form.resident_data() if signal is None else None,
                district=data.get("district"),
                question=data["question"],
                urgency=data["urgency"],
                preferred_gender=data["preferred_gender"],
                preferred_language=data["preferred_language"],
                preferred_expertise=data["preferred_expertise"],
                signal=signal,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Visit request %(number)s is sent to the coordinators.") % {"number": visit_request.number}
            )
            return redirect("brigade:request", visit_request.pk)
    return render(request, "brigade/request_form.html", {"form": form, "signal": signal})


@roles(BRIGADE_ROLES)
def request_detail(request, pk: int):
    visit_request = _get_request_for_user(request, pk)
    if request.user.role == Role.BRIGADIER:
        own = assignments_for(request.user).filter(request=visit_request).order_by("-assigned_at").first()
        return redirect("brigade:assignment", own.pk)
    return _render_request(request, visit_request)


def _render_request(request, visit_request: VisitRequest, status: int = 200, **forms):
    coordinator = request.user.role in COORDINATION_ROLES
    context = {
        "visit_request": visit_request,
        "assignments": visit_request.assignments.select_related("brigadier__user"),
        "contacts": visit_request.contacts.select_related("brigadier__user") if coordinator else [],
        "expertise": visit_request.preferred_expertise.all(),
        "coordinator": coordinator,
        "open": visit_request.status in OPEN_STATUSES,
        "cancel_form": forms.get("cancel_form") or CancelForm(),
    }
    if coordinator and visit_request.status in OPEN_STATUSES:
        context["matches"] = matching.rank(visit_request)
        context["assign_form"] = forms.get("assign_form")
        context["assessment_form"] = forms.get("assessment_form") or AssessmentForm()
        context["close_form"] = forms.get("close_form") or CloseForm()
    return render(request, "brigade/request_detail.html", context, status=status)


@roles(COORDINATION_ROLES)
@require_POST
def assign(request, pk: int):
    visit_request = _get_request_for_user(request, pk, AccessAction.UPDATE)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_create(
                visit_request=visit_request,
                brigadier=form.cleaned_data["brigadier"],
                assigned_by=request.user,
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _render_request(request, visit_request, status=409, assign_form=form)
        messages.success(
            request, _("%(name)s is asked to take on this visit.") % {"name": form.cleaned_data["brigadier"]}
        )
        return redirect("brigade:request", pk)
    messages.error(request, _("Choose a brigadier from the list."))
    return _render_request(request, visit_request, status=400, assign_form=form)


@roles(COORDINATION_ROLES)
@require_POST
def assessment(request, pk: int):
    visit_request = _get_request_for_user(request, pk, AccessAction.UPDATE)
    to_assessment = request.POST.get("to_assessment") == "1"
    form = AssessmentForm(request.POST)
    if not to_assessment and not form.is_valid():
        return _render_request(request, visit_request, status=400, assessment_form=form)
    try:
        services.assessment_record(
            visit_request=visit_request,
            user=request.user,
            to_assessment=to_assessment,
            decision="" if to_assessment else form.cleaned_data["decision"],
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _render_request(request, visit_request, status=400)
    messages.success(
        request, _("The request is on the assessment list.") if to_assessment else _("The decision is recorded.")
    )
    return redirect("brigade:request", pk)


@roles(COORDINATION_ROLES | REQUESTING_ROLES)
@require_POST
def cancel(request, pk: int):
    visit_request = _get_request_for_user(request, pk, AccessAction.UPDATE)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.visit_request_cancel(
                visit_request=visit_request, user=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The visit request is cancelled."))
            return redirect("brigade:request", pk)
    return _render_request(request, visit_request, status=400, cancel_form=form)


@roles(COORDINATION_ROLES)
@require_POST
def close_request(request, pk: int):
    """The coordinator closes a request (e.g. "no contact possible") without a brigadier doing it."""
    visit_request = _get_request_for_user(request, pk, AccessAction.UPDATE)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.visit_request_close(
                visit_request=visit_request, user=request.user, request=request, **form.close_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The visit request is finished; the person who asked is told."))
            return redirect("brigade:request", pk)
    return _render_request(request, visit_request, status=400, close_form=form)


@roles(COORDINATION_ROLES)
def pool(request):
    brigadiers = (
        with_load(visible_brigadiers(request.user))
        .select_related("user", "user__organisation")
        .prefetch_related("expertise", "districts", "training__module", "availability")
        .order_by("-active", "user__first_name")
    )
    return render(request, "brigade/pool.html", {"brigadiers": brigadiers, "today": timezone.localdate()})


@roles(COORDINATION_ROLES)
@require_POST
def pool_toggle(request, pk: int):
    brigadier = visible_brigadiers(request.user).filter(pk=pk).first()
    if brigadier is None:
        raise Http404
    services.brigadier_set_active(brigadier=brigadier, user=request.user, active=not brigadier.active)
    message = _("%(name)s is active again.") if brigadier.active else _("%(name)s is paused.")
    messages.success(request, message % {"name": brigadier})
    return redirect("brigade:pool")


@roles({Role.BRIGADIER})
def my_assignments(request):
    assignments = (
        assignments_for(request.user)
        .filter(status__in=ACTIVE_ASSIGNMENT)
        .select_related("request", "request__district", "request__resident")
        .annotate(contact_count=Count("request__contacts"))
        .order_by("status", "assigned_at")
    )
    log_access_many(
        user=request.user,
        action=AccessAction.READ,
        object_type="assignment",
        objects=[(a.pk, a.request.resident_id) for a in assignments],
        request=request,
    )
    return render(request, "brigade/my_assignments.html", {"assignments": assignments})


@roles({Role.BRIGADIER})
def assignment_detail(request, pk: int):
    return _render_assignment(request, _get_assignment_for_user(request, pk))


def _render_assignment(request, assignment: Assignment, status: int = 200, **forms):
    """Only what the visit needs: who, where, the question, the preferences, and the contacts so far."""
    context = {
        "assignment": assignment,
        "visit_request": assignment.request,
        # Who and where only while the brigadier is on the visit; afterwards the pseudonym is enough.
        "resident": assignment.request.resident if assignment.status in ACTIVE_ASSIGNMENT else None,
        "contacts": assignment.request.contacts.select_related("brigadier__user"),
        "colleagues": assignment.request.assignments.filter(status__in=ACTIVE_ASSIGNMENT)
        .exclude(pk=assignment.pk)
        .select_related("brigadier__user"),
        "respond_form": forms.get("respond_form") or RespondForm(),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "active": assignment.status in ACTIVE_ASSIGNMENT,
    }
    return render(request, "brigade/assignment.html", context, status=status)


@roles({Role.BRIGADIER})
@require_POST
def respond(request, pk: int):
    assignment = _get_assignment_for_user(request, pk, AccessAction.UPDATE)
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_respond(
                assignment=assignment,
                user=request.user,
                accept=form.cleaned_data["accept"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you, your answer is saved."))
            if not form.cleaned_data["accept"]:
                return redirect("brigade:mine")
        return redirect("brigade:assignment", pk)
    return _render_assignment(request, assignment, status=400, respond_form=form)


@roles({Role.BRIGADIER})
@require_POST
def log_contact(request, pk: int):
    assignment = _get_assignment_for_user(request, pk, AccessAction.UPDATE)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_log(assignment=assignment, user=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact is logged."))
            return redirect("brigade:assignment", pk)
    return _render_assignment(request, assignment, status=400, contact_form=form)


@roles({Role.BRIGADIER})
@require_POST
def close_assignment(request, pk: int):
    assignment = _get_assignment_for_user(request, pk, AccessAction.UPDATE)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.visit_request_close(
                visit_request=assignment.request, user=request.user, request=request, **form.close_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The visit is finished. The person who asked is told the outcome."))
            return redirect("brigade:mine")
    return _render_assignment(request, assignment, status=400, close_form=form)
