"""URLs of following: the Following page, follow and unfollow, the digest setting and the
unsubscribe link of digest e-mails."""

from django.urls import path

from kb.follows import views

app_name = "follows"
urlpatterns = [
    path("", views.following, name="following"),
    path("digest/", views.digest_settings, name="digest"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:key>/<int:pk>/follow/", views.follow, name="follow"),
    path("<slug:key>/<int:pk>/unfollow/", views.unfollow, name="unfollow"),
]
