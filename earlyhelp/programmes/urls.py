from django.urls import path  # noqa: F401

app_name = "programmes"

urlpatterns = [
    # --- Set-up: the list, a programme's set-up, action areas (views/setup.py) ---
    # --- The figures page and the computation on demand (views/page.py) ---
    # --- The funder's reports (views/reports.py) ---
]
