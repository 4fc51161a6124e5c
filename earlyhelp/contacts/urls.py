from django.urls import path

from earlyhelp.contacts import views

app_name = "contacts"

urlpatterns = [
    path("", views.arrangement_list, name="list"),
    path("new/", views.arrangement_new, name="new"),
    path("calendar/", views.calendar, name="calendar"),
    path("<int:pk>/", views.arrangement_detail, name="detail"),
    path("<int:pk>/edit/", views.arrangement_edit, name="edit"),
    path("<int:pk>/stage/", views.arrangement_stage, name="stage"),
    path("<int:pk>/plan/", views.series_plan, name="plan"),
    path("<int:pk>/shift/", views.series_shift, name="shift"),
    path("<int:pk>/meetings/<int:meeting_pk>/", views.meeting_record, name="meeting"),
    path("<int:pk>/meetings/<int:meeting_pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/reports/new/", views.report_new, name="report_new"),
    path("<int:pk>/reports/<int:report_pk>/", views.report_detail, name="report"),
    path("<int:pk>/reports/<int:report_pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/reports/<int:report_pk>/review/", views.report_review, name="report_review"),
    path("<int:pk>/reports/<int:report_pk>/pdf/", views.report_download, name="report_pdf"),
]
