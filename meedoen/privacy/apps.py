from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "meedoen.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from meedoen.privacy import attention  # noqa: F401 - registers the home page panel
