"""Secrets for development only: generated once per checkout into var/dev-secrets.json (git-ignored)."""

import base64
import json
import os
import secrets
from pathlib import Path

_PATH = Path(__file__).resolve().parent.parent / "var" / "dev-secrets.json"


def _generate(name: str) -> str:
    if name == "FIELD_ENCRYPTION_KEYS":
        return base64.urlsafe_b64encode(os.urandom(32)).decode()
    return secrets.token_urlsafe(50)


def development_secret(name: str) -> str:
    stored = json.loads(_PATH.read_text()) if _PATH.exists() else {}
    if name not in stored:
        stored[name] = _generate(name)
        _PATH.parent.mkdir(parents=True, exist_ok=True)
        _PATH.write_text(json.dumps(stored, indent=2))
        _PATH.chmod(0o600)
    return stored[name]
