from django.urls import path

from earlyhelp.fostercare import views

app_name = "fostercare"

urlpatterns = [
    path("", views.household_list, name="list"),
    path("overview/", views.overview, name="overview"),
    path("new/", views.household_new, name="new"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/carers/new/", views.carer_new, name="carer_new"),
    path("<int:pk>/placements/new/", views.placement_new, name="placement_new"),
    path(
        "<int:pk>/placements/<int:placement_pk>/edit/",
        views.placement_edit,
        name="placement_edit",
    ),
    path("<int:pk>/agreements/new/", views.agreement_new, name="agreement_new"),
    path(
        "<int:pk>/agreements/<int:agreement_pk>/edit/",
        views.agreement_edit,
        name="agreement_edit",
    ),
    path("<int:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("<int:pk>/trainings/new/", views.training_new, name="training_new"),
    path("<int:pk>/respite/new/", views.respite_new, name="respite_new"),
    path("<int:pk>/steps/", views.step_set, name="step"),
    path("<int:pk>/plan/new/", views.development_new, name="development_new"),
    path("<int:pk>/plan/<int:item_pk>/done/", views.development_done, name="development_done"),
]
