"""Tags in any language, or of symbols alone, show and link on every page that lists them.

A topic is whatever people type: "café", "日本語", an emoji, "!!!". Each gets its own
working topic page, and no tag can make a page fail for everyone who views it.
"""

import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from kb.home.feeds import feed_url
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    CaseStudyFactory,
    ResearchLinkFactory,
    UserFactory,
)

NAMES = [
    "café",
    "Zürich",
    "日本語",
    "naïve café",
    "🎉",
    "Launch 🚀",
    "MiXeD Case",
    "!!!",
    "---",
    "?",
]

TAG_LINK = re.compile(r'href="(/tags/[^"]+/)"')


def tag_links(response) -> set[str]:
    return {unescape(href) for href in TAG_LINK.findall(response.content.decode())}


@pytest.fixture
def tagged(advocate) -> dict:
    """One item of each type, and an advocate's expertise, each carrying every name."""
    expert = AdvocateProfileFactory(
        user=UserFactory(username="kenji", first_name="Kenji"), expertise=NAMES
    )
    return {
        "article": ArticleFactory(title="Topics around the world", author=advocate, tags=NAMES),
        "case_study": CaseStudyFactory(title="Topics at a council", tags=NAMES),
        "research": ResearchLinkFactory(title="Topics in research", tags=NAMES),
        "expert": expert,
    }


def pages(tagged: dict) -> dict[str, str]:
    return {
        "home": reverse("home"),
        "topics": reverse("tag_list"),
        "articles": reverse("articles:list"),
        "case studies": reverse("casestudies:list"),
        "research": reverse("research:list"),
        "advocates": reverse("advocates:list"),
        "article": tagged["article"].get_absolute_url(),
        "case study": tagged["case_study"].get_absolute_url(),
        "research link": tagged["research"].get_absolute_url(),
        "advocate": tagged["expert"].get_absolute_url(),
    }


def test_every_page_showing_tags_answers_and_links_each_tag(
    reader_client: Client, tagged: dict
) -> None:
    for page, url in pages(tagged).items():
        response = reader_client.get(url)
        assert response.status_code == 200, page
        assert len(tag_links(response)) == len(NAMES), page


def test_each_tag_link_leads_to_its_own_topic_page(reader_client: Client, tagged: dict) -> None:
    links = tag_links(reader_client.get(reverse("tag_list")))
    names = set()
    for link in links:
        response = reader_client.get(link)
        assert response.status_code == 200, link
        # The page's heading (its context holds other tags too: its cards' own).
        names.add(unescape(re.search(r"<h1>(.*?)</h1>", response.content.decode())[1]))
        assert "Topics around the world" in response.content.decode()
        assert "Kenji" in response.content.decode()
    assert names == set(NAMES)


def test_a_tag_page_lists_only_items_carrying_that_tag(reader_client: Client, advocate) -> None:
    ArticleFactory(title="Coffee culture", author=advocate, tags=["café"])
    ArticleFactory(title="Plain cafes", author=advocate, tags=["cafe"])
    html = reader_client.get(reverse("tag_detail", args=["café"])).content.decode()
    assert "Coffee culture" in html
    assert "Plain cafes" not in html


@pytest.mark.parametrize("name", NAMES)
def test_the_list_pages_filter_by_any_tag(reader_client: Client, advocate, name: str) -> None:
    ArticleFactory(title="Tagged article", author=advocate, tags=[name])
    ArticleFactory(title="Untagged article", author=advocate)
    AdvocateProfileFactory(
        user=UserFactory(username="tagged", first_name="Tagged"), expertise=[name]
    )
    AdvocateProfileFactory(user=UserFactory(username="untagged", first_name="Untagged"))
    slug = Tag.objects.get(name=name).slug
    articles = reader_client.get(reverse("articles:list"), {"tag": slug}).content.decode()
    assert "Tagged article" in articles and "Untagged article" not in articles
    advocates = reader_client.get(reverse("advocates:list"), {"tag": slug}).content.decode()
    assert "Tagged" in advocates and "Untagged" not in advocates


def test_the_feed_answers_with_any_tag(reader_client: Client, tagged: dict, reader) -> None:
    response = reader_client.get(feed_url(reader))
    assert response.status_code == 200
    assert "日本語" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/tags/%00/",
        "/tags/caf%C3%A9%00/",
        "/tags/" + "a" * 5_000 + "/",
        "/tags/" + "é" * 500 + "/",
        "/tags/a/b/",
        "/tags/a%2Fb/",
        "/tags/%F0%9F/",
        "/tags/%20/",
        "/tags/no-such-topic/",
    ],
    ids=[
        "nul",
        "nul-after-text",
        "long",
        "long-unicode",
        "slash",
        "encoded-slash",
        "bad-utf8",
        "space",
        "unknown",
    ],  # fmt: skip
)
def test_a_hostile_or_unknown_tag_address_is_not_found(reader_client: Client, path: str) -> None:
    # A NUL character is refused before any view looks (kb.core.middleware).
    assert reader_client.get(path).status_code == (400 if "%00" in path else 404)


def test_a_tag_address_is_percent_encoded_utf8(tagged: dict) -> None:
    url = reverse("tag_detail", args=[Tag.objects.get(name="日本語").slug])
    assert url == "/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E/"
    assert unquote(url) == "/tags/日本語/"
