from django.urls import path  # noqa: F401

from earlyhelp.programmes.views import page

app_name = "programmes"

urlpatterns = [
    # --- Set-up: the list, a programme's set-up, action areas (views/setup.py) ---
    # --- The figures page and the computation on demand (views/page.py) ---
    path("<int:pk>/", page.detail, name="detail"),
    path("<int:pk>/compute/", page.compute, name="compute"),
    # --- The funder's reports (views/reports.py) ---
]
