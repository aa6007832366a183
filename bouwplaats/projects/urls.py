from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.call_list, name="calls"),
    path("nieuw/", views.call_create, name="call_create"),
    path("<int:pk>/", views.call_detail, name="call"),
    path("<int:pk>/wijzigen/", views.call_edit, name="call_edit"),
    path("<int:pk>/aanmelden/", views.submission_create, name="submit"),
    path("<int:pk>/beoordelen/", views.review_queue, name="queue"),
    path("<int:pk>/besluiten-versturen/", views.decisions_send, name="send_decisions"),
    path("aanmeldingen/<int:pk>/", views.submission_detail, name="submission"),
    path("aanmeldingen/<int:pk>/wijzigen/", views.submission_edit, name="submission_edit"),
    path("aanmeldingen/<int:pk>/status/", views.submission_status, name="submission_status"),
    path("pilots/<int:pk>/", views.pilot_detail, name="pilot"),
    path("pilots/<int:pk>/rapportage/", views.pilot_report, name="pilot_report"),
    path("pilots/<int:pk>/mijlpaal/", views.pilot_milestone, name="pilot_milestone"),
    path("pilots/<int:pk>/hulpvraag/", views.pilot_support, name="pilot_support"),
    path(
        "pilots/<int:pk>/hulpvraag/<int:request_pk>/",
        views.support_answer,
        name="support_answer",
    ),
    path("pilots/<int:pk>/evaluatie/", views.pilot_evaluation, name="pilot_evaluation"),
    path("aanmeldingen/<int:pk>/beoordeling/", views.review_save, name="review"),
    path("aanmeldingen/<int:pk>/belangenverstrengeling/", views.review_conflict, name="conflict"),
    path("bijlagen/<int:pk>/", views.attachment_download, name="attachment"),
    path("bijlagen/<int:pk>/verwijderen/", views.attachment_delete, name="attachment_delete"),
]
