"""The private Atom feed: what is newly published, for feed readers that cannot sign in."""

from collections.abc import Callable
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.core.models import Status
from kb.core.registry import kinds_where
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
    # A NUL character is refused before any view looks (kb.core.middleware).
    expected = 400 if token == "%00" else 404
    assert Client().get(f"/feeds/{token}/latest.atom").status_code == expected


def test_a_deactivated_account_loses_its_feed(reader) -> None:
    url = reverse("latest_feed", args=[feed_token(reader)])
    reader.is_active = False
    reader.save()
    assert Client().get(url).status_code == 404


def test_the_feed_costs_the_same_queries_for_1_and_for_30_items(
    reader, django_assert_num_queries
) -> None:
    client = Client()
    url = feed_url(reader)
    # The user and their key, what they follow, one query per kind in the feed, the
    # articles' tags.
    queries = 1 + 1 + len(kinds_where("in_feed")) + 1
    ArticleFactory(tags=["video"])
    with django_assert_num_queries(queries):
        client.get(url)
    ArticleFactory.create_batch(29, tags=["video"])
    with django_assert_num_queries(queries):
        client.get(url)


def reset_feed(client: Client) -> str:
    """Press "Reset my feed address" and return the page it lands on."""
    response = client.post(reverse("feed_reset"), follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_offers_to_reset_the_feed_address(reader_client: Client) -> None:
    assertContains(reader_client.get(reverse("home")), f'action="{reverse("feed_reset")}"')


def test_resetting_the_feed_address_retires_the_old_one(
    reader: User, reader_client: Client
) -> None:
    ArticleFactory(title="Visible piece")
    old_url = feed_url(reader)
    assert Client().get(old_url).status_code == 200

    page = reset_feed(reader_client)

    new_url = feed_url(reader)
    assert new_url != old_url
    assert "Your feed address has changed" in page and new_url in page
    assertNotContains(reader_client.get(reverse("home")), old_url)
    old = Client().get(old_url)
    assert old.status_code == 404 and b"Visible piece" not in old.content
    assert entry_titles(Client().get(new_url)) == ["Article: Visible piece"]


def test_each_reset_retires_the_address_before_it(reader: User, reader_client: Client) -> None:
    reset_feed(reader_client)
    second = feed_url(reader)
    reset_feed(reader_client)
    assert Client().get(second).status_code == 404
    assert Client().get(feed_url(reader)).status_code == 200


def test_the_reset_needs_a_post_with_a_csrf_token(reader: User, reader_client: Client) -> None:
    url = feed_url(reader)
    assert reader_client.get(reverse("feed_reset")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    assert strict.post(reverse("feed_reset")).status_code == 403
    assert feed_url(reader) == url


def test_the_reset_needs_a_signed_in_user(db) -> None:
    response = Client().post(reverse("feed_reset"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_one_users_reset_leaves_other_feeds_working(
    reader: User, reader_client: Client, advocate: User
) -> None:
    advocates_url = feed_url(advocate)
    reset_feed(reader_client)
    assert Client().get(advocates_url).status_code == 200


def test_a_users_feed_key_does_not_open_another_users_feed(
    reader: User, reader_client: Client, advocate: User, advocate_client: Client
) -> None:
    reset_feed(reader_client)
    reset_feed(advocate_client)
    readers_key = signing.Signer(salt="kb.home.feed").unsign(feed_token(reader)).split(":")[1]
    # Even a correctly signed pairing of one user's id with another's key is refused.
    forged = signing.Signer(salt="kb.home.feed").sign(f"{advocate.pk}:{readers_key}")
    assert Client().get(reverse("latest_feed", args=[forged])).status_code == 404


@pytest.mark.parametrize("tamper", [lambda t: t[:-1], lambda t: "9" + t, lambda t: t + ":x"])
def test_a_tampered_token_is_not_found(
    reader: User, reader_client: Client, tamper: Callable[[str], str]
) -> None:
    reset_feed(reader_client)
    token = tamper(feed_token(reader))
    assert Client().get(reverse("latest_feed", args=[token])).status_code == 404


def test_a_deactivated_account_loses_its_reset_feed_too(
    reader: User, reader_client: Client
) -> None:
    reset_feed(reader_client)
    url = feed_url(reader)
    reader.is_active = False
    reader.save()
    assert Client().get(url).status_code == 404
