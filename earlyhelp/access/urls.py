from django.urls import path

from earlyhelp.access import views

app_name = "access"

urlpatterns = [
    path("break-glass/", views.break_glass, name="break_glass"),
    path("break-glass/log/", views.break_glass_log, name="break_glass_log"),
    path("break-glass/<int:pk>/reviewed/", views.break_glass_reviewed, name="break_glass_reviewed"),
    path("break-glass/<int:pk>/end/", views.break_glass_ended, name="break_glass_end"),
]
