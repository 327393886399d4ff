from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrigadeConfig(AppConfig):
    name = "brigade"
    verbose_name = _("Flying Brigade")

    def ready(self):
        from brigade import attention  # noqa: F401 - registers the home page panels
