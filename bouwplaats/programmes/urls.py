from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_index, name="list"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/bewerken/", views.programme_edit, name="edit"),
    path("<slug:slug>/tijdlijn/", views.milestone_index, name="timeline"),
    path("<slug:slug>/tijdlijn/nieuw/", views.milestone_add, name="milestone_add"),
    path("<slug:slug>/tijdlijn/<int:pk>/", views.milestone_edit, name="milestone_edit"),
    path("<slug:slug>/partners/", views.partner_index, name="partners"),
    path("<slug:slug>/partners/nieuw/", views.partner_add, name="partner_add"),
    path("<slug:slug>/partners/<int:pk>/", views.partner_edit, name="partner_edit"),
    path(
        "<slug:slug>/partners/<int:pk>/verwijderen/",
        views.partner_remove,
        name="partner_remove",
    ),
    path(
        "<slug:slug>/tijdlijn/<int:pk>/verwijderen/",
        views.milestone_remove,
        name="milestone_remove",
    ),
]
