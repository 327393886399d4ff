from django.urls import path

from zelfregie.views import activities, agenda, counting, participants

app_name = "zelfregie"
urlpatterns = [
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/<slug:slug>/", agenda.agenda_location, name="agenda_location"),
    path("agenda/<slug:slug>.ics", agenda.agenda_ics, name="agenda_ics"),
    path("zelfregie/", counting.overview, name="overview"),
    path("zelfregie/places/<int:pk>/", counting.location_detail, name="location"),
    path("zelfregie/places/<int:pk>/participants/new/", participants.participant_create, name="participant_create"),
    path("zelfregie/places/<int:pk>/activities/new/", activities.activity_create, name="activity_create"),
    path("zelfregie/sessions/<int:pk>/", counting.session_detail, name="session"),
    path("zelfregie/sessions/<int:pk>/count/", counting.session_count, name="count"),
    path("zelfregie/sessions/<int:pk>/correct/", counting.session_correct, name="correct"),
    path("zelfregie/expected/", participants.expected_list, name="expected_list"),
    path("zelfregie/expected/<int:pk>/arrived/", participants.expected_arrived, name="expected_arrived"),
    path("zelfregie/participants/", participants.participant_list, name="participant_list"),
    path("zelfregie/participants/<int:pk>/", participants.participant_detail, name="participant"),
    path("zelfregie/participants/<int:pk>/delete/", participants.participant_delete, name="participant_delete"),
    path("zelfregie/activities/", activities.activity_list, name="activity_list"),
    path("zelfregie/activities/<int:pk>/", activities.activity_detail, name="activity"),
    path("zelfregie/activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("zelfregie/activities/<int:pk>/sign-up/", activities.signup_create, name="signup_create"),
    path("zelfregie/sign-ups/<int:pk>/cancel/", activities.signup_cancel, name="signup_cancel"),
    path("zelfregie/dates/<int:pk>/attendance/", activities.attendance, name="attendance"),
]
