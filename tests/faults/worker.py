"""A real Celery worker for the fault tests, in its own process so that a test can kill it with SIGKILL.

    REDIS_URL=... FAULT_SLOW=report|email FAULT_MAIL_DIR=/tmp/x python tests/faults/worker.py

FAULT_SLOW makes one step wait (the quarterly report's XLSX, or the third e-mail) long enough to be killed in the
middle of it; the e-mails go to files in FAULT_MAIL_DIR, so that the test can count what was really sent.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meedoen.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.mail import EmailMultiAlternatives  # noqa: E402

from meedoen.celery import app  # noqa: E402
from meedoen.reports import report_files  # noqa: E402

settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = os.environ["FAULT_MAIL_DIR"]
slow = os.environ.get("FAULT_SLOW", "")
Path(settings.EMAIL_FILE_PATH, "started").touch()

if slow == "report":
    build_xlsx = report_files.build_xlsx

    def slow_xlsx(document):
        Path(settings.EMAIL_FILE_PATH, "in-xlsx").touch()
        time.sleep(120)
        return build_xlsx(document)

    report_files.build_xlsx = slow_xlsx

if slow == "email":
    send = EmailMultiAlternatives.send
    sent = []

    def slow_send(self, *args, **kwargs):
        sent.append(1)
        if len(sent) == 3:
            Path(settings.EMAIL_FILE_PATH, "in-third-email").touch()
            time.sleep(120)
        return send(self, *args, **kwargs)

    EmailMultiAlternatives.send = slow_send

app.worker_main(["worker", "--pool", "solo", "--without-heartbeat",
                 "--without-mingle", "--without-gossip", "--loglevel", "WARNING"])  # fmt: skip
