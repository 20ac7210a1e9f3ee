from django.urls import path

from kb.home import feeds, views

urlpatterns = [
    path("", views.home, name="home"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag_detail"),
    path("feeds/<str:token>/latest.atom", feeds.latest_feed, name="latest_feed"),
    path("feeds/reset/", feeds.feed_reset, name="feed_reset"),
]
