"""The private Atom feed: what is newly published, for feed readers that cannot sign in."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from kb.core.models import Status
from kb.home.feeds import feed_token, feed_url
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.factories import ArticleFactory, CaseStudyFactory, ResearchLinkFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def entry_titles(response) -> list[str]:
    root = ElementTree.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_the_home_page_offers_the_users_private_feed(reader, reader_client: Client) -> None:
    assertContains(reader_client.get(reverse("home")), feed_url(reader))


def test_the_feed_lists_new_items_of_every_type_newest_first_without_signing_in(reader) -> None:
    now = timezone.now()
    CaseStudyFactory(title="Old story", published_at=now - timedelta(days=3))
    ResearchLinkFactory(title="Fresh survey", published_at=now - timedelta(hours=1))
    ArticleFactory(title="Middle guide", published_at=now - timedelta(days=1))
    response = Client().get(feed_url(reader))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert entry_titles(response) == [
        "Research link: Fresh survey",
        "Article: Middle guide",
        "Case study: Old story",
    ]


def test_drafts_scheduled_and_trashed_items_stay_out_of_the_feed(reader, editor) -> None:
    ArticleFactory(title="Draft piece", status=Status.DRAFT, published_at=None)
    ArticleFactory(title="Tomorrow's piece", published_at=timezone.now() + timedelta(days=1))
    trashed = ArticleFactory(title="Deleted piece")
    content_transition(item=trashed, action=Action.TRASH, user=editor)
    ArticleFactory(title="Visible piece")
    assert entry_titles(Client().get(feed_url(reader))) == ["Article: Visible piece"]


@pytest.mark.parametrize("token", ["nonsense", "1:forged", "x" * 500, "%00"])
def test_a_bad_token_is_not_found(db, token: str) -> None:
    assert Client().get(f"/feeds/{token}/latest.atom").status_code == 404


def test_a_deactivated_account_loses_its_feed(reader) -> None:
    url = reverse("latest_feed", args=[feed_token(reader)])
    reader.is_active = False
    reader.save()
    assert Client().get(url).status_code == 404


def test_the_feed_costs_the_same_queries_for_1_and_for_30_items(
    reader, django_assert_num_queries
) -> None:
    client = Client()
    ArticleFactory(tags=["video"])
    with django_assert_num_queries(5):  # the user, three types, their tags
        client.get(feed_url(reader))
    ArticleFactory.create_batch(29, tags=["video"])
    with django_assert_num_queries(5):  # the user, three types, their tags
        client.get(feed_url(reader))
