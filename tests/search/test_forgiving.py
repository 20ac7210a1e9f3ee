"""Forgiving queries: a search that all of its words dead-end lists what has most of them,
and common words of a natural question do not have to be in a document.

Run on both databases, with no backend branches: PostgreSQL's index ignores common words,
SQLite's keeps them, and the search must behave the same on each.
"""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pyroaring import BitMap

from kb.core.models import Status
from kb.search import service
from kb.search.forgiving import _at_least
from kb.search.query import STOP_WORDS, parse
from tests.factories import ArticleFactory, CaseStudyFactory

URL = reverse("search:results")


def plain(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


def titles(results: service.SearchResults) -> list[str]:
    return [plain(hit.title_html) for hit in results.hits]


def missing(results: service.SearchResults) -> dict[str, list[str]]:
    return {plain(hit.title_html): hit.missing for hit in results.hits}


def article(title: str, **fields) -> None:
    ArticleFactory(title=title, summary=fields.pop("summary", ""), body="", **fields)


# Results with most of the words ----------------------------------------------------------


def test_a_query_no_entry_matches_in_full_lists_those_with_most_of_its_words(reader: User):
    article("Recruitment on LinkedIn, step by step")
    article("Our B2B newsletter")  # one word of three: not most of them
    article("Writing alt text")
    results = service.search("linkedin b2b recruit", user=reader)
    assert results.total == 0
    assert results.partial_total == 1
    assert missing(results) == {"Recruitment on LinkedIn, step by step": ["b2b"]}


def test_full_matches_come_first_then_those_missing_fewest_words(reader: User):
    article("Podcast webinar newsletter infographic")  # all four
    # Three of four: found in the body only, yet before a two-word title match.
    article("Spring roundup", summary="A podcast, a webinar and a newsletter.")
    article("Podcast and webinar tips")  # two of four
    article("Infographic basics")  # one of four: left out
    results = service.search("podcast webinar newsletter infographic", user=reader)
    assert (results.total, results.partial_total) == (1, 2)
    assert missing(results) == {
        "Podcast webinar newsletter infographic": [],
        "Spring roundup": ["infographic"],
        "Podcast and webinar tips": ["newsletter", "infographic"],
    }
    assert list(missing(results)) == [
        "Podcast webinar newsletter infographic",
        "Spring roundup",
        "Podcast and webinar tips",
    ]


def test_among_entries_missing_as_many_words_the_usual_ranking_decides(reader: User):
    article("Recruitment stories", summary="Told by a colleague on linkedin.")
    article("LinkedIn recruitment drive")
    results = service.search("linkedin recruitment zanzibar", user=reader)
    assert titles(results) == ["LinkedIn recruitment drive", "Recruitment stories"]


def test_a_page_of_full_matches_lists_no_partial_ones(reader: User, settings):
    for n in range(3):
        article(f"Webinar checklist {n}")
    article("Webinar for nurses")
    results = service.search("webinar checklist", user=reader, per_page=3)
    assert (results.total, results.partial_total) == (3, 0)
    assert all(hit.missing == [] for hit in results.hits)


def test_partial_matches_continue_on_the_next_pages(reader: User):
    article("Podcast webinar")
    for n in range(5):
        article(f"Podcast number {n}")
    first = service.search("podcast webinar", user=reader, per_page=4)
    second = service.search("podcast webinar", user=reader, per_page=4, page=2)
    assert (first.total, first.partial_total) == (1, 5)
    assert len(first.hits) == 4 and len(second.hits) == 2
    assert first.hits[0].missing == [] and first.hits[1].missing == ["webinar"]
    shown = [hit.id for hit in first.hits + second.hits]
    assert len(set(shown)) == 6


def test_partial_matches_sorted_newest_still_come_by_words_matched(reader: User):
    article("Podcast newsletter webinar")
    article("Podcast newsletter")
    article("Podcast alone")  # newest, but only one of three
    results = service.search("podcast newsletter webinar", user=reader, sort="newest")
    assert titles(results) == ["Podcast newsletter webinar", "Podcast newsletter"]


def test_partial_matches_never_include_what_the_searcher_may_not_see(reader: User, advocate: User):
    article("LinkedIn recruitment, a draft", author=advocate, status=Status.DRAFT)
    article("LinkedIn recruitment in public")
    results = service.search("linkedin recruitment zanzibar", user=reader)
    assert titles(results) == ["LinkedIn recruitment in public"]
    assert results.partial_total == 1
    mine = service.search("linkedin recruitment zanzibar", user=advocate)
    assert mine.partial_total == 2


def test_partial_matches_keep_to_the_filters_and_are_counted_in_the_facets(reader: User):
    article("LinkedIn recruitment for councils", tags=["public-sector"])
    article("LinkedIn recruitment for shops", tags=["retail"])
    everything = service.search("linkedin recruitment zanzibar", user=reader)
    tags = {facet.value: facet.count for facet in everything.facets["tag"]}
    assert tags == {"public-sector": 1, "retail": 1}
    narrowed = service.search(
        "linkedin recruitment zanzibar", user=reader, filters={"tag": "retail"}
    )
    assert titles(narrowed) == ["LinkedIn recruitment for shops"]
    assert narrowed.partial_total == 1


def test_partial_matches_leave_out_excluded_words(reader: User):
    article("LinkedIn recruitment on TikTok")
    article("LinkedIn recruitment by e-mail")
    results = service.search("linkedin recruitment zanzibar -tiktok", user=reader)
    assert titles(results) == ["LinkedIn recruitment by e-mail"]


def test_a_phrase_or_alternatives_count_as_one_word_and_are_named_as_typed(reader: User):
    article("Employee advocacy at the council")
    results = service.search('"employee advocacy" council zanzibar OR timbuktu', user=reader)
    assert missing(results) == {"Employee advocacy at the council": ["zanzibar OR timbuktu"]}


def test_a_one_word_query_has_nothing_to_relax(reader: User):
    article("Podcast tips")
    results = service.search("zanzibar", user=reader)
    assert (results.total, results.partial_total, results.hits) == (0, 0, [])


def test_partial_matches_cost_the_same_statements_however_many_there_are(reader: User):
    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            results = service.search("podcast webinar zanzibar", user=reader, per_page=40)
        assert results.partial_total == len(results.hits)
        return len(queries)

    article("Podcast webinar 0")
    one = statements()
    for n in range(1, 30):
        article(f"Podcast webinar {n}")
    assert statements() == one


def test_partial_matches_add_one_statement_and_their_ranking_to_a_search(reader: User):
    article("Podcast webinar")
    with CaptureQueriesContext(connection) as full:
        service.search("podcast webinar", user=reader)
    with CaptureQueriesContext(connection) as partial:
        service.search("podcast webinar zanzibar", user=reader)
    # Each word's matches in one statement, and ranking them in place of the full
    # matches' ranking; typo correction looks the unknown word up (two statements).
    assert len(partial) - len(full) <= 3


def test_counting_how_many_sets_hold_each_member_leaves_the_sets_as_they_were():
    sets = [BitMap([0, 1, 2]), BitMap([1, 2]), BitMap([2])]
    assert _at_least(sets) == [BitMap([0, 1, 2]), BitMap([0, 1, 2]), BitMap([1, 2]), BitMap([2])]
    assert sets == [BitMap([0, 1, 2]), BitMap([1, 2]), BitMap([2])]


# The results page --------------------------------------------------------------------


def test_the_page_labels_results_with_some_of_the_words_and_what_each_lacks(
    reader_client: Client,
):
    article("Recruitment on LinkedIn, step by step")
    html = reader_client.get(URL, {"q": "linkedin b2b recruit"}).content.decode()
    assert "No results with all of your words" in html
    assert "Results with some of your words" in html
    assert 'Missing: <span class="missing-word">b2b</span>' in html


def test_the_page_names_the_common_words_it_left_out(reader_client: Client):
    article("Employee advocacy on LinkedIn helps recruitment")
    html = reader_client.get(URL, {"q": "how does advocacy help recruitment"}).content.decode()
    assert "1 result for" in html
    assert "Common words left out: how, does" in html


# Common words --------------------------------------------------------------------------


def test_common_words_of_a_natural_question_do_not_have_to_match(reader: User):
    article("Employee advocacy on LinkedIn helps recruitment")
    results = service.search("does employee advocacy on linkedin help recruitment", user=reader)
    assert results.total == 1 and results.hits[0].missing == []
    assert results.ignored_words == ["does", "on"]


def test_a_phrase_keeps_its_common_words(reader: User):
    article("Advocacy on LinkedIn")
    article("LinkedIn advocacy")
    results = service.search('"advocacy on linkedin"', user=reader)
    assert titles(results) == ["Advocacy on LinkedIn"]
    assert results.ignored_words == []


def test_a_query_of_only_common_words_finds_nothing_rather_than_everything(
    reader: User, reader_client: Client
):
    article("How to start")
    results = service.search("how to -podcast", user=reader)
    assert (results.total, results.partial_total) == (0, 0)
    assert results.ignored_words == ["how", "to"]
    html = reader_client.get(URL, {"q": "how to"}).content.decode()
    assert "too common to search for" in html


def test_excluding_a_common_word_excludes_nothing(reader: User):
    article("The podcast")
    assert titles(service.search("podcast -the", user=reader)) == ["The podcast"]


def test_common_words_are_left_out_but_not_other_words():
    query = parse('does "the state of" OR it recruitment -on')
    assert query.without_stop_words().text() == '"the state of" recruitment'
    assert query.stop_words() == ["does", "it", "on"]


@pytest.mark.postgres
def test_the_common_words_are_those_postgresql_ignores():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('english', %s)::text", [" ".join(STOP_WORDS)])
        assert cursor.fetchone()[0] == ""
    assert len(STOP_WORDS) == 127  # all of PostgreSQL's english.stop


def test_completions_never_offer_a_common_word(reader_client: Client):
    CaseStudyFactory(title="Where and wherever we posted, whereas they waited")
    data = reader_client.get(reverse("search:suggest"), {"q": "wher"}).json()
    assert "where" not in data["completions"]
    assert set(data["completions"]) == {"wherever", "whereas"}
