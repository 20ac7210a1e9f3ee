"""Evidence level ("at least") and source rating filter every list whose items have them:
case studies, research and experiments (which have no source), against hand-counted
items; a value off the scale is reported and ignored, never a 500."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb.core.evidence import EvidenceLevel
from kb.sources.models import Rating
from tests.experiments.factories import ExperimentFactory
from tests.factories import CaseStudyFactory, ResearchLinkFactory, SourceFactory

GRADED = {
    "case studies": (CaseStudyFactory, "casestudies:list"),
    "research": (ResearchLinkFactory, "research:list"),
    "experiments": (ExperimentFactory, "experiments:list"),
}
SOURCED = {name: GRADED[name] for name in ("case studies", "research")}

# Title → level: three of the five are measured or stronger.
LEVELS = {
    "Anecdote item": EvidenceLevel.ANECDOTE,
    "Self-reported item": EvidenceLevel.SELF_REPORTED,
    "Measured item": EvidenceLevel.MEASURED,
    "Second measured item": EvidenceLevel.MEASURED,
    "Verified item": EvidenceLevel.INDEPENDENTLY_VERIFIED,
}


def titles(response) -> set[str]:
    return {item.title for item in response.context["page"].object_list}


@pytest.fixture(params=GRADED.values(), ids=GRADED.keys())
def graded(request, db) -> str:
    factory, list_url = request.param
    for title, level in LEVELS.items():
        factory(title=title, evidence_level=level)
    factory(title="Draft verified item", evidence_level=5, status="draft", published_at=None)
    return reverse(list_url)


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (1, set(LEVELS)),
        (3, {"Measured item", "Second measured item", "Verified item"}),
        (4, {"Verified item"}),
        (5, {"Verified item"}),
    ],
)
def test_the_evidence_filter_keeps_items_at_the_level_or_stronger(
    reader_client: Client, graded: str, level: int, expected: set[str]
) -> None:
    response = reader_client.get(graded, {"evidence": level})
    assert titles(response) == expected
    assert response.context["filter_errors"] == {}


def test_the_strongest_evidence_sort_puts_the_best_graded_first(
    reader_client: Client, graded: str
) -> None:
    response = reader_client.get(graded, {"sort": "evidence"})
    levels = [item.evidence_level for item in response.context["page"].object_list]
    assert levels == sorted(levels, reverse=True)
    assert levels[0] == EvidenceLevel.INDEPENDENTLY_VERIFIED


@pytest.mark.parametrize("value", ["0", "6", "three", "3.5", "<script>", "9" * 400])
def test_an_evidence_value_off_the_scale_is_reported_and_ignored(
    reader_client: Client, graded: str, value: str
) -> None:
    response = reader_client.get(graded, {"evidence": value})
    assert response.status_code == 200
    assert "evidence" in response.context["filter_errors"]
    assert titles(response) == set(LEVELS)
    assert "Some filters were ignored" in response.content.decode()


# Source rating -------------------------------------------------------------------------


@pytest.fixture(params=SOURCED.values(), ids=SOURCED.keys())
def rated(request, db) -> str:
    factory, list_url = request.param
    for rating in Rating:
        source = SourceFactory(domain=None, rating=rating)
        factory(title=f"From a {rating.label.lower()} source", source=source)
    factory(title="From no registered source", source=None)
    return reverse(list_url)


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        ("high", {"From a high source"}),
        ("moderate", {"From a moderate source"}),
        ("low", {"From a low source"}),
        # An item whose site is not in the register counts as unrated, as in search.
        ("unrated", {"From a unrated source", "From no registered source"}),
    ],
)
def test_the_source_rating_filter_keeps_items_from_sources_rated_so(
    reader_client: Client, rated: str, rating: str, expected: set[str]
) -> None:
    response = reader_client.get(rated, {"rating": rating})
    assert titles(response) == expected


@pytest.mark.parametrize("value", ["excellent", "HIGH", "", "%00"])
def test_a_rating_that_is_not_one_is_reported_and_ignored(
    reader_client: Client, rated: str, value: str
) -> None:
    response = reader_client.get(rated, {"rating": value})
    assert response.status_code == 200
    assert len(titles(response)) == len(Rating) + 1
    if value:
        assert "rating" in response.context["filter_errors"]


def test_rating_and_evidence_filters_combine(reader_client: Client, db) -> None:
    high = SourceFactory(domain=None, rating=Rating.HIGH)
    ResearchLinkFactory(title="Strong and reputable", source=high, evidence_level=4)
    ResearchLinkFactory(title="Weak but reputable", source=high, evidence_level=1)
    ResearchLinkFactory(title="Strong, unknown site", source=None, evidence_level=4)
    response = reader_client.get(reverse("research:list"), {"rating": "high", "evidence": 3})
    assert titles(response) == {"Strong and reputable"}


@pytest.mark.parametrize(("factory", "list_url"), GRADED.values(), ids=GRADED.keys())
def test_a_filtered_list_costs_the_same_queries_for_one_item_as_for_many(
    reader_client: Client, settings, django_assert_num_queries, factory, list_url: str
) -> None:
    settings.KB_PAGE_SIZE = 30
    url = reverse(list_url) + "?evidence=3&sort=evidence"
    if factory is not ExperimentFactory:
        url += "&rating=high"

    def make(n: int) -> None:
        for _ in range(n):
            extra = (
                {}
                if factory is ExperimentFactory
                else {"source": SourceFactory(domain=None, rating="high")}
            )
            factory(evidence_level=4, tags=["video"], **extra)

    make(1)
    reader_client.get(url)
    cache.clear()  # each time every card rendered afresh, as at a first visit
    with CaptureQueriesContext(connection) as one:
        reader_client.get(url)
    make(24)
    cache.clear()
    with django_assert_num_queries(len(one)):
        response = reader_client.get(url)
    assert len(response.context["page"].object_list) == 25
