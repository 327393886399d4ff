import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from meedoen.accounts import two_factor
from meedoen.accounts.access import rule_allows
from meedoen.privacy.audit import AccessLogError, log_access
from meedoen.privacy.middleware import access_log_unavailable
from meedoen.privacy.models import AccessAction

SESSION_STARTED_KEY = "started_at"  # set at login (see mark_session_started)
SESSION_RENEWED_KEY = "renewed_at"  # changed (so the session is saved with a new expiry) once a minute at most


def mark_session_started(sender, request, user, **kwargs):
    """At every login (ours, the admin's, a test's force_login): the absolute limit counts from here, and the
    session was just saved with a fresh expiry."""
    if request is not None:
        request.session[SESSION_STARTED_KEY] = request.session[SESSION_RENEWED_KEY] = time.time()


class AccessRuleMiddleware:
    """Default deny: refuse every view that does not declare an access rule (see access.py).

    The Django admin has its own staff check and is the one exception.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.app_name == "admin":
            return None
        rule = getattr(view_func, "access_rule", None)
        if rule_allows(rule, request.user):
            return None
        if rule is not None and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.is_authenticated:
            try:
                log_access(
                    user=request.user,
                    action=AccessAction.READ,
                    object_type="page",
                    object_id=request.path[:200],
                    allowed=False,
                    request=request,
                )
            except AccessLogError:
                return access_log_unavailable(request)
        raise PermissionDenied


class SessionPolicyMiddleware:
    """A session ends SESSION_COOKIE_AGE after its last request (the idle timeout: a request renews it when it was
    last renewed over SESSION_RENEW_SECONDS ago) and SESSION_ABSOLUTE_HOURS after it started, however active; pages
    for logged-in users (which may show personal data) are never stored by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(SESSION_RENEWED_KEY, 0) > settings.SESSION_RENEW_SECONDS:
                request.session[SESSION_RENEWED_KEY] = now
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class TwoFactorMiddleware:
    """Before any page (the Django admin and the API included), a logged-in user who must use two factors but has not
    enrolled is sent to enrolment, and one who has enrolled gives a code. Only views marked `before_two_factor` (login,
    logout, the two-factor pages, the language switch) are open before that."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "before_two_factor", False):
            return None
        step = two_factor.pending_step(request)
        if step is None:
            return None
        return redirect(f"{two_factor.step_url(step)}?{urlencode({'next': request.get_full_path()})}")
