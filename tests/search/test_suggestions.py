"""Search-as-you-type and "did you mean" offer only words of what the asker may see.

A draft's words must not reach other people through the suggestion box or the typo
correction, and the words of trashed, deleted and purged items must go for everyone.
"""

import importlib
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kb.articles.models import Article
from kb.core.models import Status
from kb.search import index, service
from kb.search import matches as match_cache
from kb.search.models import SearchWord
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.factories import ArticleFactory

SECRET = "We will close the Quarrington office"


def completions(client: Client, text: str = "quarr") -> list[str]:
    return client.get(reverse("search:suggest"), {"q": text}).json()["completions"]


def results_page(client: Client, text: str) -> str:
    return client.get(reverse("search:results"), {"q": text}).content.decode()


def corrected(client: Client, text: str) -> str:
    """The query the results page shows results for instead of ``text`` ("" if none)."""
    return client.get(reverse("search:results"), {"q": text}).context["results"].corrected_text


def secret_draft(owner: User, **fields) -> Article:
    return ArticleFactory(title=SECRET, author=owner, status=Status.DRAFT, **fields)


HIDDEN_STATES = {
    "draft": {"status": Status.DRAFT, "published_at": None},
    "in review": {"status": Status.IN_REVIEW, "published_at": None},
    "changes requested": {"status": Status.CHANGES_REQUESTED, "published_at": None},
    "unpublished": {"status": Status.UNPUBLISHED},
    "scheduled": {"published_at": timezone.now() + timedelta(days=3)},
}


@pytest.mark.parametrize("state", HIDDEN_STATES.values(), ids=HIDDEN_STATES.keys())
def test_it_offers_words_of_an_unpublished_item_only_to_its_owner_and_editors(
    state: dict,
    advocate: User,
    reader_client: Client,
    other_advocate_client: Client,
    advocate_client: Client,
    editor_client: Client,
) -> None:
    ArticleFactory(title=SECRET, author=advocate, **state)
    assert completions(reader_client) == []
    assert completions(other_advocate_client) == []
    assert completions(advocate_client) == ["quarrington"]
    assert completions(editor_client) == ["quarrington"]


def test_it_offers_no_titles_of_items_the_asker_may_not_see(
    advocate: User, reader_client: Client, advocate_client: Client
) -> None:
    secret_draft(advocate)
    assert reader_client.get(reverse("search:suggest"), {"q": "quarr"}).json()["results"] == []
    mine = advocate_client.get(reverse("search:suggest"), {"q": "quarr"}).json()["results"]
    assert [hit["title"] for hit in mine] == ["We will close the <mark>Quarrington</mark> office"]


def test_it_follows_the_item_through_publishing_unpublishing_and_the_trash(
    advocate: User, editor: User, reader_client: Client, advocate_client: Client
) -> None:
    article = secret_draft(advocate)
    assert completions(reader_client) == []
    content_transition(item=article, action=Action.PUBLISH, user=editor)
    assert completions(reader_client) == ["quarrington"]
    content_transition(item=article, action=Action.UNPUBLISH, user=advocate)
    assert completions(reader_client) == []
    assert completions(advocate_client) == ["quarrington"]
    content_transition(item=article, action=Action.PUBLISH, user=editor)
    content_transition(item=article, action=Action.TRASH, user=advocate)
    assert completions(reader_client) == []
    assert completions(advocate_client) == []
    content_transition(item=article, action=Action.RESTORE, user=advocate)
    assert completions(reader_client) == ["quarrington"]


def test_a_trashed_item_s_words_leave_the_vocabulary_for_everyone(
    advocate: User, reader_client: Client, advocate_client: Client, editor_client: Client
) -> None:
    article = secret_draft(advocate)
    content_transition(item=article, action=Action.TRASH, user=advocate)
    for client in (reader_client, advocate_client, editor_client):
        assert completions(client) == []
    assert not SearchWord.objects.filter(word="quarrington").exists()


def test_a_purged_item_s_words_are_gone(
    advocate: User, settings, reader_client: Client, advocate_client: Client, editor_client: Client
) -> None:
    article = secret_draft(advocate)
    content_transition(item=article, action=Action.TRASH, user=advocate)
    Article.all_objects.filter(pk=article.pk).update(
        deleted_at=timezone.now() - timedelta(days=settings.KB_TRASH_DAYS, minutes=1)
    )
    call_command("purge_trash", stdout=StringIO())
    for client in (reader_client, advocate_client, editor_client):
        assert completions(client) == []
    assert not SearchWord.objects.filter(word="quarrington").exists()
    index.rebuild()
    assert not SearchWord.objects.filter(word="quarrington").exists()


def test_a_deleted_item_s_words_are_gone(
    advocate: User, reader_client: Client, advocate_client: Client, editor_client: Client
) -> None:
    secret_draft(advocate).delete()
    for client in (reader_client, advocate_client, editor_client):
        assert completions(client) == []
    assert not SearchWord.objects.filter(word="quarrington").exists()


def test_a_word_edited_out_of_an_item_leaves_the_vocabulary(
    advocate: User, advocate_client: Client
) -> None:
    article = secret_draft(advocate)
    article.title = "We will close the Northshire office"
    article.save()
    assert completions(advocate_client) == []
    assert not SearchWord.objects.filter(word="quarrington").exists()
    assert SearchWord.objects.get(word="northshire").doc_count == 1


def test_a_word_of_a_published_item_and_a_draft_stays_while_either_is_visible(
    advocate: User, reader_client: Client, advocate_client: Client
) -> None:
    published = ArticleFactory(title="Quarrington office opening hours")
    draft = secret_draft(advocate)
    assert completions(reader_client) == ["quarrington"]
    assert SearchWord.objects.get(word="quarrington").doc_count == 2
    draft.delete()
    assert completions(reader_client) == ["quarrington"]
    assert SearchWord.objects.get(word="quarrington").doc_count == 1
    published.delete()
    draft = secret_draft(advocate)
    assert completions(reader_client) == []
    assert completions(advocate_client) == ["quarrington"]


def test_visible_completions_still_come_when_invisible_ones_are_more_common(
    advocate: User, reader_client: Client
) -> None:
    for n in range(6):
        ArticleFactory(title=f"Quarry report {n} for quarries", author=advocate, status="draft")
    ArticleFactory(title="Quarrington office opening hours")
    assert completions(reader_client) == ["quarrington"]


def test_did_you_mean_offers_no_word_of_a_draft(
    advocate: User, reader_client: Client, advocate_client: Client
) -> None:
    secret_draft(advocate)
    html = results_page(reader_client, "quarringtn")
    assert "No results for “quarringtn”" in html
    assert "Quarrington" not in html and "quarrington" not in html
    assert corrected(advocate_client, "quarringtn") == "quarrington"


def test_did_you_mean_corrects_every_word_as_if_invisible_items_did_not_exist(
    advocate: User, reader_client: Client
) -> None:
    ArticleFactory(title="Warrington office opening hours")
    secret_draft(advocate)
    # Only the draft has "quarrington": to the reader it is a misspelling like any other,
    # so whether it is in a draft cannot be told from the answer.
    assert corrected(reader_client, "quarrington") == "warrington"
    assert corrected(reader_client, "quarringtn OR warringtn") == "quarringtn OR warrington"
    assert "quarrington" not in results_page(reader_client, "quarringtn OR warringtn").lower()


def test_an_editor_finds_other_people_s_drafts_marked_as_drafts(
    advocate: User, editor_client: Client, other_advocate_client: Client
) -> None:
    secret_draft(advocate)
    hits = editor_client.get(reverse("search:results"), {"q": "quarrington"}).context["results"]
    assert [hit.is_draft for hit in hits.hits] == [True]
    others = other_advocate_client.get(reverse("search:results"), {"q": "quarrington"})
    assert others.context["results"].hits == []


@pytest.mark.parametrize("words", [1, 5])
def test_suggest_costs_the_same_queries_however_many_words_complete(
    words: int, reader_client: Client
) -> None:
    for word in ["quarrington", "quarry", "quarrel", "quarrier", "quarrelsome"][:words]:
        ArticleFactory(title=f"The {word} report")
    completions(reader_client)  # warm the session and content types
    match_cache.forget()  # and measure a search not asked before
    with CaptureQueriesContext(connection) as queries:
        assert len(completions(reader_client)) == words
    # Session, user, the newest index change, the user's own entries, the candidate words,
    # their synonyms and those of the rest of the query, a sample of each one's matches,
    # then the search: the matches, their scores, the evidence and dates of the best, the
    # highlighted titles.
    assert len(queries) == 11


def test_the_upgrade_recounts_the_words_and_drops_those_no_entry_holds() -> None:
    ArticleFactory(title="Quarrington office", summary="", body="")
    ArticleFactory(title="Quarrington depot", summary="", body="")
    SearchWord.objects.filter(word="quarrington").update(doc_count=1)
    SearchWord.objects.create(word="purged", doc_count=3)
    migration = importlib.import_module("kb.search.migrations.0004_exact_word_counts")
    migration.recount(django_apps, None)
    assert SearchWord.objects.get(word="quarrington").doc_count == 2
    assert not SearchWord.objects.filter(word="purged").exists()


def test_a_word_found_only_past_a_sample_of_hidden_entries_is_still_offered(
    advocate: User, reader_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "WORD_SAMPLE", 2)
    for _ in range(3):
        secret_draft(advocate)
    assert completions(reader_client) == []
    ArticleFactory(title="Quarrington office opening hours")
    assert completions(reader_client) == ["quarrington"]


def test_it_offers_no_completion_the_rest_of_the_query_would_find_nothing_with(
    reader_client: Client,
) -> None:
    ArticleFactory(title="Zeppelin marketing", summary="", body="")
    ArticleFactory(title="Zebra outreach", summary="", body="")
    data = reader_client.get(reverse("search:suggest"), {"q": "outreach ze"}).json()
    assert data["completions"] == ["zebra"]
    assert [hit["title"] for hit in data["results"]] == ["<mark>Zebra</mark> <mark>outreach</mark>"]


def test_it_offers_no_completion_found_only_with_an_excluded_word(reader_client: Client) -> None:
    ArticleFactory(title="Zeppelin marketing on TikTok", summary="", body="")
    ArticleFactory(title="Zebra marketing", summary="", body="")
    assert completions(reader_client, "-tiktok ze") == ["zebra"]
    assert completions(reader_client, "marketing -tiktok ze") == ["zebra"]
    assert set(completions(reader_client, "marketing ze")) == {"zebra", "zeppelin"}


def test_it_offers_no_completion_found_with_the_rest_only_in_a_hidden_item(
    advocate: User, reader_client: Client, advocate_client: Client
) -> None:
    ArticleFactory(title="Quarrington outreach", author=advocate, status=Status.DRAFT)
    ArticleFactory(title="Quarrington office", summary="", body="")
    assert completions(reader_client, "outreach quarr") == []
    assert completions(advocate_client, "outreach quarr") == ["quarrington"]
