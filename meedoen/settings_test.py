"""Test overlay: only what makes tests fast and deterministic."""

import os

from meedoen.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each test starts with an empty cache of its own; figures are not remembered unless a test asks for it.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
FIGURES_CACHE_SECONDS = 0

# Under pytest-xdist the test processes share one Redis: each gets its own Celery queue and heartbeat key, so a
# worker started by one process never runs another's tasks, nor answers for it in /health/.
if _xdist := os.environ.get("PYTEST_XDIST_WORKER"):
    CELERY_TASK_DEFAULT_QUEUE = f"celery-{_xdist}"
    WORKER_HEARTBEAT_KEY = f"meedoen:worker-heartbeat:{_xdist}"
