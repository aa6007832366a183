from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_index, name="list"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/bewerken/", views.programme_edit, name="edit"),
]
