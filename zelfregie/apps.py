from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZelfregieConfig(AppConfig):
    name = "zelfregie"
    verbose_name = _("Self-direction centre")

    def ready(self):
        from zelfregie import attention  # noqa: F401 - registers the home page panels
