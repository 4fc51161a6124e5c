from django.urls import path  # noqa: F401

app_name = "programmes"

urlpatterns = [
    # --- Set-up: the list, a programme's set-up, action areas (views/setup.py) ---
    # --- The figures page and the computation on demand (views/page.py) ---
    # --- The funder's reports (views/reports.py) ---
]

# --- A new programme from a shipped template (views/templates.py) ---
from earlyhelp.programmes.views import templates as template_views  # noqa: E402

urlpatterns += [
    path("new/from-template/", template_views.from_template, name="from_template"),
]
