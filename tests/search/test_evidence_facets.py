"""Evidence level and source rating are search facets across every graded kind, counted
against hand-made items; hits show the evidence badge; bad values are ignored with a notice."""

import pytest
from django.test import Client
from django.urls import reverse

from kb.core.evidence import EvidenceLevel
from kb.search import service
from kb.sources.models import Rating
from tests.experiments.factories import ExperimentFactory
from tests.factories import ArticleFactory, CaseStudyFactory, ResearchLinkFactory, SourceFactory

URL = reverse("search:results")


@pytest.fixture
def graded(db) -> None:
    """Eleven published items about podcasts, and a draft and an article that count nowhere:

    level 1: research (no source), research (low)         → 2
    level 2: case study (unrated), experiment ×2           → 3
    level 3: research (high), case study (moderate)        → 2
    level 4: research (high), case study (high)            → 2
    level 5: case study (no source), experiment            → 2
    ratings (case studies and research only): high 3, moderate 1, low 1, unrated 3 (two of
    them with no source) — experiments have no source, so no rating.
    """
    high = SourceFactory(domain=None, rating=Rating.HIGH)
    moderate = SourceFactory(domain=None, rating=Rating.MODERATE)
    low = SourceFactory(domain=None, rating=Rating.LOW)
    unrated = SourceFactory(domain=None, rating=Rating.UNRATED)
    ResearchLinkFactory(title="Podcast anecdote", evidence_level=1, source=None)
    ResearchLinkFactory(title="Podcast blog", evidence_level=1, source=low)
    CaseStudyFactory(title="Podcast council", evidence_level=2, source=unrated)
    ExperimentFactory.create_batch(2, title="Podcast trial", evidence_level=2)
    ResearchLinkFactory(title="Podcast benchmark", evidence_level=3, source=high)
    CaseStudyFactory(title="Podcast charity", evidence_level=3, source=moderate)
    ResearchLinkFactory(title="Podcast study", evidence_level=4, source=high)
    CaseStudyFactory(title="Podcast audit", evidence_level=4, source=high)
    CaseStudyFactory(title="Podcast replication", evidence_level=5, source=None)
    ExperimentFactory(title="Podcast verified trial", evidence_level=5)
    CaseStudyFactory(title="Podcast draft", evidence_level=5, status="draft", published_at=None)
    ArticleFactory(title="Podcast how-to")


def counts(results, name: str) -> list[tuple[str, int]]:
    return [(facet.value, facet.count) for facet in results.facets.get(name, [])]


def test_the_evidence_facet_counts_every_graded_kind_strongest_first(reader, graded) -> None:
    results = service.search("podcast", user=reader)
    assert counts(results, "evidence") == [("5", 2), ("4", 2), ("3", 2), ("2", 3), ("1", 2)]
    labels = [facet.label for facet in results.facets["evidence"]]
    assert labels == [level.label for level in reversed(EvidenceLevel)]


def test_the_rating_facet_counts_items_by_their_sources_rating_best_first(reader, graded) -> None:
    results = service.search("podcast", user=reader)
    assert counts(results, "rating") == [("high", 3), ("moderate", 1), ("low", 1), ("unrated", 3)]
    assert [facet.label for facet in results.facets["rating"]] == [
        "High", "Moderate", "Low", "Unrated",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"evidence": "5"}, {"Podcast replication", "Podcast verified trial"}),
        ({"evidence": "2"}, {"Podcast council", "Podcast trial"}),
        ({"rating": "high"}, {"Podcast benchmark", "Podcast study", "Podcast audit"}),
        ({"rating": "unrated"}, {"Podcast council", "Podcast replication", "Podcast anecdote"}),
        ({"rating": "high", "evidence": "4"}, {"Podcast study", "Podcast audit"}),
        ({"type": "experiment", "evidence": "5"}, {"Podcast verified trial"}),
    ],
)
def test_the_facets_narrow_the_results(reader, graded, filters: dict, expected: set) -> None:
    results = service.search("podcast", user=reader, filters=filters)
    assert {
        hit.title_html.replace("<mark>", "").replace("</mark>", "") for hit in results.hits
    } == (expected)


def test_the_results_page_offers_both_facets_with_their_titles(
    reader_client: Client, graded
) -> None:
    html = reader_client.get(URL, {"q": "podcast"}).content.decode()
    assert ">Evidence level</h2>" in html and ">Source rating</h2>" in html
    assert "?q=podcast&amp;rating=high" in html and "?q=podcast&amp;evidence=5" in html


def test_a_hit_shows_its_evidence_badge_linking_to_the_levels_page(
    reader_client: Client, graded
) -> None:
    response = reader_client.get(URL, {"q": "podcast", "evidence": "4"})
    html = response.content.decode()
    assert html.count(f'href="{reverse("evidence_levels")}#level-4"') == 2
    assert {hit.evidence_level for hit in response.context["results"].hits} == {4}


def test_a_hit_without_a_level_shows_no_badge(reader_client: Client, graded) -> None:
    response = reader_client.get(URL, {"q": "podcast", "type": "article"})
    (hit,) = response.context["results"].hits
    assert hit.evidence_level is None
    assert (
        reverse("evidence_levels")
        not in response.content.decode().split('class="search-results"')[1]
    )


@pytest.mark.parametrize(
    "params",
    [{"rating": "stellar"}, {"rating": "HIGH"}, {"evidence": "0"}, {"evidence": "<script>"}],
)
def test_bad_facet_values_are_ignored_with_a_notice(
    reader_client: Client, graded, params: dict
) -> None:
    response = reader_client.get(URL, {"q": "podcast", **params})
    assert response.status_code == 200
    assert set(params) <= set(response.context["form_errors"])
    assert response.context["results"].total == 12  # eleven graded items and the article


def test_rating_a_source_moves_its_items_in_the_facet(reader, db) -> None:
    source = SourceFactory(domain=None, rating=Rating.UNRATED)
    ResearchLinkFactory(title="Podcast survey", source=source)
    assert counts(service.search("podcast", user=reader), "rating") == [("unrated", 1)]
    source.rating = Rating.HIGH
    source.save()
    assert counts(service.search("podcast", user=reader), "rating") == [("high", 1)]
