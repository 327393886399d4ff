from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meedoen.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database: pg_dump's custom format plus a manifest (rows and a checksum per table) that "
        "`restore` checks. Default file: var/backups/meedoen-<date>-<time>.dump (and .json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file name (.dump is added); default under var/backups/")

    def handle(self, *args, output=None, **options):
        path = (
            Path(output)
            if output
            else settings.BASE_DIR / "var" / "backups" / f"meedoen-{timezone.now():%Y%m%d-%H%M%S}"
        )
        try:
            written, tables = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in tables.values())
        self.stdout.write(f"Backup written: {written} ({len(tables)} tables, {rows:,} rows); manifest beside it.")
