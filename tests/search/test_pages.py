"""Readers who see only what is public share each other's rendered results
(kb.search.pages): a popular search is ranked, counted and highlighted once, and what it
shows is never stale — an edit, a new or removed match, a renamed tag, a new synonym or a
new day shows at once, and nobody's drafts reach anyone else's page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from kb.core.models import Status
from kb.search.models import Synonym
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.conftest import READER, _with_roles
from tests.factories import ArticleFactory, UserFactory
from tests.search.test_review_penalty import twin

URL = reverse("search:results")
# The statements that highlight a page's rows, on either database.
HIGHLIGHT = ("ts_headline", "snippet(")


@pytest.fixture(autouse=True)
def _short_pages(settings) -> None:
    settings.KB_PAGE_SIZE = 3  # only full pages are shared: a few articles fill one


@pytest.fixture
def colleague_client(db) -> Client:
    """Another reader, who sees what the reader sees."""
    client = Client()
    client.force_login(_with_roles(UserFactory(username="colin"), READER))
    return client


def results(client: Client, **params: str) -> tuple[str, list[str]]:
    """The results part of the page, and the statements it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    body = html[html.index('<div class="list-layout">') : html.index("</main>")]
    return body, [query["sql"] for query in queries.captured_queries]


def highlighted(statements: list[str]) -> bool:
    return any(mark in sql for sql in statements for mark in HIGHLIGHT)


def test_a_colleagues_repeat_of_a_search_is_served_from_its_rendered_page(
    reader_client, colleague_client
) -> None:
    for n in range(3):
        ArticleFactory(title=f"Webinar {n}", tags=["events"])
    first, asked = results(reader_client, q="webinar")
    again, repeated = results(colleague_client, q="webinar")
    assert again == first
    assert highlighted(asked) and not highlighted(repeated)
    assert len(repeated) < len(asked)
    assert "3 results" in again and all(f"</mark> {n}<" in again for n in range(3))


def test_another_page_sort_or_filter_is_a_page_of_its_own(reader_client) -> None:
    for n in range(5):
        ArticleFactory(title=f"Webinar {n}", tags=["events" if n % 2 else "video"])
    results(reader_client, q="webinar")
    second_page, statements = results(reader_client, q="webinar", page="2")
    assert highlighted(statements) and "Page 2 of 2" in second_page
    filtered, statements = results(reader_client, q="webinar", tag="video")
    assert highlighted(statements) and "3 results" in filtered and "Page" not in filtered
    newest, statements = results(reader_client, q="webinar", sort="newest")
    assert highlighted(statements) and "<strong>Newest</strong>" in newest


def test_an_edited_hit_shows_as_it_is_now(reader_client, colleague_client) -> None:
    articles = [ArticleFactory(title=f"Podcast {n}") for n in range(3)]
    results(reader_client, q="podcast")
    articles[0].title = "Podcast relaunch with guests"
    articles[0].save()
    body, statements = results(colleague_client, q="podcast")
    assert "relaunch" in body and highlighted(statements)


def test_a_new_match_shows_and_a_trashed_one_goes(reader_client, colleague_client, editor):
    articles = [ArticleFactory(title=f"Newsletter {n}") for n in range(3)]
    results(reader_client, q="newsletter")
    added = ArticleFactory(title="Newsletter for nurses")
    body, _ = results(colleague_client, q="newsletter")
    assert "4 results" in body
    content_transition(item=articles[1], action=Action.TRASH, user=editor)
    body, _ = results(reader_client, q="newsletter")
    assert "3 results" in body and articles[1].get_absolute_url() not in body
    assert added.get_absolute_url() in body


def test_an_edit_elsewhere_keeps_the_page(reader_client, colleague_client) -> None:
    for n in range(3):
        ArticleFactory(title=f"Livestream {n}")
    unrelated = ArticleFactory(title="Office plants")
    results(reader_client, q="livestream")
    unrelated.title = "Office plants and ferns"
    unrelated.save()
    _, statements = results(colleague_client, q="livestream")
    assert not highlighted(statements)


def test_a_renamed_tag_shows_its_new_name(reader_client, colleague_client) -> None:
    for n in range(3):
        ArticleFactory(title=f"Reel {n}", tags=["recruitment"])
    body, _ = results(reader_client, q="reel")
    assert ">recruitment<" in body
    tag = Tag.objects.get(name="recruitment")
    tag.name, tag.slug = "Hiring", "hiring"
    tag.save()
    body, _ = results(colleague_client, q="reel")
    assert ">Hiring<" in body and ">recruitment<" not in body


def test_a_new_synonym_changes_the_page(reader_client, colleague_client) -> None:
    for n in range(2):
        ArticleFactory(title=f"Recruitment drive {n}")
    ArticleFactory(title="Hiring in the council")
    body, _ = results(reader_client, q="recruitment")
    assert "council" not in body
    Synonym.objects.create(term="recruitment", synonym="hiring")
    body, _ = results(colleague_client, q="recruitment")
    assert "3 results" in body


def test_an_authors_draft_never_reaches_a_readers_page(
    reader_client, advocate_client, advocate
) -> None:
    for n in range(3):
        ArticleFactory(title=f"Campaign {n}")
    results(reader_client, q="campaign")
    ArticleFactory(title="Campaign draft of mine", status=Status.DRAFT, author=advocate)
    mine, _ = results(advocate_client, q="campaign")
    assert "4 results" in mine
    theirs, _ = results(reader_client, q="campaign")
    assert "3 results" in theirs and "draft of mine" not in theirs


def test_tomorrow_the_page_is_made_again(reader_client, monkeypatch) -> None:
    today = timezone.localdate()
    twin("later", today + timedelta(days=5))
    twin("sooner", today + timedelta(days=1))  # made last: first among equals
    twin("latest", today + timedelta(days=9))
    body, _ = results(reader_client, q="recruitment")
    assert body.index("(sooner)") < body.index("(later)")
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(days=1))
    body, statements = results(reader_client, q="recruitment")
    assert highlighted(statements)
    assert body.index("(later)") < body.index("(sooner)")


def test_a_page_shorter_than_a_page_is_not_kept(reader_client, colleague_client) -> None:
    ArticleFactory(title="Webinar")
    results(reader_client, q="webinar")
    _, statements = results(colleague_client, q="webinar")
    assert highlighted(statements)


def test_keeping_pages_can_be_turned_off(reader_client, colleague_client, settings) -> None:
    settings.KB_SEARCH_PAGE_CACHE = 0
    for n in range(3):
        ArticleFactory(title=f"Webinar {n}")
    results(reader_client, q="webinar")
    _, statements = results(colleague_client, q="webinar")
    assert highlighted(statements)
