from django.urls import path

from earlyhelp.screening import views

app_name = "screening"

urlpatterns = [
    path("screening/", views.round_list, name="rounds"),
    path("screening/rounds/new/", views.round_new, name="round_new"),
    path("screening/figures/", views.overview, name="overview"),
    path("screening/rounds/<int:pk>/", views.round_detail, name="round"),
    path("screening/rounds/<int:pk>/close/", views.round_close, name="close"),
    path("screening/rounds/<int:pk>/classes/<int:group_pk>/", views.rate, name="rate"),
    path(
        "screening/rounds/<int:pk>/classes/<int:group_pk>/children/<int:child_pk>/",
        views.rate_child,
        name="rate_child",
    ),
    path(
        "screening/rounds/<int:pk>/classes/<int:group_pk>/movement/",
        views.class_movement,
        name="movement",
    ),
    path(
        "screening/rounds/<int:pk>/flags/<int:rating_pk>/",
        views.flag,
        name="flag",
    ),
]
