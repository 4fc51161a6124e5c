from django.urls import path

from earlyhelp.absences import views

app_name = "absences"

urlpatterns = [
    path("absences/", views.absence_register, name="list"),
    path("absences/<int:pk>/excuse/", views.absence_excuse, name="excuse"),
]
