from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaleringConfig(AppConfig):
    name = "signalering"
    verbose_name = _("District signal meetings")

    def ready(self):
        # Registers the home page panels and the records in the retention scheme (meedoen/privacy/records.py).
        from signalering import attention, retention  # noqa: F401
