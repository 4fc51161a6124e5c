from django.urls import path

from earlyhelp.knowledge.views import catalogue

urlpatterns = [
    path("methods/", catalogue.catalogue, name="catalogue"),
    path("methods/new/", catalogue.method_create_view, name="method_create"),
    path("methods/<int:pk>/", catalogue.method, name="method"),
    path("methods/<int:pk>/edit/", catalogue.method_edit, name="method_edit"),
    path("evidence/<int:pk>/", catalogue.evidence_scale, name="evidence_scale"),
    path("evidence/steps/<int:pk>/", catalogue.evidence_level_edit, name="evidence_level_edit"),
]
