"""Two-factor authentication: who must use it, where a logged-in user stands, and checking a code.

The second factor is a TOTP app (django-otp's TOTPDevice) with recovery codes (django-otp's StaticDevice). Recovery
codes are stored as keyed digests, never as the codes themselves, so a copy of the database does not hold usable ones.
A user is enrolled when they have a confirmed TOTP device; whoever is enrolled verifies at every login, whether their
role requires it or not.
"""

import enum
import functools
import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts.access import TWO_FACTOR_ROLES
from meedoen.core import forms

AUTH_TIME_KEY = "authenticated_at"  # session key: when the user last gave their password (and second factor)
SETUP_KEY = "two_factor_setup_key"  # session key: the TOTP key being enrolled, until the first code confirms it
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/i/l to misread
RECOVERY_LENGTH = 10  # about 50 bits each


class Step(enum.StrEnum):
    SETUP = "setup"  # must enrol before any page
    VERIFY = "verify"  # enrolled, must give a code before any page


def required_for(user) -> bool:
    """Whether this user must use two factors: every role that sees personal data, the privacy officer and staff."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    return user.role in TWO_FACTOR_ROLES or user.is_staff or user.is_superuser


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def next_step(user, verified: bool) -> Step | None:
    """What a logged-in user must still do before any page, if anything."""
    if not user.is_authenticated or verified:
        return None
    if is_enrolled(user):
        return Step.VERIFY
    if required_for(user):
        return Step.SETUP
    return None


def pending_step(request) -> Step | None:
    """`next_step` for the request's user, worked out once per request (the middleware and the templates ask)."""
    user = request.user
    cached = getattr(request, "_two_factor_step", None)
    if cached is None or cached[0] != user.pk:
        # request.user right after login() is the plain user, without django-otp's is_verified(): not verified.
        verified = getattr(user, "is_verified", None)
        cached = request._two_factor_step = (user.pk, next_step(user, bool(verified and verified())))
    return cached[1]


def step_url(step: Step) -> str:
    return reverse("two_factor_setup" if step == Step.SETUP else "two_factor_verify")


def before_two_factor(view):
    """Mark a view as usable by a logged-in user who has not yet given their second factor (login, the 2FA pages)."""
    view.before_two_factor = True
    return view


def mark_authenticated(request) -> None:
    """Record that the user has just authenticated (password, and second factor where they have one)."""
    request.session[AUTH_TIME_KEY] = time.time()


def authenticated_within(request, minutes: int) -> bool:
    # A session that never passed our login view (the admin's login page) counts from its login.
    at = request.session.get(AUTH_TIME_KEY) or request.session.get("started_at")  # middleware.SESSION_STARTED_KEY
    return at is not None and time.time() - at <= minutes * 60


def safe_next(request, default: str = "home") -> str:
    """The `next` address if it is a path on this site, else the URL named `default`."""
    return forms.safe_next(request, reverse(default))


def recent_authentication(view):
    """Ask for the password (and the second factor) again when the last authentication is older than REAUTH_MINUTES.

    For exports and prints of personal data: whoever finds an unlocked screen cannot take the data along.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if authenticated_within(request, settings.REAUTH_MINUTES):
            return view(request, *args, **kwargs)
        # After confirming, a GET goes on where it was going; a posted form comes back to the page it came from.
        target = request.get_full_path() if request.method == "GET" else safe_next(request)
        return redirect(f"{reverse('reauthenticate')}?{urlencode({'next': target})}")

    return wrapper


# --- TOTP enrolment -------------------------------------------------------------------------------------------------


def new_key() -> str:
    return secrets.token_hex(20)  # 160 bits, as RFC 4226 recommends


def unconfirmed_device(user, key: str) -> TOTPDevice:
    """An unsaved device for `key`, to show its QR code and check the first code."""
    return TOTPDevice(user=user, key=key, name="Authenticator-app", confirmed=False)


def key_text(key: str) -> str:
    """The key in base32, in groups of four, for typing into an app that cannot scan."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG data URI drawn on the server (no script, allowed by the CSP)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="black", light="white")


def first_code_step(key: str, code: str, tolerance: int = 1) -> int | None:
    """The time step at which `code` is valid for `key` (within `tolerance` steps), or None."""
    code = code.strip().replace(" ", "")
    if not (code.isascii() and code.isdigit()):  # "¹" is a digit to str.isdigit, not to int()
        return None
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    for drift in range(-tolerance, tolerance + 1):
        totp.drift = drift
        if totp.token() == int(code):
            return totp.t()
    return None


# --- recovery codes -------------------------------------------------------------------------------------------------


def new_recovery_code() -> str:
    code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return f"{code[:5]}-{code[5:]}"


def normalise_recovery_code(code: str) -> str:
    return "".join(char for char in code.lower() if char.isalnum())


def recovery_digest(user, code: str, secret: str | None = None) -> str:
    """The stored form of a recovery code: an HMAC keyed with SECRET_KEY (fits StaticToken's 16 characters)."""
    value = f"{user.pk}:{normalise_recovery_code(code)}"
    return salted_hmac("meedoen.recovery-code", value, secret=secret, algorithm="sha256").hexdigest()[:16]


def _use_recovery_code(user, code: str) -> StaticDevice | None:
    """Consume a matching recovery code; django-otp's throttling applies as for its own static tokens."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return None
    # The fallbacks keep codes made before a SECRET_KEY rotation working.
    digests = [recovery_digest(user, code, secret) for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
    token = device.token_set.filter(token__in=digests).first()
    if token is None:
        device.throttle_increment()
        return None
    token.delete()
    device.throttle_reset(commit=False)
    device.set_last_used_timestamp(commit=False)
    device.save()
    return device


# --- checking a code ------------------------------------------------------------------------------------------------


class Failure(enum.StrEnum):
    WRONG = "wrong"  # not valid, or already used
    THROTTLED = "throttled"  # too many wrong codes in a row: wait


@dataclass
class CodeCheck:
    device: TOTPDevice | StaticDevice | None = None
    failure: Failure | None = None

    @property
    def recovery_code_used(self) -> bool:
        return isinstance(self.device, StaticDevice)


def check_code(request, user, code: str) -> CodeCheck:
    """Check a code from the app (six digits) or a recovery code, and use it up.

    A TOTP code is accepted once: django-otp refuses the time step of the last accepted code and any before it. A
    failed code counts as a failed login for django-axes, so guessing codes locks the account like guessing passwords.
    """
    if AxesProxyHandler.is_locked(request, {"username": user.get_username()}):
        return _failed(request, user, Failure.WRONG)  # locked meanwhile (another session): not even a right code
    code = code.strip()
    digits = code.replace(" ", "")
    if digits.isascii() and digits.isdigit() and len(digits) == 6:
        device = totp_device(user)
        if device is not None:
            if not device.verify_is_allowed()[0]:
                return _failed(request, user, Failure.THROTTLED)
            if device.verify_token(digits):
                return CodeCheck(device=device)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None and not device.verify_is_allowed()[0]:
            return _failed(request, user, Failure.THROTTLED)
        used = _use_recovery_code(user, code)
        if used is not None:
            return CodeCheck(device=used)
    return _failed(request, user, Failure.WRONG)


def _failed(request, user, failure: Failure) -> CodeCheck:
    # Django's own signal for a failed authentication: django-axes counts it and flags the request when locked.
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    return CodeCheck(failure=failure)


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0
