from django.urls import path

from earlyhelp.programmes.views import page, reports

app_name = "programmes"

urlpatterns = [
    # --- Set-up: the list, a programme's set-up, action areas (views/setup.py) ---
    # --- The figures page and the computation on demand (views/page.py) ---
    path("<int:pk>/", page.detail, name="detail"),
    path("<int:pk>/compute/", page.compute, name="compute"),
    # --- The funder's reports (views/reports.py) ---
    path("<int:pk>/reports/", reports.report_list, name="reports"),
    path("<int:pk>/reports/new/", reports.report_create, name="report_create"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/release/", reports.report_release, name="report_release"),
    path("reports/<int:pk>/pdf/", reports.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/xlsx/", reports.report_xlsx, name="report_xlsx"),
    # --- end of the funder's reports ---
]
