"""The pilots list at ``/pilots/`` and a pilot's own pages under ``/pilots/<id>/``."""

from django.urls import path

from . import views

app_name = "pilots"
urlpatterns = [
    path("", views.pilot_list, name="list"),
    path("<int:pk>/", views.pilot_detail, name="detail"),
    path("<int:pk>/rapportage/", views.pilot_report, name="report"),
    path("<int:pk>/mijlpaal/", views.pilot_milestone, name="milestone"),
    path("<int:pk>/hulpvraag/", views.pilot_support, name="support"),
    path("<int:pk>/hulpvraag/<int:request_pk>/", views.support_answer, name="support_answer"),
    path("<int:pk>/evaluatie/", views.pilot_evaluation, name="evaluation"),
]
