from django.urls import path

from earlyhelp.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="list"),
    path("cases/open/", views.case_open, name="open"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/chronology/", views.case_chronology, name="chronology"),
    path("cases/<int:pk>/map/", views.case_map, name="case_map"),
    path("cases/<int:pk>/programmes-and-outcomes/", views.case_outcomes, name="case_outcomes"),
    path("cases/<int:pk>/work/", views.case_work, name="case_work"),
    path("cases/<int:pk>/entries/", views.entry_add, name="entry_add"),
    path("cases/<int:pk>/chronology.pdf", views.chronology_pdf, name="chronology_pdf"),
    path("cases/<int:pk>/team/", views.member_add, name="member_add"),
    path("cases/<int:pk>/team/<int:member_pk>/leave/", views.member_leave, name="member_leave"),
    path("cases/<int:pk>/concerns/", views.concern_link, name="concern_link"),
    path("cases/<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("cases/<int:pk>/allocate/", views.case_allocate, name="allocate"),
    path("cases/<int:pk>/close/", views.case_close, name="close"),
    path("cases/<int:pk>/programmes/", views.case_programmes, name="programmes"),
    path("cases/<int:pk>/problem-map/", views.problem_map, name="problem_map"),
    path("cases/<int:pk>/goals/", views.goal_add, name="goal_add"),
    path("cases/<int:pk>/goals/<int:goal_pk>/status/", views.goal_status, name="goal_status"),
    path("cases/<int:pk>/goals/<int:goal_pk>/steps/", views.action_add, name="action_add"),
    path("cases/<int:pk>/steps/<int:action_pk>/status/", views.action_status, name="action_status"),
    path("cases/<int:pk>/review/", views.plan_review, name="review"),
    path("cases/<int:pk>/referrals/", views.referral_add, name="referral_add"),
    path("cases/<int:pk>/documents/", views.document_add, name="document_add"),
    path(
        "cases/<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="document",
    ),
    path("cases/<int:pk>/conferences/", views.conference_add, name="conference_add"),
    path(
        "cases/<int:pk>/conferences/<int:conference_pk>/",
        views.conference_detail,
        name="conference",
    ),
    path(
        "cases/<int:pk>/conferences/<int:conference_pk>/decisions/",
        views.decision_add,
        name="decision_add",
    ),
    path(
        "cases/<int:pk>/referrals/<int:referral_pk>/",
        views.referral_update,
        name="referral_update",
    ),
    path("cases/<int:pk>/outcomes/", views.outcome_add, name="outcome_add"),
    path(
        "cases/<int:pk>/outcomes/<int:outcome_pk>/remove/",
        views.outcome_remove,
        name="outcome_remove",
    ),
]
