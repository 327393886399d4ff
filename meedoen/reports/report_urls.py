from django.urls import path, re_path

from meedoen.reports import report_views

urlpatterns: list = [
    path("quarterly/", report_views.quarterly, name="quarterly"),
    path("quarterly/<int:pk>/", report_views.quarterly_detail, name="quarterly_detail"),
    path("quarterly/<int:pk>/progress/", report_views.quarterly_progress, name="quarterly_progress"),
    re_path(
        r"^quarterly/(?P<pk>[0-9]+)/(?P<fmt>csv|xlsx|pdf)$", report_views.quarterly_download, name="quarterly_download"
    ),
]
