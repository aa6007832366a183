from django.urls import path
from django.views.generic import RedirectView

from . import views


def _moved(name: str):
    return RedirectView.as_view(pattern_name=name, permanent=True, query_string=True)


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
    # A pilot's pages moved to /pilots/<id>/: the old addresses (in mails already sent)
    # answer 301 with their query string.
    path("pilots/<int:pk>/", _moved("pilots:detail")),
    path("pilots/<int:pk>/rapportage/", _moved("pilots:report")),
    path("pilots/<int:pk>/mijlpaal/", _moved("pilots:milestone")),
    path("pilots/<int:pk>/hulpvraag/", _moved("pilots:support")),
    path("pilots/<int:pk>/hulpvraag/<int:request_pk>/", _moved("pilots:support_answer")),
    path("pilots/<int:pk>/evaluatie/", _moved("pilots:evaluation")),
    path("aanmeldingen/<int:pk>/beoordeling/", views.review_save, name="review"),
    path("aanmeldingen/<int:pk>/belangenverstrengeling/", views.review_conflict, name="conflict"),
    path("bijlagen/<int:pk>/", views.attachment_download, name="attachment"),
    path("bijlagen/<int:pk>/verwijderen/", views.attachment_delete, name="attachment_delete"),
]
