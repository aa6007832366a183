from django.urls import path

from . import views

app_name = "spaces"
urlpatterns = [
    path("sessie/<int:session_pk>/", views.session_space, name="session"),
    path("sessie/<int:session_pk>/reacties/", views.comment_create, name="comment_create"),
    path("sessie/<int:session_pk>/fotos/", views.photo_upload, name="photo_upload"),
    path("sessie/<int:session_pk>/documenten/", views.document_upload, name="document_upload"),
    path("sessie/<int:session_pk>/toegang/", views.policy, name="policy"),
    path("sessie/<int:session_pk>/dagelijkse-mail/", views.digest, name="digest"),
    path("reactie/<int:pk>/bewerken/", views.comment_edit, name="comment_edit"),
    path("reactie/<int:pk>/verwijderen/", views.comment_delete, name="comment_delete"),
    path("reactie/<int:pk>/verbergen/", views.comment_hide, name="comment_hide"),
    path("foto/<int:pk>/", views.photo_file, name="photo"),
    path("foto/<int:pk>/miniatuur/", views.photo_thumbnail, name="photo_thumbnail"),
    path("foto/<int:pk>/verwijderen/", views.photo_delete, name="photo_delete"),
    path("document/<int:pk>/download/", views.document_download, name="document"),
    path("document/<int:pk>/verwijderen/", views.document_delete, name="document_delete"),
]
