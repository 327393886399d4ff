from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrigadeConfig(AppConfig):
    name = "brigade"
    verbose_name = _("Flying Brigade")
