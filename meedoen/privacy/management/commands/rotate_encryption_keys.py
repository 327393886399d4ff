from django.core.management.base import BaseCommand
from django.db import transaction

from meedoen.privacy.models import Resident
from meedoen.privacy.services import IDENTIFYING_FIELDS


class Command(BaseCommand):
    help = (
        "Re-encrypt every identifying field with the first key of FIELD_ENCRYPTION_KEYS and recompute the blind "
        "indexes with BLIND_INDEX_KEY. Run after putting a new key in front; then remove the old key."
    )

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for resident in Resident.objects.select_for_update().order_by("pk").iterator(chunk_size=500):
                resident.refresh_hashes()
                # Saving writes every encrypted field anew with the current (first) key.
                resident.save(update_fields=[*IDENTIFYING_FIELDS, "identity_hash", "address_hash"])
                count += 1
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {count} residents."))
