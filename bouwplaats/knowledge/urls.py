from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.item_create, name="item_create"),
    path("les/nieuw/", views.lesson_create, name="lesson_create"),
    path("<int:pk>/", views.item_detail, name="item"),
    path("<int:pk>/wijzigen/", views.item_edit, name="item_edit"),
    path("<int:pk>/beheer/", views.item_curate, name="item_curate"),
    path("vragen/", views.question_list, name="questions"),
    path("vragen/nieuw/", views.question_create, name="question_create"),
    path("vragen/vergelijkbaar/", views.question_similar, name="question_similar"),
    path("vragen/<int:pk>/", views.question_detail, name="question"),
    path("vragen/<int:pk>/wijzigen/", views.question_edit, name="question_edit"),
    path("vragen/<int:pk>/antwoorden/", views.answer_create, name="answer_create"),
    path("vragen/<int:pk>/volgen/", views.question_follow, name="question_follow"),
    path("antwoorden/<int:pk>/wijzigen/", views.answer_edit, name="answer_edit"),
    path("antwoorden/<int:pk>/accepteren/", views.answer_accept, name="answer_accept"),
    path("antwoorden/<int:pk>/stemmen/", views.answer_vote, name="answer_vote"),
    path("antwoorden/<int:pk>/vastleggen/", views.answer_promote, name="answer_promote"),
    path("cursussen/", views.courses, name="courses"),
]
