from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaleringConfig(AppConfig):
    name = "signalering"
    verbose_name = _("District signal meetings")

    def ready(self):
        from signalering import attention  # noqa: F401 - registers the home page panels
