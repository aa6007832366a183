"""Mijn Bouwplaats (at /mijn-bouwplaats/): the member's own page and personal calendar feed."""

from django.urls import path

from . import views

app_name = "mine"
urlpatterns = [
    path("", views.my_bouwplaats, name="index"),
    path("berichten/", views.my_host_notices, name="host_notices"),
    path("agenda/nieuw/", views.my_calendar_token, name="calendar_token"),
    path("agenda/<str:token>.ics", views.my_calendar_feed, name="calendar_feed"),
]
