"""Production settings: refuse to start unsafely, and pass Django's deployment checks."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from meedoen.embedded import BASE_DIR

PRODUCTION = {
    "MEEDOEN_ENV": "production",
    "SECRET_KEY": "x" * 60 + "-not-a-real-secret-but-long-and-varied-0123456789",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "BLIND_INDEX_KEY": "blind-index-test-key",
    "ACCESS_LOG_KEY": "access-log-test-key",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "meedoen.example",
}


def manage(*args, **env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a production process never has it.
    test_only = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**base, **{k: v for k, v in env.items() if v is not None}},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=BASE_DIR,
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deployment_checks_report_production_without_two_factor_authentication():
    result = manage("check", "--deploy", **PRODUCTION, TWO_FACTOR_REQUIRED="false")
    assert "meedoen.W001" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "ACCESS_LOG_KEY", "DATABASE_URL", "REDIS_URL"]
)
def test_production_refuses_to_start_without(missing):
    result = manage("check", **{**PRODUCTION, missing: None})
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = manage("check", **PRODUCTION, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_a_malformed_boolean_fails_loudly():
    result = manage("check", **PRODUCTION, DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_defaults_are_dutch_and_amsterdam_time(settings):
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
    assert settings.TIME_ZONE == "Europe/Amsterdam"
