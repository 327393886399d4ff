from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZelfregieConfig(AppConfig):
    name = "zelfregie"
    verbose_name = _("Self-direction centre")

    def ready(self):
        # Registers the home page panels and the records in the retention scheme (meedoen/privacy/records.py).
        from zelfregie import attention, retention  # noqa: F401
