from django.urls import path

from earlyhelp.programmes.views import page, reports, setup

app_name = "programmes"

urlpatterns = [
    # --- Set-up: the list, a programme's set-up, action areas (views/setup.py) ---
    path("", setup.programme_list, name="list"),
    path("new/", setup.programme_create, name="create"),
    path("<int:pk>/edit/", setup.programme_edit, name="edit"),
    path("<int:pk>/setup/", setup.programme_setup, name="setup"),
    path("<int:pk>/setup/documents/new/", setup.document_add, name="document_add"),
    path("<int:pk>/setup/<slug:kind>/new/", setup.item_new, name="item_new"),
    path("<int:pk>/setup/<slug:kind>/<int:item_pk>/", setup.item_edit, name="item_edit"),
    path(
        "<int:pk>/setup/<slug:kind>/<int:item_pk>/remove/",
        setup.item_remove,
        name="item_remove",
    ),
    path("documents/<int:pk>/", setup.document_download, name="document"),
    path("areas/", setup.area_list, name="areas"),
    path("areas/new/", setup.area_create, name="area_create"),
    path("areas/<int:pk>/edit/", setup.area_edit, name="area_edit"),
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

# --- A new programme from a shipped template (views/templates.py) ---
from earlyhelp.programmes.views import templates as template_views  # noqa: E402

urlpatterns += [
    path("new/from-template/", template_views.from_template, name="from_template"),
]
