from django.urls import path

from earlyhelp.organisations import views

app_name = "organisations"

urlpatterns = [
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/approve/", views.approve, name="approval_approve"),
    path("approvals/<int:pk>/refuse/", views.refuse, name="approval_refuse"),
]
