from django.urls import path

from earlyhelp.activities import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("activities/new/", views.activity_new, name="new"),
    path("activities/week/", views.week, name="week"),
    path("activities/export/", views.export, name="export"),
    path("activities/workshops/", views.workshops, name="workshops"),
    path("activities/<int:pk>/", views.activity_detail, name="detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("activities/<int:pk>/sessions/", views.session_add, name="session_add"),
    path(
        "activities/<int:pk>/sessions/<int:session_pk>/",
        views.session_record,
        name="session",
    ),
    path("activities/<int:pk>/participants/", views.participant_add, name="participant_add"),
    path(
        "activities/<int:pk>/participants/<int:participant_pk>/",
        views.participant_update,
        name="participant",
    ),
    path("activities/<int:pk>/register/", views.register, name="register"),
    path("activities/<int:pk>/unregister/", views.unregister, name="unregister"),
    path("activities/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("sparring/", views.sparring_list, name="sparring_list"),
    path("sparring/new/", views.sparring_new, name="sparring_new"),
    path("sparring/<int:pk>/", views.sparring_detail, name="sparring"),
    path("sparring/<int:pk>/schedule/", views.sparring_schedule, name="sparring_schedule"),
    path("sparring/<int:pk>/decline/", views.sparring_decline, name="sparring_decline"),
    path("sparring/<int:pk>/withdraw/", views.sparring_withdraw, name="sparring_withdraw"),
]
