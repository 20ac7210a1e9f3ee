"""Editors keep the synonyms in the admin: each pair once, whichever way round and however
capitalised it is typed, with both sides words a search can use."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from kb.search.models import Synonym

ADD = reverse("admin:search_synonym_add")


def add(client: Client, term: str, synonym: str):
    return client.post(ADD, {"term": term, "synonym": synonym})


def test_an_editor_adds_a_pair_stored_as_a_search_reads_it(editor_client: Client):
    response = add(editor_client, "  Business-to-Business ", "B2B")
    assert response.status_code == 302
    pair = Synonym.objects.get()
    assert (pair.term, pair.synonym) == ("b2b", "business to business")
    assert str(pair) == "b2b ↔ business to business"


def test_an_editor_finds_and_changes_a_pair(editor_client: Client):
    pair = Synonym.objects.create(term="recruitment", synonym="hiring")
    listing = editor_client.get(reverse("admin:search_synonym_changelist"), {"q": "hir"})
    assertContains(listing, "recruitment")
    url = reverse("admin:search_synonym_change", args=[pair.pk])
    assert editor_client.post(url, {"term": "recruitment", "synonym": "Talent"}).status_code == 302
    pair.refresh_from_db()
    assert (pair.term, pair.synonym) == ("recruitment", "talent")


@pytest.mark.parametrize(
    ("term", "synonym"),
    [("hiring", "recruitment"), ("Recruitment", "HIRING"), (" recruitment!", "hiring.")],
)
def test_a_pair_already_kept_is_refused_whichever_way_round(
    editor_client: Client, term: str, synonym: str
):
    Synonym.objects.create(term="recruitment", synonym="hiring")
    response = add(editor_client, term, synonym)
    assertContains(response, "These two are already synonyms.")
    assert Synonym.objects.count() == 1
    assert response.context["adminform"].form["term"].value() == term  # kept as typed


@pytest.mark.parametrize(
    ("term", "synonym", "error"),
    [
        ("", "hiring", "This field is required."),
        ("—!?", "hiring", "at least one letter or digit"),
        ("hiring", "Hiring", "already its own synonym"),
        ("one two three four five", "hiring", "at most 4 words"),
        ("x" * 61, "hiring", "at most 60 characters"),
        ("the", "hiring", "leave out common words"),
        ("how to", "guide", "leave out common words"),
    ],
)
def test_a_side_a_search_could_not_use_is_refused(
    editor_client: Client, term: str, synonym: str, error: str
):
    response = add(editor_client, term, synonym)
    assert response.status_code == 200
    assertContains(response, error)
    assert not Synonym.objects.exists()


def test_readers_and_advocates_cannot_change_synonyms(
    reader_client: Client, advocate_client: Client, editor_client: Client
):
    for client in (reader_client, advocate_client):
        response = add(client, "recruitment", "hiring")
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Synonym.objects.exists()
    assert editor_client.get(reverse("admin:search_synonym_changelist")).status_code == 200
