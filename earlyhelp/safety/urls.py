from django.urls import path

from earlyhelp.safety import views

app_name = "safety"

urlpatterns = [
    path("safety/meetings/", views.meeting_list, name="meetings"),
    path("safety/meetings/new/", views.meeting_new, name="meeting_new"),
    path("safety/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("cases/<int:pk>/safety/", views.safety_page, name="page"),
    path("cases/<int:pk>/safety/summary/", views.case_tools, name="case_tools"),
    path("cases/<int:pk>/safety/mapping/", views.mapping_add, name="mapping_add"),
    path(
        "cases/<int:pk>/safety/mapping/<int:item_pk>/withdraw/",
        views.mapping_withdraw,
        name="mapping_withdraw",
    ),
    path("cases/<int:pk>/safety/statements/", views.statement_write, name="statement"),
    path("cases/<int:pk>/safety/scaling/", views.scaling_add, name="scaling_add"),
    path("cases/<int:pk>/safety/three-houses/", views.three_houses_add, name="three_houses"),
    path(
        "cases/<int:pk>/safety/three-houses/<int:houses_pk>/drawing/",
        views.drawing,
        name="drawing",
    ),
    path("cases/<int:pk>/safety/network/", views.network_add, name="network_add"),
    path("cases/<int:pk>/safety/rules/", views.rule_add, name="rule_add"),
]
