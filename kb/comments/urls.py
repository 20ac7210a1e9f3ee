"""Comment URLs: items are addressed as /comments/on/<kind>/<slug>/, comments by id."""

from django.urls import path

from kb.comments import views

app_name = "comments"
urlpatterns = [
    path("on/<slug:kind>/<slug:slug>/", views.comment_post, name="post"),
    path("<int:pk>/edit/", views.comment_edit, name="edit"),
    path("<int:pk>/delete/", views.comment_delete, name="delete"),
    path("<int:pk>/hide/", views.comment_hide, name="hide"),
    path("<int:pk>/unhide/", views.comment_unhide, name="unhide"),
]
