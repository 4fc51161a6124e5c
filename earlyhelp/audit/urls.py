from django.urls import path

from earlyhelp.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("exports/", views.audit_export_start, name="export"),
    path("exports/<int:pk>/", views.audit_export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.audit_export_download, name="export_download"),
    path("verify/", views.audit_verify_now, name="verify"),
]
