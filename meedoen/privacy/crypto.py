"""Encryption at rest for identifying fields, and the keyed hash (blind index) for exact-match lookups.

FIELD_ENCRYPTION_KEYS is a comma-separated list of Fernet keys; the first encrypts, all decrypt, so a key can be
rotated by putting a new key in front and running `manage.py rotate_encryption_keys`.
"""

import datetime
import hashlib
import hmac
import re
import unicodedata
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("Cannot decrypt a field: is FIELD_ENCRYPTION_KEYS complete?") from error


def normalise(value: str) -> str:
    """Lower case, accents and punctuation removed, white space folded: 'Jan  de Vriés' == 'jan de vries'."""
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


def blind_index(*parts: str) -> str:
    """Keyed hash of normalised parts; empty when any part is missing (no partial matches)."""
    cleaned = [normalise(part or "") for part in parts]
    if not all(cleaned):
        return ""
    message = "\x1f".join(cleaned).encode()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token; reads give plain text. Not searchable: use a blind index."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


class EncryptedDateField(EncryptedTextField):
    """A date stored encrypted as an ISO string."""

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return datetime.date.fromisoformat(text) if text else None

    def get_prep_value(self, value):
        if isinstance(value, datetime.date):
            value = value.isoformat()
        return super().get_prep_value(value)

    def to_python(self, value):
        if isinstance(value, str) and value:
            return datetime.date.fromisoformat(value)
        return value
