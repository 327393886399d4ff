from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from meedoen.accounts.models import District
from meedoen.core.bulk import checks_afterwards
from meedoen.core.scale import Scale
from meedoen.reports import rollups


def _scale_modules():
    for config in apps.get_app_configs():
        try:
            yield import_module(f"{config.name}.scale")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.scale":
                raise


class Command(BaseCommand):
    help = (
        "Build a large synthetic data set for benchmarks in an empty database: signals with their meetings, "
        "discussions, actions and timelines, proportional brigade and Zelfregiecentrum data and about five "
        "access-log rows per signal, loaded in bulk. Each app with a `scale` module adds its part (`seed`, then "
        "`finish`), in the order of INSTALLED_APPS. Refuses when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--signals", type=int, default=1_000_000, help="number of signals (default 1,000,000)")
        parser.add_argument("--years", type=int, default=5, help="years of history up to today (default 5)")
        parser.add_argument("--seed", type=int, default=546, help="random seed: the same seed gives the same set")

    def handle(self, *args, signals, years, seed, **options):
        if not settings.DEBUG:
            raise CommandError("seed_scale makes accounts with a known password and refuses when DEBUG is off.")
        if signals < 1 or not 1 <= years <= 20:
            raise CommandError("Give at least one signal and between 1 and 20 years.")
        if District.objects.exists():
            raise CommandError("seed_scale needs an empty database (migrated, without districts or demo data).")
        scale = Scale(signals=signals, years=years, seed=seed, stdout=self.stdout)
        scale.create_staging()
        modules = list(_scale_modules())
        with checks_afterwards(), rollups.trigger_off():
            for step in ("seed", "finish"):
                for module in modules:
                    if hasattr(module, step):
                        getattr(module, step)(scale)
            scale.say("Checking foreign keys and building indexes …")
        rollups.rebuild()
        with connection.cursor() as cursor:
            # VACUUM as well: it marks the freshly loaded pages all-visible, so that counts read only the indexes
            # (as autovacuum would make them after a while in production). It cannot run inside a transaction,
            # which is where the tests run this command.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        scale.say("Done.")
