"""Synonyms editors keep apply to every search at once, on both databases: a word also
finds what its synonyms find, a multi-word side as a phrase."""

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb.search import matches as match_cache
from kb.search import service
from kb.search.forgiving import MAX_SYNONYMS, expand
from kb.search.models import Synonym
from kb.search.query import parse
from tests.factories import ArticleFactory


def plain(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


def found(text: str, user: User) -> set[str]:
    return {plain(hit.title_html) for hit in service.search(text, user=user).hits}


def article(title: str) -> None:
    ArticleFactory(title=title, summary="", body="")


@pytest.fixture
def corpus() -> None:
    article("Recruitment on LinkedIn")
    article("Hiring in the council")
    article("Business-to-business newsletters")
    article("B2B events")
    article("Posting on Twitter")
    article("What changed when X arrived")


def test_a_word_finds_what_its_synonym_finds_both_ways(reader: User, corpus: None):
    Synonym.objects.create(term="Recruitment", synonym="hiring")
    assert found("hiring", reader) == {"Recruitment on LinkedIn", "Hiring in the council"}
    assert found("recruitment", reader) == {"Recruitment on LinkedIn", "Hiring in the council"}


def test_a_side_of_several_words_is_found_as_a_phrase(reader: User, corpus: None):
    Synonym.objects.create(term="B2B", synonym="business-to-business")
    both = {"Business-to-business newsletters", "B2B events"}
    assert found("b2b", reader) == both
    assert found("business-to-business", reader) == both
    article("Business news to business owners")  # the words, but not as the phrase
    assert found("b2b", reader) == both


def test_a_one_letter_synonym_works(reader: User, corpus: None):
    Synonym.objects.create(term="X", synonym="Twitter")
    assert found("twitter", reader) == {"Posting on Twitter", "What changed when X arrived"}


def test_the_synonym_is_highlighted(reader: User, corpus: None):
    Synonym.objects.create(term="recruitment", synonym="hiring")
    results = service.search("recruitment", user=reader)
    assert {hit.title_html for hit in results.hits} == {
        "<mark>Recruitment</mark> on LinkedIn",
        "<mark>Hiring</mark> in the council",
    }


def test_a_quoted_word_is_taken_as_typed(reader: User, corpus: None):
    Synonym.objects.create(term="recruitment", synonym="hiring")
    assert found('"hiring"', reader) == {"Hiring in the council"}


def test_an_excluded_word_excludes_only_itself(reader: User, corpus: None):
    Synonym.objects.create(term="recruitment", synonym="hiring")
    article("Hiring and recruitment")
    assert found("council OR linkedin -hiring", reader) == {"Recruitment on LinkedIn"}


def test_synonyms_are_one_step_not_a_chain(reader: User, corpus: None):
    Synonym.objects.create(term="recruitment", synonym="hiring")
    Synonym.objects.create(term="hiring", synonym="twitter")
    assert found("recruitment", reader) == {"Recruitment on LinkedIn", "Hiring in the council"}


def test_a_new_or_removed_pair_applies_to_the_next_search(reader: User, corpus: None):
    assert found("hiring", reader) == {"Hiring in the council"}
    pair = Synonym.objects.create(term="recruitment", synonym="hiring")
    assert found("hiring", reader) == {"Recruitment on LinkedIn", "Hiring in the council"}
    pair.term, pair.synonym = "recruitment", "newsletters"
    pair.save()
    assert found("hiring", reader) == {"Hiring in the council"}
    pair.delete()
    assert found("recruitment", reader) == {"Recruitment on LinkedIn"}


def test_synonyms_count_for_results_with_some_of_the_words(reader: User, corpus: None):
    Synonym.objects.create(term="recruitment", synonym="hiring")
    results = service.search("hiring linkedin b2b", user=reader)
    assert [(plain(hit.title_html), hit.missing) for hit in results.hits] == [
        ("Recruitment on LinkedIn", ["b2b"])
    ]


def test_a_word_adds_a_bounded_number_of_synonyms():
    pairs = [("recruitment", f"word{n}") for n in range(MAX_SYNONYMS + 5)]
    (clause,) = expand(parse("recruitment"), pairs).clauses
    assert len(clause.alternatives) == 1 + MAX_SYNONYMS


def test_synonyms_cost_one_statement_however_many_pairs_there_are(reader: User, corpus: None):
    def statements() -> list[str]:
        match_cache.forget()  # each a search not asked before
        with CaptureQueriesContext(connection) as queries:
            service.search("recruitment", user=reader)
        return [query["sql"] for query in queries.captured_queries]

    statements()  # the sets are loaded by the first search
    none = statements()
    for synonym in ("hiring", "talent", "staffing", "employment"):
        Synonym.objects.create(term="recruitment", synonym=synonym)
    many = statements()
    assert len(many) == len(none)
    assert sum("search_synonym" in sql for sql in none) == 1
    assert sum("search_synonym" in sql for sql in many) == 1


def test_the_database_holds_each_pair_once_and_in_order():
    Synonym.objects.create(term="hiring", synonym="recruitment")
    with pytest.raises(IntegrityError), transaction.atomic():
        Synonym.objects.bulk_create([Synonym(term="hiring", synonym="recruitment")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Synonym.objects.bulk_create([Synonym(term="recruitment", synonym="hiring")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Synonym.objects.bulk_create([Synonym(term="", synonym="hiring")])


def test_suggestions_complete_with_the_rest_of_the_query_s_synonyms(reader_client: Client):
    article("Recruitment by zeppelin")
    article("Zebra crossings")
    Synonym.objects.create(term="recruitment", synonym="hiring")
    data = reader_client.get(reverse("search:suggest"), {"q": "hiring ze"}).json()
    assert data["completions"] == ["zeppelin"]
    assert [plain(hit["title"]) for hit in data["results"]] == ["Recruitment by zeppelin"]


def test_or_joins_only_its_two_neighbours_on_every_database(reader: User, corpus: None):
    # A word with its synonyms is such an OR: "hiring linkedin" must not find all hiring.
    results = service.search("hiring OR recruitment linkedin", user=reader)
    assert [plain(hit.title_html) for hit in results.full_hits] == ["Recruitment on LinkedIn"]
