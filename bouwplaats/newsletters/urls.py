from django.urls import path

from . import views

app_name = "newsletters"
urlpatterns = [
    path("", views.index, name="index"),
    path("mijn/", views.mine, name="mine"),
    path("bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("uitgave/<int:pk>/", views.issue_manage, name="manage"),
    path("uitgave/<int:pk>/bewerken/", views.issue_edit, name="edit"),
    path("uitgave/<int:pk>/voorbeeld/", views.issue_preview, name="preview"),
    path("uitgave/<int:pk>/voorbeeld.html", views.issue_preview_html, name="preview_html"),
    path("uitgave/<int:pk>/test/", views.issue_test, name="test"),
    path("uitgave/<int:pk>/verzenden/", views.issue_send, name="send"),
    path("uitgave/<int:pk>/plannen/", views.issue_schedule, name="schedule"),
    path("uitgave/<int:pk>/hervatten/", views.issue_resume, name="resume"),
    path("uitgave/<int:pk>/voortgang/", views.issue_progress, name="progress"),
    path("<slug:slug>/", views.list_detail, name="list"),
    path("<slug:slug>/aanmelden/", views.subscribe, name="subscribe"),
    path("<slug:slug>/nieuw/", views.issue_new, name="new"),
    path("<slug:slug>/abonnees/", views.subscribers, name="subscribers"),
    path("<slug:slug>/abonnees.<str:fmt>", views.subscribers_export, name="subscribers_export"),
    path(
        "<slug:slug>/abonnees/<int:pk>/afmelden/",
        views.subscriber_unsubscribe,
        name="subscriber_unsubscribe",
    ),
    path("<slug:slug>/<int:pk>/", views.issue_detail, name="issue"),
]
