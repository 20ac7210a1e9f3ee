"""A list of every published item of a kind counts its items once per change of what is
published (kb.core.published_cache), not on every page; a filtered list counts afresh."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from kb.core.models import Status
from kb.core.registry import kinds
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.factories import ArticleFactory, content_factory


def counts_of(captured, table: str) -> list[str]:
    return [
        query["sql"]
        for query in captured
        if query["sql"].startswith("SELECT COUNT(*)") and f'FROM "{table}"' in query["sql"]
    ]


def list_url(model) -> str:
    return reverse(model.KIND.list_url)


# The KB's own kinds (the tests' registry_app lists its few findings unpaginated).
KB_KINDS = [model for model, _ in kinds() if model.__module__.startswith("kb.")]


@pytest.mark.parametrize("model", KB_KINDS, ids=lambda model: model._meta.label)
def test_an_unfiltered_list_counts_its_items_once_until_one_is_published(
    model, reader_client: Client
) -> None:
    make = content_factory(model)
    make.create_batch(2)
    table = model._meta.db_table
    with CaptureQueriesContext(connection) as first:
        reader_client.get(list_url(model))
    with CaptureQueriesContext(connection) as again:
        second_page = reader_client.get(list_url(model), {"page": "2"})
    assert counts_of(first, table), "the first visit counts"
    assert counts_of(again, table) == [], "later pages take the count from the cache"
    assertContains(second_page, "2 results")

    draft = make(status=Status.DRAFT, published_at=None)
    draft.status, draft.published_at = Status.PUBLISHED, timezone.now()
    draft.save()
    assertContains(reader_client.get(list_url(model)), "3 results")


def test_trashing_an_item_shows_in_the_count_at_once(reader_client: Client, advocate) -> None:
    first, _ = ArticleFactory(author=advocate), ArticleFactory()
    assertContains(reader_client.get(reverse("articles:list")), "2 results")
    content_transition(item=first, action=Action.TRASH, user=advocate)
    assertContains(reader_client.get(reverse("articles:list")), "1 result<")


def test_a_filtered_list_counts_what_it_shows(reader_client: Client) -> None:
    ArticleFactory(tags=["video"])
    ArticleFactory()
    reader_client.get(reverse("articles:list"))  # the unfiltered count, now cached
    with CaptureQueriesContext(connection) as filtered:
        response = reader_client.get(reverse("articles:list"), {"tag": "video"})
    assert counts_of(filtered, "articles_article")
    assertContains(response, "1 result<")
