"""The statistics API, included at the site root: /api/v1/..., /api/schema/ and /api/docs/.

The API views are `public` for the default-deny middleware because a BI tool comes with a token, not a session;
DRF's authentication and permission (meedoen.reports.api.IsStatisticsUser) decide. The docs page is a browser page:
the middleware sends anonymous visitors to the login page and refuses other roles.
"""

from django.urls import path

from meedoen.accounts.access import public, roles
from meedoen.reports import api

app_name = "api"
urlpatterns = [
    path("api/v1/", public(api.IndexView.as_view()), name="index"),
    path("api/v1/figures/", public(api.FiguresView.as_view()), name="figures"),
    path("api/v1/districts/", public(api.DistrictsView.as_view()), name="districts"),
    path("api/v1/quarters/", public(api.QuartersView.as_view()), name="quarters"),
    path("api/schema/", public(api.SchemaView.as_view()), name="schema"),
    path("api/docs/", roles(api.API_ROLES)(api.DocsView.as_view()), name="docs"),
]
