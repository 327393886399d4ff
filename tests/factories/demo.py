import io

from django.core.management import call_command
from django.test import override_settings


def seed_demo() -> str:
    """Run `seed_demo` (it refuses when DEBUG is off) and return what it printed."""
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()
