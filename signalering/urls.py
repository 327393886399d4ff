from django.urls import path

from signalering import views

app_name = "signalering"
urlpatterns = [
    path("signals/", views.signal_list, name="list"),
    path("signals/mine/", views.my_signals, name="mine"),
    path("signals/new/", views.signal_create, name="create"),
    path("signals/new/known/", views.resident_check, name="resident_check"),
    path("signals/<int:pk>/", views.signal_detail, name="signal"),
    path("signals/<int:pk>/status/", views.signal_transition, name="transition"),
    path("signals/<int:pk>/follow-up/", views.signal_update, name="update"),
    path("signals/<int:pk>/note/", views.signal_note, name="note"),
    path("signals/<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/items/<int:signal_pk>/", views.meeting_item, name="meeting_item"),
    path("meetings/<int:pk>/finish/", views.meeting_finish, name="meeting_finish"),
    path("meetings/<int:pk>/<str:document>.pdf", views.meeting_print, name="meeting_print"),
]
