"""Image uploads from the editor and the files they are served from."""

from django.urls import path

from kb.uploads import views

app_name = "uploads"
urlpatterns = [
    path("images/", views.image_create, name="image_create"),
    path("files/<path:name>", views.image_file, name="file"),
]
