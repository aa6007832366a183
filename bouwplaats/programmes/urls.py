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
    path("<slug:slug>/aansturing/", views.body_index, name="bodies"),
    path("<slug:slug>/aansturing/nieuw/", views.body_add, name="body_add"),
    path("<slug:slug>/aansturing/<int:pk>/", views.body_edit, name="body_edit"),
    path("<slug:slug>/aansturing/<int:pk>/verwijderen/", views.body_remove, name="body_remove"),
    path(
        "<slug:slug>/aansturing/<int:pk>/leden/nieuw/",
        views.body_member_add,
        name="body_member_add",
    ),  # fmt: skip
    path(
        "<slug:slug>/aansturing/<int:pk>/leden/<int:item>/",
        views.body_member_edit,
        name="body_member_edit",
    ),
    path(
        "<slug:slug>/aansturing/<int:pk>/vergaderingen/<int:item>/",
        views.body_meeting_edit,
        name="body_meeting_edit",
    ),
    path(
        "<slug:slug>/aansturing/<int:pk>/leden/<int:item>/verwijderen/",
        views.body_member_remove,
        name="body_member_remove",
    ),  # fmt: skip
    path(
        "<slug:slug>/aansturing/<int:pk>/vergaderingen/nieuw/",
        views.body_meeting_add,
        name="body_meeting_add",
    ),  # fmt: skip
    path(
        "<slug:slug>/aansturing/<int:pk>/vergaderingen/<int:item>/verwijderen/",
        views.body_meeting_remove,
        name="body_meeting_remove",
    ),  # fmt: skip
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
