from django.urls import include, path
from django.views.i18n import set_language

from earlyhelp import views as project_views
from earlyhelp.api.api import api
from earlyhelp.organisations.admin import site as admin_site

urlpatterns = [
    path("", project_views.home, name="home"),
    path("health/", project_views.health, name="health"),
    path("accounts/", include("earlyhelp.accounts.urls")),
    path("access/", include("earlyhelp.access.urls")),
    path("organisations/", include("earlyhelp.organisations.urls")),
    path("audit/", include("earlyhelp.audit.urls")),
    path("privacy/", include("earlyhelp.privacy.urls")),
    path("imports/", include("earlyhelp.imports.urls")),
    path("", include("earlyhelp.people.urls")),
    path("", include("earlyhelp.concerns.urls")),
    path("", include("earlyhelp.notifications.urls")),
    path("", include("earlyhelp.absences.urls")),
    path("", include("earlyhelp.cases.urls")),
    path("", include("earlyhelp.safety.urls")),
    path("", include("earlyhelp.activities.urls")),
    path("", include("earlyhelp.screening.urls")),
    path("contacts/", include("earlyhelp.contacts.urls")),
    path("fostercare/", include("earlyhelp.fostercare.urls")),
    path("programmes/", include("earlyhelp.programmes.urls")),
    path("workforce/", include("earlyhelp.workforce.urls")),
    path("knowledge/", include("earlyhelp.knowledge.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin_site.urls),
]
