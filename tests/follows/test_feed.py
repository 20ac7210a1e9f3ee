"""The private Atom feed follows the reader's choices: what they follow when they follow
anything, everything otherwise. Read with feedparser, as a feed reader would."""

import feedparser
from django.test import Client
from taggit.models import Tag

from kb.follows.services import follow_add
from kb.home.feeds import feed_url
from tests.factories import ArticleFactory, CaseStudyFactory, DepartmentFactory, PlatformFactory


def read_feed(user) -> feedparser.FeedParserDict:
    response = Client().get(feed_url(user))
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_someone_who_follows_nothing_gets_everything(reader, settings) -> None:
    settings.SITE_NAME = "the KB"
    ArticleFactory(title="Any guide")
    CaseStudyFactory(title="Any story")
    parsed = read_feed(reader)
    assert parsed.feed.title == "New in the KB"
    assert sorted(entry.title for entry in parsed.entries) == [
        "Article: Any guide",
        "Case study: Any story",
    ]


def test_a_follower_gets_only_what_they_follow_and_the_feed_says_so(reader, settings) -> None:
    settings.SITE_NAME = "the KB"
    platform = PlatformFactory(name="TikTok")
    ArticleFactory(title="Video guide", tags=["Video"])
    CaseStudyFactory(title="TikTok story", platforms=[platform])
    ArticleFactory(title="Budget guide", tags=["Budgets"])
    follow_add(user=reader, target=Tag.objects.get(name="Video"))
    follow_add(user=reader, target=platform)
    parsed = read_feed(reader)
    assert parsed.feed.title == "New in what you follow in the KB"
    assert "you follow" in parsed.feed.subtitle
    assert sorted(entry.title for entry in parsed.entries) == [
        "Article: Video guide",
        "Case study: TikTok story",
    ]


def test_following_something_with_nothing_new_gives_an_empty_feed_not_everything(reader) -> None:
    ArticleFactory(title="Unrelated")
    follow_add(user=reader, target=DepartmentFactory())
    assert read_feed(reader).entries == []
