from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrigadeConfig(AppConfig):
    name = "brigade"
    verbose_name = _("Flying Brigade")

    def ready(self):
        # Registers the home page panels and the records in the retention scheme (meedoen/privacy/records.py).
        from brigade import attention, retention  # noqa: F401
