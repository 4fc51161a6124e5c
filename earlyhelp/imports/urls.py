from django.urls import path

from earlyhelp.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_new, name="new"),
    path("template.csv", views.import_template, {"extension": "csv"}, name="template_csv"),
    path("template.xlsx", views.import_template, {"extension": "xlsx"}, name="template_xlsx"),
    path("mappings/", views.mapping_list, name="mappings"),
    path("mappings/new/", views.mapping_edit, name="mapping_new"),
    path("mappings/<int:pk>/", views.mapping_edit, name="mapping"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/status/", views.import_status, name="status"),
    path("<int:pk>/decide/", views.import_decide, name="decide"),
    path("<int:pk>/apply/", views.import_apply, name="apply"),
    path("<int:pk>/discard/", views.import_discard, name="discard"),
    path("<int:pk>/report.csv", views.import_report, {"extension": "csv"}, name="report_csv"),
    path("<int:pk>/report.xlsx", views.import_report, {"extension": "xlsx"}, name="report_xlsx"),
]
