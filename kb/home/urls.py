from django.urls import path, register_converter

from kb.core.tags import UnicodeSlugConverter
from kb.home import feeds, views

register_converter(UnicodeSlugConverter, "unicode_slug")

urlpatterns = [
    path("", views.home, name="home"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/<unicode_slug:slug>/", views.tag_detail, name="tag_detail"),
    path("feeds/<str:token>/latest.atom", feeds.latest_feed, name="latest_feed"),
    path("feeds/<str:token>/topics/<unicode_slug:slug>.atom", feeds.topic_feed, name="topic_feed"),
    path(
        "feeds/<str:token>/departments/<slug:slug>.atom",
        feeds.department_feed,
        name="department_feed",
    ),
    path("feeds/<str:token>/advocates/<str:slug>.atom", feeds.advocate_feed, name="advocate_feed"),
    path(
        "feeds/<str:token>/collections/<slug:slug>.atom",
        feeds.collection_feed,
        name="collection_feed",
    ),
    path("feeds/reset/", feeds.feed_reset, name="feed_reset"),
]
