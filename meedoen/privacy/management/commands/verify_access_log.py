from django.core.management.base import BaseCommand, CommandError

from meedoen.privacy.audit import verify_chain


class Command(BaseCommand):
    help = "Check the access log's hash chain; fails on the first row that was changed, or follows a removed row."

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(f"The access log chain is broken at row {broken} (after {checked} intact rows).")
        self.stdout.write(self.style.SUCCESS(f"Access log intact: {checked} rows."))
