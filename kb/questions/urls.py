"""Ask-an-advocate URLs: the lists, asking, routing, the thread and its actions."""

from django.urls import path

from kb.questions import views

app_name = "questions"
urlpatterns = [
    path("", views.question_list, name="list"),
    path("ask/", views.question_ask, name="ask"),
    path("<int:pk>/", views.question_detail, name="detail"),
    path("<int:pk>/route/", views.question_route, name="route"),
    path("<int:pk>/answer/", views.answer_create, name="answer"),
    path("<int:pk>/answered/", views.question_answered, name="answered"),
    path("<int:pk>/delete/", views.question_delete, name="delete"),
    path("<int:pk>/moderate/", views.question_moderate, name="moderate"),
    path("answers/<int:pk>/most-useful/", views.answer_most_useful, name="most_useful"),
    path("answers/<int:pk>/delete/", views.answer_delete, name="answer_delete"),
    path("answers/<int:pk>/moderate/", views.answer_moderate, name="answer_moderate"),
    path("answers/<int:pk>/article/", views.answer_article, name="answer_article"),
]
