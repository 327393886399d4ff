from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from meedoen.accounts.access import public
from meedoen.accounts.two_factor import before_two_factor
from meedoen.core import views as core_views

admin.site.site_header = _("Meedoen administration")
admin.site.site_title = _("Meedoen")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("accounts/", include("meedoen.accounts.urls")),
    path("privacy/", include("meedoen.privacy.urls")),
    path("notifications/", include("meedoen.notifications.urls")),
    path("", include("signalering.urls")),
    path("", include("zelfregie.urls")),
    path("", include("brigade.urls")),
    path("reports/", include("meedoen.reports.urls")),
    path("", include("meedoen.reports.api_urls")),  # /api/v1/ and /api/schema/
    path("i18n/setlang/", before_two_factor(public(set_language)), name="set_language"),
    path("admin/", admin.site.urls),
]

handler500 = "meedoen.core.views.server_error"
