from django.urls import path

from earlyhelp.knowledge.views import outcomes

urlpatterns = [
    path("outcomes/", outcomes.overview, name="outcomes"),
    path("methods/<int:pk>/outcomes/", outcomes.method_outcomes, name="method_outcomes"),
]
