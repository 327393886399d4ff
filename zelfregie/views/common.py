"""What the Zelfregiecentrum's views share: lookups through the selectors that log access to personal data, and
telling who moved up from a waiting list. Form errors and `next` redirects: meedoen.core.forms."""

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from meedoen.privacy.audit import log_access, log_access_many
from meedoen.privacy.models import AccessAction
from zelfregie.models import Activity, Location, Participant, Session, SignUp
from zelfregie.selectors import host_locations, visible_activities, visible_participants, visible_sessions

PAGE_SIZE = 25


def get_for_user(request, queryset, object_type: str, pk: int, action=AccessAction.READ, log: bool = True):
    """The object if the user may see it; 404 otherwise, so its existence is not revealed. Personal data (log=True)
    is logged either way; an attempt on something out of reach always is."""
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


def get_location_for_user(request, pk: int) -> Location:
    return get_for_user(request, host_locations(request.user), "meeting_place", pk, log=False)


def get_session_for_user(request, pk: int) -> Session:
    sessions = visible_sessions(request.user).select_related("location")
    return get_for_user(request, sessions, "session", pk, log=False)


def get_activity_for_user(request, pk: int) -> Activity:
    activities = visible_activities(request.user).select_related("location")
    return get_for_user(request, activities, "activity", pk, log=False)


def get_participant_for_user(request, pk: int) -> Participant:
    """A participant, looked up (and logged) as read: a service that changes or deletes them logs that itself."""
    participants = visible_participants(request.user).select_related("location", "registered_by")
    return get_for_user(request, participants, "participant", pk)


def log_many(request, object_type: str, objects, action=AccessAction.READ) -> None:
    """One access-log row per person shown, in one statement."""
    log_access_many(
        user=request.user,
        action=action,
        object_type=object_type,
        objects=[(obj.pk, None) for obj in objects],
        request=request,
    )


def tell_promoted(request, promoted: list[SignUp]) -> None:
    """Name who moved up from a waiting list, so the host lets them know. Names shown are names read: logged."""
    if not promoted:
        return
    log_many(request, "participant", [signup.participant for signup in promoted])
    for signup in promoted:
        messages.info(
            request,
            _("%(participant)s moves up from the waiting list for %(activity)s. Let them know.")
            % {"participant": signup.participant, "activity": signup.activity},
        )
