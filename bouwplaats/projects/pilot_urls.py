"""The pilots list at ``/pilots/`` (a pilot's own pages stay under ``/oproepen/pilots/``)."""

from django.urls import path

from . import views

app_name = "pilots"
urlpatterns = [
    path("", views.pilot_list, name="list"),
]
