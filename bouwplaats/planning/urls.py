from django.urls import path

from bouwplaats.core.page_cache import visitor_page_cache

from . import initiative_views, views

app_name = "planning"
urlpatterns = [
    path("", views.planning_map, name="map"),
    path("kaart.json", views.map_feed, name="map_feed"),
    path("lijst/", views.work_list, name="list"),
    path("export.csv", views.work_export, name="export"),
    path("nieuw/", views.work_create, name="create"),
    path("uploaden/", views.work_upload, name="upload"),
    path("<int:pk>/", views.work_detail, name="detail"),
    path("<int:pk>/bewerken/", views.work_update, name="update"),
    path("<int:pk>/combinatieverzoek/<int:other>/", views.request_send, name="request_send"),
    path("verzoeken/", views.request_list, name="requests"),
    path("verzoeken/<int:pk>/accepteren/", views.request_accept, name="request_accept"),
    path("verzoeken/<int:pk>/afwijzen/", views.request_decline, name="request_decline"),
    path("verzoeken/<int:pk>/ongedaan/", views.request_undo, name="request_undo"),
    path("samen/<int:pk>/", views.joint_detail, name="joint"),
    path("interessegebieden/", views.zone_list, name="zones"),
    path("interessegebieden/<int:pk>/verwijderen/", views.zone_delete, name="zone_delete"),
    path("initiatieven/", views.initiatives, name="initiatives"),
    path("initiatieven/<int:pk>/", initiative_views.initiative_detail, name="initiative"),
    path(
        "initiatieven/<int:pk>/besluit/",
        initiative_views.initiative_accept,
        name="initiative_decide",
    ),
    path(
        "initiatieven/<int:pk>/afwijzen/",
        initiative_views.initiative_decline,
        name="initiative_decline",
    ),
    path(
        "initiatieven/<int:pk>/intrekken/",
        initiative_views.initiative_withdraw,
        name="initiative_withdraw",
    ),
    # The residents' map, the same for every visitor: cached (core.page_cache), works saved
    # show within settings.VISITOR_PAGE_CACHE_SECONDS.
    path("in-uw-straat/", visitor_page_cache("planning")(views.public_map), name="public"),
    path("in-uw-straat/kaart.json", views.public_map_feed, name="public_feed"),
    path("in-uw-straat/volgen/", views.follow_start, name="follow"),
    path("straat/bevestigen/<str:token>/", views.follow_confirm, name="follow_confirm"),
    path("straat/afmelden/<str:token>/", views.follow_stop, name="follow_stop"),
]
