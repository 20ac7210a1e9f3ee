"""The article form's autocomplete for related case studies and research."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kb.core.models import Status
from tests.factories import CaseStudyFactory, ResearchLinkFactory

OPTIONS = reverse("articles:related_options")


def labels(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [result["label"] for result in response.json()["results"]]


def test_it_finds_published_case_studies_by_title_ignoring_case(advocate_client: Client) -> None:
    match = CaseStudyFactory(title="Recruiting on LinkedIn")
    CaseStudyFactory(title="Video on TikTok")

    response = advocate_client.get(OPTIONS, {"field": "related_case_studies", "q": "linkedin"})

    assert response.json() == {"results": [{"id": match.pk, "label": "Recruiting on LinkedIn"}]}


def test_it_never_offers_drafts_items_in_review_or_scheduled_ones(advocate_client: Client) -> None:
    CaseStudyFactory(title="LinkedIn published")
    CaseStudyFactory(title="LinkedIn draft", status=Status.DRAFT, published_at=None)
    CaseStudyFactory(title="LinkedIn in review", status=Status.IN_REVIEW, published_at=None)
    CaseStudyFactory(title="LinkedIn scheduled", published_at=timezone.now() + timedelta(days=1))

    response = advocate_client.get(OPTIONS, {"field": "related_case_studies", "q": "LinkedIn"})

    assert labels(response) == ["LinkedIn published"]


def test_it_searches_research_too(reader_client: Client) -> None:
    ResearchLinkFactory(title="Trust in employee voices")
    CaseStudyFactory(title="Trust in a council")

    response = reader_client.get(OPTIONS, {"field": "related_research", "q": "trust"})

    assert labels(response) == ["Trust in employee voices"]


def test_it_answers_at_most_20_ordered_by_title(advocate_client: Client) -> None:
    for n in reversed(range(25)):
        CaseStudyFactory(title=f"Study {n:02}")

    response = advocate_client.get(OPTIONS, {"field": "related_case_studies", "q": "study"})

    assert labels(response) == [f"Study {n:02}" for n in range(20)]


def test_an_empty_query_lists_the_first_20(advocate_client: Client) -> None:
    for n in range(22):
        ResearchLinkFactory(title=f"Report {n:02}")

    response = advocate_client.get(OPTIONS, {"field": "related_research", "q": "  "})

    assert labels(response) == [f"Report {n:02}" for n in range(20)]


def test_a_query_over_200_characters_is_cut_to_200(advocate_client: Client) -> None:
    CaseStudyFactory(title="x" * 200)

    response = advocate_client.get(OPTIONS, {"field": "related_case_studies", "q": "x" * 500})

    assert labels(response) == ["x" * 200]


def test_an_unknown_field_is_a_bad_request(advocate_client: Client) -> None:
    for field in ("author", "", "related_case_studies "):
        response = advocate_client.get(OPTIONS, {"field": field, "q": "a"})

        assert response.status_code == 400
        assert "related_case_studies" in response.json()["error"]
