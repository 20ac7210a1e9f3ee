"""The search page and the search-as-you-type endpoint, as a signed-in person uses them."""

import pytest
from django.urls import reverse

from kb.core.models import Status
from kb.search import matches as match_cache
from kb.search import pages as search_pages
from kb.search import service
from tests.factories import ArticleFactory, CaseStudyFactory

URL = reverse("search:results")


def test_search_needs_login(client):
    response = client.get(URL, {"q": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_results_page_shows_highlighted_hits_facets_and_count(reader_client):
    ArticleFactory(title="Recruitment on LinkedIn", tags=["recruitment"])
    CaseStudyFactory(title="Recruitment at a council", tags=["public-sector"])
    response = reader_client.get(URL, {"q": "recruitment"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 results" in html
    assert "<mark>Recruitment</mark> on LinkedIn" in html
    assert "Case study" in html and "Article" in html
    assert 'href="?q=recruitment&amp;type=article"' in html


def test_a_facet_link_narrows_and_the_filter_can_be_removed(reader_client):
    ArticleFactory(title="Video for nurses", tags=["health"])
    ArticleFactory(title="Video for teachers", tags=["education"])
    response = reader_client.get(URL, {"q": "video", "tag": "health"})
    html = response.content.decode()
    assert (
        "1 result " in html
        and "Video for nurses" not in html.replace("<mark>", "").replace("</mark>", "")
        or "nurses" in html
    )
    assert "teachers" not in html
    assert 'href="?q=video"' in html  # remove the tag filter


def test_the_typo_notice_links_to_the_corrected_query(reader_client):
    ArticleFactory(title="LinkedIn for beginners")
    html = reader_client.get(URL, {"q": "linkdin"}).content.decode()
    assert "No results for “linkdin”" in html and "Showing results for" in html
    assert "beginners" in html


def test_no_results_says_so_clearly(reader_client):
    html = reader_client.get(URL, {"q": "zzzzqqq"}).content.decode()
    assert "No results for “zzzzqqq”" in html


def test_invalid_filters_are_ignored_with_a_notice(reader_client):
    ArticleFactory(title="Webinar guide")
    response = reader_client.get(
        URL, {"q": "webinar", "type": "nope", "year": "abc", "evidence": "9x", "tag": "<b>"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some filters were ignored" in html and "1 result" in html


def test_an_authors_own_draft_is_listed_as_a_draft(advocate_client, advocate):
    ArticleFactory(title="My webinar draft", status=Status.DRAFT, author=advocate)
    html = advocate_client.get(URL, {"q": "webinar"}).content.decode()
    assert "badge-draft" in html


@pytest.mark.parametrize("page_size", [1, 20])
@pytest.mark.parametrize("few_hits", [True, False])
def test_a_results_page_costs_the_same_queries_whatever_its_size(
    reader_client, settings, monkeypatch, django_assert_num_queries, page_size, few_hits,
):  # fmt: skip
    monkeypatch.setattr(service, "SCORE_BY_ID_LIMIT", 1000 if few_hits else 0)
    for n in range(25):
        ArticleFactory(title=f"Newsletter idea {n}", tags=["email", f"t{n}"])
    settings.KB_PAGE_SIZE = page_size
    reader_client.get(URL, {"q": "newsletter"})  # warm the session and content types
    match_cache.forget()  # and measure a search not asked before
    search_pages.forget()
    # The session and the user (with their profile, unread count and the version their
    # kept permissions are under: kb.accounts.backends) for the header; for
    # the results the newest index change, the searcher's own entries, the synonyms of the
    # query's words, the matching ids, then either their tiers and scores (few hits) or the
    # scores of those with the word in the title (many), the evidence and dates of the best,
    # and the highlighted rows.
    with django_assert_num_queries(9):
        response = reader_client.get(URL, {"q": "newsletter"})
    assert len(response.context["results"].hits) == page_size


def test_suggest_completes_the_last_word_and_returns_titles(reader_client):
    ArticleFactory(title="LinkedIn for beginners")
    data = reader_client.get(reverse("search:suggest"), {"q": "link"}).json()
    assert data["completions"] == ["linkedin"]
    assert data["results"][0]["title"] == "<mark>LinkedIn</mark> for beginners"
    assert data["results"][0]["url"].startswith("/articles/")


def test_suggest_handles_empty_and_hostile_input(reader_client):
    for text in ["", " ", '"', "-", "x" * 5000]:
        response = reader_client.get(reverse("search:suggest"), {"q": text})
        assert response.status_code == 200
        assert response.json()["results"] == []
    assert reader_client.get(reverse("search:suggest"), {"q": "a\x00b"}).status_code == 400
