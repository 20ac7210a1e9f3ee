"""The home page, topic pages and the feed show a kind of content from its declaration alone
(the test-only findings of tests.registry_app)."""

from django.test import Client
from django.urls import reverse

from kb.core.models import Status
from kb.home.feeds import feed_url
from tests.home.test_feed import entry_titles
from tests.home.test_pages import section
from tests.registry_app.factories import FindingFactory


def test_the_home_page_counts_and_lists_the_newest_of_a_registered_kind(
    reader_client: Client,
) -> None:
    FindingFactory(title="Lunchtime posts travel")
    FindingFactory(title="Unpublished finding", status=Status.DRAFT)
    html = reader_client.get(reverse("home")).content.decode()
    assert f'<a href="{reverse("findings:list")}"><strong>1</strong> finding</a>' in html
    newest = section(reader_client.get(reverse("home")), "new-finding")
    assert "New findings" in newest and "Lunchtime posts travel" in newest
    assert "Unpublished finding" not in newest


def test_the_home_page_features_a_registered_kind_with_its_card(reader_client: Client) -> None:
    FindingFactory(title="Featured finding", featured=True)
    featured = section(reader_client.get(reverse("home")), "featured-heading")
    assert 'class="card card-finding"' in featured and "Featured finding" in featured


def test_a_topic_page_has_a_section_for_a_registered_kind(reader_client: Client) -> None:
    FindingFactory(title="Nurses on TikTok", tags=["health"])
    FindingFactory(title="Draft on TikTok", tags=["health"], status=Status.DRAFT)
    response = reader_client.get(reverse("tag_detail", args=["health"]))
    findings = section(response, "tag-finding")
    assert "Findings" in findings and "(1)" in findings
    assert "Nurses on TikTok" in findings and "Draft on TikTok" not in findings


def test_a_registered_kinds_topics_are_popular_topics(reader_client: Client) -> None:
    FindingFactory(title="Nurses on TikTok", tags=["health"])
    html = reader_client.get(reverse("tag_list")).content.decode()
    assert reverse("tag_detail", args=["health"]) in html


def test_the_feed_carries_a_registered_kind_under_its_label(reader) -> None:
    FindingFactory(title="Lunchtime posts travel")
    assert entry_titles(Client().get(feed_url(reader))) == ["Finding: Lunchtime posts travel"]
