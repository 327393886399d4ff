"""Two-factor pages: verify at login, enrol with a QR code, recovery codes, and confirming identity before an export."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from meedoen.accounts import services, two_factor
from meedoen.accounts.access import ANY_ROLE, roles
from meedoen.accounts.forms import CodeForm, EnrolForm, ReauthenticateForm
from meedoen.core.forms import add_service_errors

RECOVERY_CODES_KEY = "two_factor_recovery_codes"  # session key: new codes, until the page that shows them once


_next = two_factor.safe_next


def _verified(request, device) -> None:
    """The second factor is given: mark the session verified, under a new session id."""
    otp_login(request, device)
    request.session.cycle_key()
    two_factor.mark_authenticated(request)


@two_factor.before_two_factor
@roles(ANY_ROLE)
def verify(request):
    """Second step of logging in, for a user who has enrolled."""
    if two_factor.pending_step(request) != two_factor.Step.VERIFY:
        return redirect(_next(request))
    form = CodeForm(request.POST or None, request=request, user=request.user)
    if request.method == "POST" and form.is_valid():
        _verified(request, form.check.device)
        if form.check.recovery_code_used:
            left = two_factor.recovery_codes_left(request.user)
            message = ngettext(
                "You logged in with a recovery code; %(left)s is left. Make new ones on the two-factor page.",
                "You logged in with a recovery code; %(left)s are left. Make new ones on the two-factor page.",
                left,
            )
            messages.warning(request, message % {"left": left})
        return redirect(_next(request))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})


@two_factor.before_two_factor
@roles(ANY_ROLE)
def setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with the first code.

    Replacing an app that is already enrolled needs a code from it first, and a recent password.
    """
    if two_factor.is_enrolled(request.user):
        if not request.user.is_verified():
            return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
        if not two_factor.authenticated_within(request, settings.REAUTH_MINUTES):
            return redirect(f"{reverse('reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
    key = request.session.get(two_factor.SETUP_KEY)
    if key is None or request.method == "GET":
        key = request.session[two_factor.SETUP_KEY] = two_factor.new_key()
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_enrol(user=request.user, key=key, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            del request.session[two_factor.SETUP_KEY]
            _verified(request, device)
            request.session[RECOVERY_CODES_KEY] = codes
            return redirect(f"{reverse('two_factor_recovery_codes')}?{urlencode({'next': _next(request)})}")
    device = two_factor.unconfirmed_device(request.user, key)
    context = {
        "form": form,
        "qr_code": two_factor.qr_data_uri(device),
        "key_text": two_factor.key_text(key),
        "required": two_factor.required_for(request.user),
        "replacing": two_factor.is_enrolled(request.user),
        "next": _next(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


@roles(ANY_ROLE)
def recovery_codes(request):
    """The new recovery codes, shown once: the session holds them only until this page."""
    codes = request.session.pop(RECOVERY_CODES_KEY, None)
    return render(request, "registration/two_factor_recovery_codes.html", {"codes": codes, "next": _next(request)})


@roles(ANY_ROLE)
def reauthenticate(request):
    """Confirm identity with the password (and a code), then continue to the export or print asked for."""
    form = ReauthenticateForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        if form.check is not None:
            otp_login(request, form.check.device)
        two_factor.mark_authenticated(request)
        return redirect(_next(request))
    return render(request, "registration/reauthenticate.html", {"form": form, "next": _next(request)})


@roles(ANY_ROLE)
def overview(request):
    """The user's two-factor state: enrol, make new recovery codes, or remove the app."""
    context = {
        "enrolled": two_factor.is_enrolled(request.user),
        "required": two_factor.required_for(request.user),
        "codes_left": two_factor.recovery_codes_left(request.user),
    }
    return render(request, "registration/two_factor.html", context)


@require_POST
@roles(ANY_ROLE)
@two_factor.recent_authentication
def recovery_codes_new(request):
    request.session[RECOVERY_CODES_KEY] = services.recovery_codes_renew(user=request.user)
    return redirect(f"{reverse('two_factor_recovery_codes')}?{urlencode({'next': reverse('two_factor')})}")


@require_POST
@roles(ANY_ROLE)
@two_factor.recent_authentication
def remove(request):
    """Remove the app and recovery codes. Where two factors are required, the user enrols a new app at once."""
    services.two_factor_remove(user=request.user)
    if two_factor.required_for(request.user):
        return redirect("two_factor_setup")
    messages.success(request, _("Two-factor authentication is off for your account."))
    return redirect("two_factor")
