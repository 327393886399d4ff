"""`manage.py check --deploy`: production without required two-factor authentication is reported."""

from django.conf import settings
from django.core.checks import Warning


def two_factor_required_in_production(app_configs, **kwargs):
    if settings.PRODUCTION and not settings.TWO_FACTOR_REQUIRED:
        return [
            Warning(
                "TWO_FACTOR_REQUIRED is off in production.",
                hint="Roles that see personal data must log in with two factors (OWASP ASVS level 2).",
                id="meedoen.W001",
            )
        ]
    return []
