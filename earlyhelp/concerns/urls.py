from django.urls import path

from earlyhelp.concerns import views, views_received

app_name = "concerns"

urlpatterns = [
    path("concerns/new/", views.concern_report, name="report"),
    path("concerns/mine/", views.my_concerns, name="mine"),
    path("concerns/record/", views_received.concern_record, name="record"),
    path("concerns/<int:pk>/written-signal/", views_received.written_signal, name="follow_up"),
    path(
        "concerns/<int:pk>/confidential/",
        views_received.concern_mark_confidential,
        name="confidential",
    ),
    path("concerns/queue/", views.triage_queue, name="queue"),
    path("concerns/institution/", views.institution_concerns, name="institution"),
    path("concerns/figures/", views.concern_dashboard, name="dashboard"),
    path("concerns/<int:pk>/", views.concern_detail, name="detail"),
    path("concerns/<int:pk>/edit/", views.concern_report, name="edit"),
    path("concerns/<int:pk>/sent/", views.concern_sent, name="sent"),
    path("concerns/<int:pk>/acknowledge/", views.concern_acknowledge, name="acknowledge"),
    path("concerns/<int:pk>/decide/", views.concern_decide, name="decide"),
    path("concerns/<int:pk>/messages/", views.concern_message, name="message"),
    path("concerns/<int:pk>/close/", views.concern_close, name="close"),
    path(
        "concerns/<int:pk>/children/<int:link_pk>/match/",
        views.concern_match_child,
        name="match_child",
    ),
    path(
        "concerns/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("concerns/<int:pk>/form.pdf", views.official_form, name="official_form"),
]
