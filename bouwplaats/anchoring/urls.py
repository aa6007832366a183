from django.urls import path  # noqa: F401 - pages of this app are added here

app_name = "anchoring"
urlpatterns: list = []
