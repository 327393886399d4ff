from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Load the Leiden demo set (synthetic data). Idempotent. Each app with a `demo` module adds its part, "
        "in the order of INSTALLED_APPS. Refuses when DEBUG is off."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo loads demo accounts with known passwords and refuses when DEBUG is off.")
        with transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(self.stdout)
        from meedoen.accounts.demo import describe_accounts

        self.stdout.write(describe_accounts())
