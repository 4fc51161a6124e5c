from django.urls import path

from earlyhelp.knowledge.views import items as views

urlpatterns = [
    path("own-methods/", views.items_index, name="items_index"),
    path("own-methods/<int:service_pk>/<slug:kind>/", views.items_page, name="items"),
]
