from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "meedoen.reports"
    label = "reports"
    verbose_name = _("Reports and figures")

    def ready(self):
        from meedoen.reports import attention  # noqa: F401 - registers the municipality's home page panel
