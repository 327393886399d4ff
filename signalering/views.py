import functools

from django.contrib import messages
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meedoen.accounts.access import roles
from meedoen.accounts.models import District, Neighbourhood, Organisation, User
from meedoen.accounts.two_factor import recent_authentication
from meedoen.core.forms import add_service_errors, safe_next
from meedoen.core.pagination import COUNT_CAP, CappedPaginator
from meedoen.core.pdf import render_pdf
from meedoen.privacy.audit import get_logged_or_404, log_access, log_access_many
from meedoen.privacy.models import AccessAction, Resident
from meedoen.privacy.selectors import known_resident
from signalering import services
from signalering.filters import SignalFilter
from signalering.forms import (
    ActionForm,
    DiscussionForm,
    MinutesForm,
    NoteForm,
    ResidentLookupForm,
    SignalForm,
    SignalUpdateForm,
    TransitionForm,
)
from signalering.models import Action, ConcernCategory, Discussion, Meeting, Signal
from signalering.selectors import (
    SIGNAL_ROLES,
    agenda_signals,
    district_members,
    is_chair_of,
    member_districts,
    visible_actions,
    visible_meetings,
    visible_signals,
)

PAGE_SIZE = 25


def _get_signal_for_user(request, pk: int, action=AccessAction.READ) -> Signal:
    return get_logged_or_404(request, visible_signals(request.user), pk, object_type="signal", action=action)


def _get_meeting_for_user(request, pk: int, action=AccessAction.READ) -> Meeting:
    meetings = visible_meetings(request.user).select_related("district")
    return get_logged_or_404(request, meetings, pk, object_type="meeting", action=action)


def _shown(signals):
    """Signals with what a page shows of them, in one query: the names of their district, neighbourhood and lead, the
    concerns as a list of names, and of the resident only the pseudonym, so that no identifying field is decrypted.

    Each is a subquery of its own, not a join: joined, PostgreSQL took longer to plan a list page's query (0.8 ms)
    than to run it, and every row came with three model instances to build."""
    concerns = ConcernCategory.objects.filter(signals=OuterRef("pk")).order_by("position", "name").values("name")
    return signals.annotate(
        pseudonym=_value(Resident, "resident_id", "pseudonym"),
        district_name=_value(District, "district_id", "name"),
        neighbourhood_name=_value(Neighbourhood, "neighbourhood_id", "name"),
        lead_name=_person("lead_id"),
        concerns=ArraySubquery(concerns),
    )


def _value(model, key: str, field: str) -> Subquery:
    return Subquery(model.objects.filter(pk=OuterRef(key)).order_by().values(field))  # one row: no need to sort


def _person(key: str) -> Subquery:
    """A professional's name as `User.__str__` gives it: the full name, else the username."""
    full_name = NullIf(Trim(Concat("first_name", Value(" "), "last_name")), Value(""))
    return Subquery(User.objects.filter(pk=OuterRef(key)).order_by().values(name=Coalesce(full_name, "username")))


def _signal_page(signals, number, *, searched: bool = False):
    """A page of the list: the page's ids in the list's order (a narrow query, answered from the index
    signal_live_district_created alone), and in the same statement the rows of those ids.

    A text search within a few districts reads every description in them, once to count and again for the page:
    there the ids of all matches (up to the count's cap) are read once, in order, and counted and paged here. (Across
    all districts that would sort every match, where counting stops at the cap.)"""
    ids = signals.values_list("pk", flat=True)
    if searched:
        ids = list(ids[: COUNT_CAP + 1])
    page = CappedPaginator(ids, PAGE_SIZE).get_page(number)
    page.object_list = list(_all_shown().filter(pk__in=page.object_list).order_by(*signals.query.order_by))
    return page


@functools.cache
def _all_shown():
    """`_shown` of every signal, built once and only ever narrowed (never read whole): building its subqueries took
    longer than compiling the query."""
    return _shown(Signal.objects.all())


@roles(SIGNAL_ROLES)
def signal_list(request):
    signals = visible_signals(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    if query:
        filterset = SignalFilter(request.GET, queryset=signals, user=request.user)
        valid = filterset.is_valid()
        queryset = filterset.qs if valid else signals
        searched = valid and filterset.few_districts and bool(filterset.form.cleaned_data.get("q"))
    else:  # unfiltered (any page): the filter form is made only when its cached drawing has expired
        filterset = SimpleLazyObject(lambda: SignalFilter(None, queryset=signals, user=request.user))
        queryset, searched = signals, False
    # Newest first unless a sort order was chosen; the id last, so that pages neither repeat nor skip equal rows.
    queryset = queryset.order_by(*(queryset.query.order_by or ["-created_at"]), "-pk")
    page = _signal_page(queryset, request.GET.get("page"), searched=searched)
    _log_signals(request, page.object_list, AccessAction.SEARCH if request.GET else AccessAction.READ)
    return render(
        request,
        "signalering/signal_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "title": _("Signals"),
        },
    )


@roles(SIGNAL_ROLES)
def my_signals(request):
    signals = (
        visible_signals(request.user)
        .filter(Q(lead=request.user) | Q(reporter=request.user))
        .order_by("-created_at", "-pk")
    )
    page = _signal_page(signals, request.GET.get("page"))
    _log_signals(request, page.object_list)
    return render(
        request,
        "signalering/signal_list.html",
        {"page": page, "query": "", "today": timezone.localdate(), "title": _("My signals"), "mine": True},
    )


@roles(SIGNAL_ROLES)
def my_actions(request):
    actions = (
        visible_actions(request.user)
        .filter(owner=request.user, done_at__isnull=True)
        .select_related("signal", "signal__district")
        .order_by("due")
    )
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(user=request.user, action=AccessAction.READ, object_type="action_list", request=request)
    return render(request, "signalering/my_actions.html", {"page": page, "today": timezone.localdate()})


@roles(SIGNAL_ROLES)
def signal_create(request):
    if not member_districts(request.user).exists():
        messages.info(request, _("You are not a member of a district meeting yet, so you cannot report signals."))
        return redirect("home")
    form = SignalForm(request.POST or None, user=request.user)
    known = None
    if request.method == "POST" and "check" in request.POST:
        # "Already known?" without JavaScript: answer it and keep what was typed, without judging the rest yet.
        known = _known_from(request)
        form.suppress_errors()
    elif request.method == "POST" and form.is_valid():
        try:
            signal = services.signal_create(
                reporter=request.user,
                district=form.cleaned_data["district"],
                neighbourhood=form.cleaned_data["neighbourhood"],
                categories=list(form.cleaned_data["categories"]),
                urgency=form.cleaned_data["urgency"],
                description=form.cleaned_data["description"],
                legal_basis=form.cleaned_data["legal_basis"],
                resident_informed=form.cleaned_data["resident_informed"],
                new_resident=form.resident_data() or None,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Signal %(number)s is recorded.") % {"number": signal.number})
            return redirect("signalering:signal", signal.pk)
    return render(request, "signalering/signal_form.html", {"form": form, "known": known})


def _known_from(request) -> dict | None:
    """ "Already known?" from the posted resident fields alone, whatever the state of the rest of the form: how
    many signals (over all districts) the person is known in, and nothing else. The search is logged with the
    resident it found, so the privacy officer sees who looked whom up."""
    lookup = ResidentLookupForm(request.POST)
    resident = known_resident(**lookup.cleaned_data) if lookup.is_valid() else None
    log_access(
        user=request.user, action=AccessAction.SEARCH, object_type="resident", resident=resident, request=request
    )
    if not lookup.is_valid():
        return None
    return {"count": Signal.objects.filter(resident=resident).count() if resident else 0}


@roles(SIGNAL_ROLES)
@require_POST
def resident_check(request):
    """ "Already known?" answered in place (htmx) while the intake form is filled in; POST keeps personal data out
    of URLs and server logs."""
    return render(request, "signalering/partials/known.html", {"known": _known_from(request)})


@roles(SIGNAL_ROLES)
def signal_detail(request, pk: int):
    # `&` narrows the prepared query to what the user may see: the same SQL as annotating the user's own queryset,
    # without building the seven subqueries again (1.4 ms a request).
    signal = get_logged_or_404(request, _shown_in_full() & visible_signals(request.user), pk, object_type="signal")
    return _render_detail(request, signal, reload=False)


@functools.cache
def _shown_in_full():
    """As `_all_shown`, with the reporter's name and organisation."""
    return _all_shown().annotate(
        reporter_name=_person("reporter_id"),
        organisation_name=_value(Organisation, "source_organisation_id", "name"),
    )


def _render_detail(request, signal: Signal, status: int = 200, *, reload: bool = True, **forms):
    """The signal page. Visibility was checked when the signal was fetched; after a change (or a refused one) it is
    read again, else it comes as `_shown_in_full` reads it."""
    if reload:
        signal = _shown_in_full().get(pk=signal.pk)
    members = district_members(signal.district_id)  # one query for the lead's and the action owner's choices
    context = {
        "signal": signal,
        "events": signal.events.select_related("actor").order_by("at", "pk"),
        "actions": signal.actions.select_related("owner").order_by("done_at", "due"),
        "transition_form": forms.get("transition_form") or TransitionForm(signal=signal),
        "update_form": forms.get("update_form") or SignalUpdateForm(signal=signal, members=members),
        "note_form": forms.get("note_form") or NoteForm(),
        "action_form": forms.get("action_form") or ActionForm(district_id=signal.district_id, members=members),
        "today": timezone.localdate(),
        "conflict": forms.get("conflict", False),
    }
    return render(request, "signalering/signal_detail.html", context, status=status)


@roles(SIGNAL_ROLES)
@require_POST
def signal_transition(request, pk: int):
    signal = _get_signal_for_user(request, pk, AccessAction.UPDATE)
    form = TransitionForm(request.POST, signal=signal)
    if form.is_valid():
        try:
            services.signal_transition(
                signal=signal,
                user=request.user,
                target=form.cleaned_data["status"],
                expected_version=form.cleaned_data["expected_version"],
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.SignalConflict as conflict:
            messages.error(
                request, _("Someone else changed this signal in the meantime. Check the status and try again.")
            )
            form = TransitionForm(request.POST, signal=conflict.current)
            form.data = form.data.copy()
            form.data["expected_version"] = conflict.current.version
            return _render_detail(request, signal, status=409, transition_form=form, conflict=True)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The status is changed."))
            return redirect("signalering:signal", pk)
    return _render_detail(request, signal, status=400, transition_form=form)


@roles(SIGNAL_ROLES)
@require_POST
def signal_update(request, pk: int):
    signal = _get_signal_for_user(request, pk, AccessAction.UPDATE)
    form = SignalUpdateForm(request.POST, signal=signal)
    if form.is_valid():
        try:
            services.signal_update(
                signal=signal,
                user=request.user,
                expected_version=form.cleaned_data["expected_version"],
                lead=form.cleaned_data["lead"],
                next_step=form.cleaned_data["next_step"],
                next_step_due=form.cleaned_data["next_step_due"],
                request=request,
            )
        except services.SignalConflict as conflict:
            messages.error(
                request,
                _("Someone else changed this signal in the meantime. Your input is kept below; check and save again."),
            )
            form = SignalUpdateForm(request.POST, signal=conflict.current)
            form.data = form.data.copy()
            form.data["expected_version"] = conflict.current.version
            return _render_detail(request, signal, status=409, update_form=form, conflict=True)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The signal is saved."))
            return redirect("signalering:signal", pk)
    return _render_detail(request, signal, status=400, update_form=form)


@roles(SIGNAL_ROLES)
@require_POST
def signal_note(request, pk: int):
    signal = _get_signal_for_user(request, pk, AccessAction.UPDATE)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.signal_add_note(signal=signal, user=request.user, text=form.cleaned_data["text"], request=request)
        messages.success(request, _("The note is added."))
        return redirect("signalering:signal", pk)
    return _render_detail(request, signal, status=400, note_form=form)


@roles(SIGNAL_ROLES)
@require_POST
def action_add(request, pk: int):
    signal = _get_signal_for_user(request, pk, AccessAction.UPDATE)
    form = ActionForm(request.POST, district_id=signal.district_id)
    if form.is_valid():
        services.action_create(signal=signal, user=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The action is added."))
        return redirect("signalering:signal", pk)
    return _render_detail(request, signal, status=400, action_form=form)


@roles(SIGNAL_ROLES)
@require_POST
def action_done(request, pk: int):
    action = visible_actions(request.user).select_related("signal").filter(pk=pk).first()
    if action is None:
        raise Http404
    services.action_complete(action=action, user=request.user, request=request)
    messages.success(request, _("The action is marked as done."))
    return redirect(safe_next(request, reverse("signalering:my_actions")))


@roles(SIGNAL_ROLES)
def meeting_list(request):
    now = timezone.now()
    meetings = visible_meetings(request.user).select_related("district")
    upcoming = (
        meetings.filter(starts_at__gte=now - timezone.timedelta(hours=12))
        .exclude(state=Meeting.State.HELD)
        .order_by("starts_at")[:20]
    )
    past = meetings.filter(state=Meeting.State.HELD).order_by("-starts_at")
    page = Paginator(past, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "signalering/meeting_list.html", {"upcoming": upcoming, "page": page})


def _agenda(meeting: Meeting):
    discussions = Discussion.objects.filter(meeting=meeting)
    return _agenda_names(agenda_signals(meeting)).prefetch_related(
        Prefetch("discussions", queryset=discussions, to_attr="this_meeting"),
        Prefetch(
            "actions",
            queryset=Action.objects.filter(done_at__isnull=True).select_related("owner"),
            to_attr="open_actions",
        ),
    )


def _agenda_names(signals):
    """The names an agenda item shows, as subqueries (see `_shown`)."""
    return signals.annotate(
        neighbourhood_name=_value(Neighbourhood, "neighbourhood_id", "name"), lead_name=_person("lead_id")
    )


def _log_signals(request, signals, action=AccessAction.READ) -> None:
    """One access-log row per signal shown (with its resident), in one statement."""
    log_access_many(
        user=request.user,
        action=action,
        object_type="signal",
        objects=[(signal.pk, signal.resident_id) for signal in signals],
        request=request,
    )


@roles(SIGNAL_ROLES)
def meeting_detail(request, pk: int):
    return _render_meeting(request, _get_meeting_for_user(request, pk))


def _render_meeting(request, meeting: Meeting, *, current: dict | None = None, status: int = 200):
    """The meeting page; `current` replaces one item (its form open, when JavaScript is off).

    The items are shown closed: the chair opens one to record it (htmx loads its form in place). Drawing every item's
    form up front made an agenda of 80 items take seconds.
    """
    signals = list(_agenda(meeting))
    chair = is_chair_of(request.user, meeting.district_id) and meeting.state == Meeting.State.PLANNED
    items = []
    for signal in signals:
        if current and current["signal"].pk == signal.pk:
            items.append(current)
            continue
        discussion = signal.this_meeting[0] if signal.this_meeting else None
        items.append({"signal": signal, "discussion": discussion})
    _log_signals(request, signals)
    context = {
        "meeting": meeting,
        "items": items,
        "chair": chair,
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}) if chair else None,
        "today": timezone.localdate(),
    }
    return render(request, "signalering/meeting_detail.html", context, status=status)


@roles(SIGNAL_ROLES)
@require_http_methods(["GET", "POST"])
def meeting_item(request, pk: int, signal_pk: int):
    """One agenda item, opened to record it (GET) and saved (POST).

    htmx swaps the item in place; without JavaScript, opening shows the meeting page with this item open, and saving
    returns to the meeting page.
    """
    action = AccessAction.UPDATE if request.method == "POST" else AccessAction.READ
    meeting = _get_meeting_for_user(request, pk, action)
    if not is_chair_of(request.user, meeting.district_id) or meeting.state != Meeting.State.PLANNED:
        raise Http404
    signal = _get_signal_for_user(request, signal_pk, action)
    if signal.district_id != meeting.district_id:
        raise Http404
    discussion = Discussion.objects.filter(meeting=meeting, signal=signal).first()
    if request.method == "GET":
        signal = _agenda(meeting).filter(pk=signal.pk).first()
        if signal is None:  # not (or no longer) on this agenda
            raise Http404
        if "close" in request.GET:  # "close without saving" (htmx): the item as it was, focus on its link
            item = {"signal": signal, "discussion": discussion, "form": None, "focus": True}
        else:
            form = DiscussionForm(signal=signal, discussion=discussion)
            form.fields["notes"].widget.attrs["autofocus"] = True  # the chair starts typing where the item opened
            item = {"signal": signal, "discussion": discussion, "form": form}
        if not request.htmx:
            return _render_meeting(request, meeting, current=item)
        context = {"items": [item], "meeting": meeting, "chair": True, "today": timezone.localdate()}
        return render(request, "signalering/partials/meeting_item.html", context)
    form = DiscussionForm(request.POST, signal=signal, discussion=discussion)
    status = 200
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            discussion = services.discussion_save(
                meeting=meeting,
                signal=signal,
                user=request.user,
                expected_version=data["expected_version"],
                notes=data["notes"],
                decision=data["decision"],
                status=data["status"],
                outcome=data["outcome"],
                lead=data["lead"],
                next_step=data["next_step"],
                next_step_due=data["next_step_due"],
                new_action=form.new_action(),
                request=request,
            )
            saved = True
        except services.SignalConflict as conflict:
            form.add_error(
                None,
                _("Someone else changed this signal in the meantime. Your input is kept; check it and save again."),
            )
            form.data = form.data.copy()
            form.data[form.add_prefix("expected_version")] = conflict.current.version
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
            status = 400
    else:
        status = 400
    if saved and not request.htmx:
        messages.success(request, _("Item %(number)s is saved.") % {"number": signal.number})
        return redirect(f"{reverse('signalering:meeting', args=[pk])}#item-{signal.pk}")
    # Off the agenda since (closed by someone else in the meantime): the item is still shown, with its pseudonym.
    signal = _agenda(meeting).filter(pk=signal.pk).first() or _agenda_names(
        Signal.objects.annotate(pseudonym=F("resident__pseudonym"))
    ).get(pk=signal.pk)
    item = {"signal": signal, "discussion": discussion, "form": None if saved else form, "saved": saved, "focus": saved}
    if not request.htmx:
        message = _("Item %(number)s is not saved; see the messages at the item.") % {"number": signal.number}
        messages.error(request, message)
        return _render_meeting(request, meeting, current=item, status=status)
    context = {"items": [item], "meeting": meeting, "chair": True, "today": timezone.localdate()}
    return render(request, "signalering/partials/meeting_item.html", context, status=status)


@roles(SIGNAL_ROLES)
@require_POST
def meeting_finish(request, pk: int):
    meeting = _get_meeting_for_user(request, pk, AccessAction.UPDATE)
    if not is_chair_of(request.user, meeting.district_id):
        raise Http404
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_finish(
                meeting=meeting, user=request.user, minutes=form.cleaned_data["minutes"], request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The meeting is closed and the minutes are kept."))
    return redirect("signalering:meeting", pk)


@roles(SIGNAL_ROLES)
@recent_authentication
def meeting_print(request, pk: int, document: str):
    """Agenda or minutes as PDF, with pseudonyms only."""
    if document not in ("agenda", "minutes"):
        raise Http404
    meeting = _get_meeting_for_user(request, pk, AccessAction.PRINT)
    signals = list(_agenda(meeting))
    if document == "minutes":
        signals = [signal for signal in signals if signal.this_meeting]
    _log_signals(request, signals, AccessAction.PRINT)
    pdf = render_pdf(
        "signalering/print/meeting.html",
        {"meeting": meeting, "signals": signals, "document": document, "printed_by": request.user},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{document}-{meeting.district.cbs_code}-{timezone.localtime(meeting.starts_at):%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
