import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meedoen.settings")

app = Celery("meedoen")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _heartbeat_when_ready(**kwargs):
    """Report a heartbeat as soon as a worker is ready, not only after beat's first tick."""
    from meedoen.core.health import record_heartbeat

    record_heartbeat()
