from django.urls import include, path

app_name = "knowledge"

urlpatterns = [
    path("", include("earlyhelp.knowledge.urls_catalogue")),
    path("", include("earlyhelp.knowledge.urls_items")),
    path("", include("earlyhelp.knowledge.urls_partners")),
    path("", include("earlyhelp.knowledge.urls_outcomes")),
    path("", include("earlyhelp.knowledge.urls_reviews")),
]
