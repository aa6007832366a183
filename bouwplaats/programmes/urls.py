from django.urls import path

from . import views

app_name = "programmes"


def _rows(route: str, rows: str, name: str, *, parent: str = "") -> list:
    """The add, change and remove pages of one kind of team row (views.TEAM_ROWS) under
    ``route``; ``parent`` is the route of the body a row belongs to, if any."""
    form, remove = views.team_row_form, views.team_row_remove
    own = "<int:item>/" if parent else "<int:pk>/"
    return [
        path(f"{parent}{route}nieuw/", form, {"rows": rows}, name=f"{name}_add"),
        path(f"{parent}{route}{own}", form, {"rows": rows}, name=f"{name}_edit"),
        path(f"{parent}{route}{own}verwijderen/", remove, {"rows": rows}, name=f"{name}_remove"),
    ]


BODY = "<slug:slug>/aansturing/<int:pk>/"

urlpatterns = [
    path("", views.programme_index, name="list"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/bewerken/", views.programme_edit, name="edit"),
    path("<slug:slug>/tijdlijn/", views.milestone_index, name="timeline"),
    path("<slug:slug>/partners/", views.partner_index, name="partners"),
    path("<slug:slug>/aansturing/", views.body_index, name="bodies"),
    *_rows("<slug:slug>/tijdlijn/", "milestone", "milestone"),
    *_rows("<slug:slug>/partners/", "partner", "partner"),
    *_rows("<slug:slug>/aansturing/", "body", "body"),
    *_rows("leden/", "member", "body_member", parent=BODY),
    *_rows("vergaderingen/", "meeting", "body_meeting", parent=BODY),
]
