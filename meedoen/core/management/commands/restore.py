from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meedoen.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into the configured database, replacing its contents, and check every "
        "table's rows and checksum against the backup's manifest. Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the .dump file (its .json manifest must lie beside it)")
        parser.add_argument("--yes", action="store_true", help="do not ask: replace the database")

    def handle(self, *args, backup, yes, **options):
        path = Path(backup)
        if not path.with_suffix(".dump").exists() or not path.with_suffix(".json").exists():
            raise CommandError(f"{path.with_suffix('.dump')} and its manifest {path.with_suffix('.json')} are needed.")
        if not yes and input("This replaces everything in the database. Type 'restore' to go on: ") != "restore":
            raise CommandError("Nothing restored.")
        try:
            tables = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in tables.values())
        self.stdout.write(f"Restored and checked: {len(tables)} tables, {rows:,} rows, counts and checksums equal.")
