"""Two-factor helpers for tests: enrol a user through the real service and compute their app's codes."""

import time
from binascii import unhexlify

from django_otp.oath import TOTP

from meedoen.accounts import services, two_factor


def code_for_key(key: str, at: float | None = None) -> str:
    totp = TOTP(unhexlify(key))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def enrol(user):
    """Enrol `user` with a TOTP app as the setup page does; returns (device, recovery codes)."""
    key = two_factor.new_key()
    return services.two_factor_enrol(user=user, key=key, code=code_for_key(key))


def next_code(device) -> str:
    """A code the device accepts now: the current step's, or the next step's when the current one was used
    (django-otp accepts one step of drift, and never a step it accepted before)."""
    device.refresh_from_db()
    now = time.time()
    step = int(now - device.t0) // device.step
    at = now if step > device.last_t else now + device.step * (device.last_t - step + 1)
    return code_for_key(device.key, at)
