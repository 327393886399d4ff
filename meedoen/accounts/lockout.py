"""Brute-force protection with django-axes: a limit per account and a higher one per address, and a Dutch answer."""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.contrib.auth import logout
from django.db.models import Sum
from django.template.response import TemplateResponse


def failure_limit(request, credentials) -> int:
    return settings.LOGIN_FAILURES_PER_ACCOUNT


def cool_off(request) -> timedelta:
    return timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler, with LOGIN_FAILURES_PER_ADDRESS for an address besides the account's limit.

    Axes compares one number of failures with one limit (AXES_FAILURE_LIMIT, the account's). When the address has
    reached its own limit, the failures reported here are raised to the account's limit, so Axes locks.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        parameters = get_lockout_parameters(request, credentials)
        counts = {
            parameter: attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True)
        }
        by_account = counts.get("username", 0)
        if counts.get("ip_address", 0) >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return max(by_account, settings.LOGIN_FAILURES_PER_ACCOUNT)
        return by_account


def lockout_response(request, original_response=None, credentials=None):
    """The page for a locked-out account or address: a clear message in the user's language, never an error page.

    A logged-in user who is locked out (wrong codes, or a wrong password when confirming an export) is logged out.
    """
    if request.user.is_authenticated:
        logout(request)
    context = {"minutes": settings.LOGIN_COOLOFF_MINUTES}
    return TemplateResponse(request, "registration/locked_out.html", context, status=429).render()
