from django.urls import path

from earlyhelp.workforce import views

app_name = "workforce"

urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("me/", views.me, name="me"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff, name="staff"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/<slug:kind>/new/", views.record_new, name="record_new"),
    path("staff/<int:pk>/<slug:kind>/<int:item_pk>/", views.record_edit, name="record_edit"),
    path("training/", views.training_list, name="training_list"),
    path("training/new/", views.training_create, name="training_create"),
    path("training/<int:pk>/", views.training, name="training"),
    path("training/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("training/<int:pk>/attend/", views.attendance_add, name="attendance_add"),
    path("attendance/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("norms/", views.norm_check, name="norm_check"),
    path("norms/<int:pk>/", views.norm_edit, name="norm_edit"),
    path("supervision/", views.supervision_list, name="supervision_list"),
    path("supervision/new/", views.supervision_create, name="supervision_create"),
    path("supervision/<int:pk>/", views.supervision, name="supervision"),
    path("supervision/<int:pk>/edit/", views.supervision_edit, name="supervision_edit"),
    path("supervision/<int:pk>/notes/", views.supervision_notes, name="supervision_notes"),
    path("supervision/norms/", views.supervision_norm_check, name="supervision_norms"),
    path("supervision/norms/<int:pk>/", views.supervision_norm_edit, name="supervision_norm_edit"),
]
