"""Security headers: a strict CSP, no framing, nosniff, a referrer policy, no caching of pages with personal data,
and in production HSTS and secure cookies."""

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from meedoen.accounts.models import Role
from meedoen.embedded import BASE_DIR
from tests import test_access_matrix as matrix
from tests.test_settings import PRODUCTION

MATRIX = matrix.MATRIX


def csp(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url", ["/accounts/login/", "/agenda/", "/"])
def test_strict_content_security_policy_without_inline_code(client, users, url):
    if url == "/":
        client.force_login(users[Role.PROFESSIONAL])
    policy = csp(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in str(policy) and "'unsafe-eval'" not in str(policy)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_no_framing_no_sniffing_and_a_referrer_policy(client, db):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def _pages(role):
    for (name, args), row in MATRIX.items():
        if row.get(role) == 200:
            yield name, args


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.HOST, Role.PRIVACY_OFFICER, Role.BRIGADE_COORDINATOR])
def test_every_page_of_a_logged_in_user_is_never_stored(client, users, world, role):
    """Every page a logged-in user opens may show personal data: no browser or proxy keeps a copy."""
    client.force_login(users[role])
    checked = 0
    for name, args in _pages(role):
        resolved = [arg[1:] if arg.startswith("=") else world[arg] for arg in args]
        response = client.get(reverse(name, args=resolved))
        if response.status_code == 200:
            assert "no-store" in response["Cache-Control"], name
            checked += 1
    assert checked >= 5


def test_csv_export_is_never_stored(client, users, world):
    client.force_login(users[Role.PROFESSIONAL])
    response = client.get(reverse("reports:export_signals"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


PROBE = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meedoen.settings")
import django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# Only so the page renders without collectstatic; the headers do not depend on it.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
response = Client().get("/accounts/login/", secure=True, HTTP_HOST="meedoen.example")
print(json.dumps({
    "status": response.status_code,
    "hsts": response.get("Strict-Transport-Security"),
    "csrf_cookie": {k: response.cookies["csrftoken"][k] for k in ("secure", "httponly", "samesite")},
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "language_secure": settings.LANGUAGE_COOKIE_SECURE,
    "two_factor_required": settings.TWO_FACTOR_REQUIRED,
    "plain_http": Client().get("/accounts/login/", HTTP_HOST="meedoen.example").status_code,
}))
"""


def test_production_sends_hsts_secure_cookies_and_requires_two_factors():
    test_only = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in test_only}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**env, **PRODUCTION},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["csrf_cookie"]["secure"] and seen["csrf_cookie"]["httponly"]
    assert seen["session_secure"] and seen["session_httponly"] and seen["language_secure"]
    assert seen["two_factor_required"]
    assert seen["plain_http"] == 301, "plain HTTP is sent to HTTPS"
