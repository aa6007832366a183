from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("sleutels/", views.tokens, name="tokens"),
    path("sleutels/<int:pk>/intrekken/", views.token_revoke, name="token_revoke"),
    path("organisaties/", views.memberships, name="memberships"),
    path("organisaties/verzoeken/", views.membership_queue, name="membership_queue"),
    path("organisaties/lidmaatschap/<int:pk>/", views.membership_decide, name="membership_decide"),
    path("organisaties/<int:pk>/", views.organisation_manage, name="organisation"),
    path("organisaties/<int:pk>/verlaten/", views.membership_leave, name="membership_leave"),
    path(
        "organisaties/domein/<int:pk>/verwijderen/",
        views.organisation_domain_remove,
        name="organisation_domain_remove",
    ),
    path("gegevens.json", views.export, name="export"),
    path("verwijderen/", views.delete, name="delete"),
]
