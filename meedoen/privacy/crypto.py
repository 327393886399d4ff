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
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    def to_text(self, value) -> str:
        return str(value)

    def from_text(self, text: str):
        return text

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.from_text(decrypt(value))

    def get_prep_value(self, value):
        if value is None or value == "":
            return value
        return encrypt(self.to_text(value))


class EncryptedDateField(EncryptedTextField):
    """A date stored encrypted as an ISO string."""

    def to_text(self, value) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)

    def from_text(self, text: str):
        return datetime.date.fromisoformat(text)

    def from_db_value(self, value, expression, connection):
        return super().from_db_value(value, expression, connection) or None

    def to_python(self, value):
        if isinstance(value, str) and value:
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise ValidationError(_("Enter a valid date."), code="invalid") from None
        return value
