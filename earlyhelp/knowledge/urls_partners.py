from django.urls import path

from earlyhelp.knowledge.views import offer, partners

urlpatterns = [
    path("partners/", partners.partner_list, name="partners"),
    path("partners/new/", partners.partner_create_view, name="partner_create"),
    path("partners/<int:pk>/", partners.partner_detail, name="partner"),
    path("partners/<int:pk>/edit/", partners.partner_edit, name="partner_edit"),
    path("offer/<int:pk>/", offer.offer, name="offer"),
]
