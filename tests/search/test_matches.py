"""Each process remembers the matches of recent queries (kb.search.matches): a repeated
search costs no match, and what it shows is never stale — an item added, edited, moved
to the trash or deleted in between shows as it is now."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.search import matches as match_cache
from kb.search import service
from kb.search import snapshot as snapshots
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.factories import ArticleFactory

# The statements that look a query's words up in the full-text index.
FULL_TEXT = ("search_fts", "search_vector", "search_match_ids")


def found(text: str, user) -> list[str]:
    return sorted(hit.url for hit in service.search(text, user=user).hits)


def full_text_statements(text: str, user) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        service.search(text, user=user)
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in FULL_TEXT)]


def test_a_repeated_search_costs_one_statement_less_and_finds_the_same(reader) -> None:
    for n in range(30):
        ArticleFactory(title=f"Webinar {n}", body="How we ran our webinar series.")
    first = service.search("webinar", user=reader)
    match_cache.forget()
    asked = full_text_statements("webinar", reader)
    again = full_text_statements("webinar", reader)
    assert len(again) == len(asked) - 1
    results = service.search("webinar", user=reader)
    assert results.total == first.total == 30
    assert [hit.url for hit in results.hits] == [hit.url for hit in first.hits]


def test_what_changed_since_is_found_as_it_is_now(reader, editor) -> None:
    kept = ArticleFactory(title="Podcast pilot")
    edited = ArticleFactory(title="Podcast guests")
    trashed = ArticleFactory(title="Podcast gear")
    deleted = ArticleFactory(title="Podcast budget")
    ArticleFactory(title="Newsletter plan")
    assert len(found("podcast", reader)) == 4

    added = ArticleFactory(title="Newsletter and podcast")
    edited.title = "Webinar guests"
    edited.save()
    content_transition(item=trashed, action=Action.TRASH, user=editor)
    deleted.delete()

    assert found("podcast", reader) == sorted([kept.get_absolute_url(), added.get_absolute_url()])
    assert found("webinar", reader) == [edited.get_absolute_url()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite matches afresh")
def test_only_the_changed_entries_are_matched_again_on_postgresql(reader) -> None:
    for n in range(5):
        ArticleFactory(title=f"Podcast {n}")
    found("podcast", reader)
    ArticleFactory(title="Podcast extra")
    statements = full_text_statements("podcast", reader)
    among = [sql for sql in statements if "entry_id IN (" in sql]
    assert len(among) == 1
    assert "search_matching" not in " ".join(statements)
    assert len(found("podcast", reader)) == 6


def test_a_view_that_cannot_say_what_changed_matches_afresh(reader, monkeypatch) -> None:
    monkeypatch.setattr(snapshots, "RECENT_REFRESHES", 1)
    first = ArticleFactory(title="Roadshow one")
    found("roadshow", reader)
    second = ArticleFactory(title="Roadshow two")
    found("something else", reader)  # the view moves on, remembering one refresh
    third = ArticleFactory(title="Roadshow three")
    assert found("roadshow", reader) == sorted(a.get_absolute_url() for a in (first, second, third))


def test_a_whole_reload_of_the_sets_forgets_what_was_matched_before(reader) -> None:
    ArticleFactory(title="Hackathon notes")
    found("hackathon", reader)
    snapshots._states.clear()  # as a process that fell too far behind the change log
    later = ArticleFactory(title="Hackathon results")
    assert later.get_absolute_url() in found("hackathon", reader)


def test_the_number_remembered_is_bounded(reader, settings) -> None:
    settings.KB_SEARCH_MATCH_CACHE = 2
    ArticleFactory(title="Mentoring scheme", body="podcast webinar")
    first = full_text_statements("mentoring", reader)
    for text in ["podcast", "webinar"]:
        found(text, reader)
    assert len(match_cache._matches) == 2
    # The oldest was let go, and is matched again; the newest is remembered.
    assert len(full_text_statements("mentoring", reader)) == len(first)
    assert len(full_text_statements("mentoring", reader)) == len(first) - 1


def test_the_cache_can_be_turned_off(reader, settings) -> None:
    settings.KB_SEARCH_MATCH_CACHE = 0
    ArticleFactory(title="Mentoring scheme")
    first = full_text_statements("mentoring", reader)
    assert full_text_statements("mentoring", reader) == first
    assert len(match_cache._matches) == 0
