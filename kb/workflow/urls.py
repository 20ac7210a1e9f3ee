from django.urls import path

from kb.workflow import views

app_name = "workflow"
urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("review/", views.review_queue, name="review_queue"),
    path("trash/", views.trash, name="trash"),
    path("items/<slug:kind>/<slug:slug>/<slug:action>/", views.content_action, name="action"),
]
