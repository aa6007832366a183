from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("organiseer/", views.session_create, name="create"),
    path("facilitering/", views.facilitation_queue, name="queue"),
    path("programma/<slug:slug>.ics", views.programme_calendar, name="programme_feed"),
    path("uitnodiging/<str:token>/", views.cohost_invitation, name="cohost_invitation"),
    path(
        "uitnodiging/<str:token>/aanvaarden/",
        views.cohost_invitation_accept,
        name="cohost_invitation_accept",
    ),
    path(
        "uitnodiging/<str:token>/afslaan/",
        views.cohost_invitation_decline,
        name="cohost_invitation_decline",
    ),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/sessie.ics", views.session_calendar, name="ics"),
    path("<int:pk>/aanmelden/", views.session_register, name="register"),
    path("<int:pk>/afmelden/", views.registration_cancel, name="unregister"),
    path("<int:pk>/beheer/", views.session_manage, name="manage"),
    path("<int:pk>/wijzigen/", views.session_edit, name="edit"),
    path("<int:pk>/annuleren/", views.session_cancel, name="cancel"),
    path("<int:pk>/facilitering/", views.session_request_facilitation, name="request_facilitation"),
    path("<int:pk>/publiceren/", views.session_publish, name="publish"),
    path("<int:pk>/faciliteren/", views.session_facilitation_accept, name="facilitation_accept"),
    path("<int:pk>/terugsturen/", views.session_send_back, name="send_back"),
    path("<int:pk>/bericht/", views.session_message, name="message"),
    path(
        "<int:pk>/mede-organisatoren/<int:user_pk>/verwijderen/",
        views.cohost_remove,
        name="cohost_remove",
    ),
    path(
        "<int:pk>/uitnodigingen/<int:invitation_pk>/intrekken/",
        views.cohost_invitation_withdraw,
        name="cohost_withdraw",
    ),
    path("<int:pk>/deelnemers.<str:fmt>", views.participants_export, name="export"),
    path(
        "<int:pk>/aanmeldingen/<int:registration_pk>/goedkeuren/",
        views.registration_approve,
        name="approve",
    ),
    path(
        "<int:pk>/aanmeldingen/goedkeuren/",
        views.registration_approve_many,
        name="approve_many",
    ),
    path(
        "<int:pk>/aanmeldingen/<int:registration_pk>/plaats-geven/",
        views.registration_promote,
        name="promote",
    ),
    path(
        "<int:pk>/aanmeldingen/<int:registration_pk>/afwijzen/",
        views.registration_decline,
        name="decline",
    ),
]
