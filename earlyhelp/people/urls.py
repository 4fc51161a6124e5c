from django.urls import path

from earlyhelp.people import views

app_name = "people"

urlpatterns = [
    path("children/", views.child_list, name="child_list"),
    path("children/new/", views.child_create, name="child_create"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("children/<int:pk>/family/", views.child_family, name="child_family"),
    path("children/<int:pk>/help/", views.child_help, name="child_help"),
    path("children/<int:pk>/history/", views.child_history, name="child_history"),
    path("children/<int:pk>/readers/", views.child_readers, name="child_readers"),
    path("children/<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("children/<int:pk>/adults/new/", views.adult_add, name="adult_add"),
    path(
        "children/<int:pk>/relationships/<int:relationship_pk>/edit/",
        views.relationship_edit,
        name="relationship_edit",
    ),
    path("children/<int:pk>/enrolments/new/", views.enrolment_add, name="enrolment_add"),
    path(
        "children/<int:pk>/enrolments/<int:enrolment_pk>/end/",
        views.enrolment_end,
        name="enrolment_end",
    ),
    path("children/<int:pk>/consents/new/", views.consent_create, name="consent_create"),
    path(
        "children/<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("adults/<int:pk>/", views.adult_detail, name="adult_detail"),
    path("adults/<int:pk>/edit/", views.adult_edit, name="adult_edit"),
]
