from django.urls import path, re_path

from meedoen.privacy import views

app_name = "privacy"
PSEUDONYM = r"(?P<pseudonym>B-[A-Z0-9]{6})"
urlpatterns = [
    path("access-log/", views.access_log, name="access_log"),
    re_path(rf"^access-log/residents/{PSEUDONYM}/$", views.resident_log, name="resident_log"),
    path("residents/", views.resident_lookup, name="residents"),
    re_path(rf"^residents/{PSEUDONYM}/$", views.resident_detail, name="resident"),
    re_path(rf"^residents/{PSEUDONYM}/export\.(?P<format>json|pdf)$", views.resident_export, name="resident_export"),
    re_path(rf"^residents/{PSEUDONYM}/erase/$", views.resident_erase, name="resident_erase"),
    path("retention/", views.retention, name="retention"),
]
