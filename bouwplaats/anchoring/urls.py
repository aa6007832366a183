"""Pages of verankering under /programmas/<slug>/: included before the programmes' own urls,
so every path here has a segment after the programme's slug."""

from django.urls import path

from . import views

app_name = "anchoring"
urlpatterns = [
    path("<slug:slug>/koffertjes/", views.koffertjes, name="koffertjes"),
    path("<slug:slug>/koffertjes/pdf/", views.koffertjes_pdf, name="koffertjes_pdf"),
    path("<slug:slug>/koffertjes/<slug:region>/", views.koffertje_detail, name="koffertje"),
    path(
        "<slug:slug>/koffertjes/<slug:region>/inrichten/",
        views.koffertje_setup,
        name="koffertje_setup",
    ),
    path(
        "<slug:slug>/koffertjes/<slug:region>/<int:pk>/",
        views.koffertje_item_edit,
        name="koffertje_item",
    ),
    path(
        "<slug:slug>/koffertjes/<slug:region>/<int:pk>/verwijderen/",
        views.koffertje_item_delete,
        name="koffertje_item_delete",
    ),
    path("<slug:slug>/stakeholders/", views.stakeholders, name="stakeholders"),
    path(
        "<slug:slug>/stakeholders.<str:fmt>",
        views.stakeholders_export,
        name="stakeholders_export",
    ),
    path("<slug:slug>/stakeholders/<int:pk>/", views.stakeholder_detail, name="stakeholder"),
    path(
        "<slug:slug>/stakeholders/<int:pk>/inschatten/",
        views.stakeholder_rate,
        name="stakeholder_rate",
    ),
    path(
        "<slug:slug>/stakeholders/<int:pk>/contactpersoon/",
        views.stakeholder_person_add,
        name="stakeholder_person",
    ),
    path(
        "<slug:slug>/stakeholders/<int:pk>/contactpersoon/<int:person>/verwijderen/",
        views.stakeholder_person_remove,
        name="stakeholder_person_remove",
    ),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
]
