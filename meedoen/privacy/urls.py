from django.urls import path

from meedoen.privacy import views

app_name = "privacy"
urlpatterns = [
    path("access-log/", views.access_log, name="access_log"),
    path("access-log/residents/<str:pseudonym>/", views.resident_log, name="resident_log"),
]
