from django.urls import path

from brigade import views

app_name = "brigade"
urlpatterns = [
    path("brigade/", views.overview, name="overview"),
    path("brigade/assessment/", views.assessment_list, name="assessment_list"),
    path("brigade/brigadiers/", views.pool, name="pool"),
    path("brigade/brigadiers/<int:pk>/pause/", views.pool_toggle, name="pool_toggle"),
    path("brigade/requests/", views.request_list, name="requests"),
    path("brigade/requests/new/", views.request_create, name="request_create"),
    path("brigade/requests/<int:pk>/", views.request_detail, name="request"),
    path("brigade/requests/<int:pk>/assign/", views.assign, name="assign"),
    path("brigade/requests/<int:pk>/assessment/", views.assessment, name="assessment"),
    path("brigade/requests/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("brigade/requests/<int:pk>/close/", views.close_request, name="close_request"),
    path("brigade/mine/", views.my_assignments, name="mine"),
    path("brigade/assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("brigade/assignments/<int:pk>/answer/", views.respond, name="respond"),
    path("brigade/assignments/<int:pk>/contact/", views.log_contact, name="contact"),
    path("brigade/assignments/<int:pk>/close/", views.close_assignment, name="close_assignment"),
]
