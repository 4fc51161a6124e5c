from django.urls import path

from earlyhelp.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("look-again/", views.propose_now, name="propose"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/decide/", views.batch_decide, name="decide"),
    path("holds/", views.holds, name="holds"),
    path("holds/new/", views.hold_add, name="hold_add"),
    path("holds/<int:pk>/lift/", views.hold_end, name="hold_lift"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_add, name="request_add"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/extend/", views.request_extend_view, name="request_extend"),
    path("requests/<int:pk>/answer/", views.request_answer_view, name="request_answer"),
    path("requests/<int:pk>/lift-restriction/", views.request_lift, name="request_lift"),
    path("requests/<int:pk>/copy.pdf", views.request_copy, {"extension": "pdf"}, name="copy_pdf"),
    path(
        "requests/<int:pk>/copy.json", views.request_copy, {"extension": "json"}, name="copy_json"
    ),
]
