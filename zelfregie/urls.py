from django.urls import path  # noqa: F401 - the Zelfregiecentrum's pages are added here

app_name = "zelfregie"
urlpatterns: list = []
