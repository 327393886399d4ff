from django.urls import path, re_path

from meedoen.privacy import views

app_name = "privacy"
urlpatterns = [
    path("access-log/", views.access_log, name="access_log"),
    re_path(r"^access-log/residents/(?P<pseudonym>B-[A-Z0-9]{6})/$", views.resident_log, name="resident_log"),
]
