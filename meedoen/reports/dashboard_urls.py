from django.urls import path

from meedoen.reports import dashboard, exports

urlpatterns: list = [
    path("", dashboard.dashboard, name="dashboard"),
    path("export/signals.csv", exports.export_signals, name="export_signals"),
    path("export/actions.csv", exports.export_actions, name="export_actions"),
    path("export/visit-requests.csv", exports.export_requests, name="export_requests"),
]
