from django.urls import path

from zelfregie import views

app_name = "zelfregie"
urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/<slug:slug>/", views.agenda_location, name="agenda_location"),
    path("agenda/<slug:slug>.ics", views.agenda_ics, name="agenda_ics"),
    path("zelfregie/", views.overview, name="overview"),
    path("zelfregie/places/<int:pk>/", views.location_detail, name="location"),
    path("zelfregie/places/<int:pk>/participants/new/", views.participant_create, name="participant_create"),
    path("zelfregie/places/<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path("zelfregie/sessions/<int:pk>/", views.session_detail, name="session"),
    path("zelfregie/sessions/<int:pk>/count/", views.session_count, name="count"),
    path("zelfregie/sessions/<int:pk>/correct/", views.session_correct, name="correct"),
    path("zelfregie/expected/", views.expected_list, name="expected_list"),
    path("zelfregie/expected/<int:pk>/arrived/", views.expected_arrived, name="expected_arrived"),
    path("zelfregie/participants/", views.participant_list, name="participant_list"),
    path("zelfregie/participants/<int:pk>/", views.participant_detail, name="participant"),
    path("zelfregie/participants/<int:pk>/delete/", views.participant_delete, name="participant_delete"),
    path("zelfregie/activities/", views.activity_list, name="activity_list"),
    path("zelfregie/activities/<int:pk>/", views.activity_detail, name="activity"),
    path("zelfregie/activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("zelfregie/activities/<int:pk>/sign-up/", views.signup_create, name="signup_create"),
    path("zelfregie/sign-ups/<int:pk>/cancel/", views.signup_cancel, name="signup_cancel"),
    path("zelfregie/dates/<int:pk>/attendance/", views.attendance, name="attendance"),
]
