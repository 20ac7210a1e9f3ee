"""The one evidence scale: the "What the levels mean" page, and the badge every graded item
and search hit shows, which links to the level's explanation there."""

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains

from kb.core.evidence import EXPLANATIONS, EvidenceLevel, level_label
from tests.experiments.factories import ExperimentFactory
from tests.factories import CaseStudyFactory, ResearchLinkFactory

LEVELS_URL = reverse("evidence_levels")
BADGE = re.compile(r'<a class="evidence evidence-(\d)" href="([^"]+)">(.*?)</a>', re.S)


def badges(html: str) -> list[tuple[str, str, str]]:
    return BADGE.findall(html)


def render_badge(level, detail: bool = False) -> str:
    template = Template("{% load kb %}{% evidence_badge level detail=detail %}")
    return template.render(Context({"level": level, "detail": detail}))


# The page ------------------------------------------------------------------------------


def test_the_levels_page_needs_a_sign_in(client: Client, db) -> None:
    response = client.get(LEVELS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_levels_page_explains_every_level_with_an_example_strongest_first(
    reader_client: Client,
) -> None:
    response = reader_client.get(LEVELS_URL)
    html = response.content.decode()
    positions = []
    for level in EvidenceLevel:
        explained = EXPLANATIONS[level]
        assertContains(response, f'id="level-{level.value}"')
        assertContains(response, f"Level {level.value}: {level.label}")
        assertContains(response, escape(explained.meaning))
        assertContains(response, escape(explained.example))
        positions.append(html.index(f'id="level-{level.value}"'))
    assert positions == sorted(positions, reverse=True), "strongest first"


def test_every_level_has_a_meaning_and_an_example() -> None:
    assert set(EXPLANATIONS) == set(EvidenceLevel)
    for explained in EXPLANATIONS.values():
        assert explained.meaning and explained.example


def test_the_levels_page_links_each_level_to_everything_graded_at_it(
    reader_client: Client,
) -> None:
    response = reader_client.get(LEVELS_URL)
    for level in EvidenceLevel:
        assertContains(response, f"{reverse('search:results')}?evidence={level.value}")


# The badge -----------------------------------------------------------------------------


@pytest.mark.parametrize("level", list(EvidenceLevel))
def test_a_badge_links_to_its_levels_explanation_and_says_so(level: EvidenceLevel) -> None:
    ((value, href, text),) = badges(render_badge(level.value))
    assert value == str(level.value)
    assert href == f"{LEVELS_URL}#level-{level.value}"
    readable = re.sub(r"<[^>]+>", "", text)
    assert readable == f"Evidence: {level.label} (what the evidence levels mean)"


def test_a_badge_on_an_items_own_page_says_evidence_visibly() -> None:
    html = render_badge(EvidenceLevel.MEASURED, detail=True)
    assert "Evidence: Measured with published data" in html
    assert '<span class="visually-hidden">Evidence: </span>' not in html


@pytest.mark.parametrize("value", [None, 0, 6, "3", "<script>"])
def test_no_badge_for_an_item_without_a_level_on_the_scale(value) -> None:
    assert render_badge(value).strip() == ""


def test_a_stored_level_off_the_scale_has_no_label() -> None:
    assert level_label(4) == "Peer-reviewed or audited"
    assert level_label(9) == level_label(None) == ""


@pytest.mark.parametrize(
    ("factory", "list_url"),
    [
        (CaseStudyFactory, "casestudies:list"),
        (ResearchLinkFactory, "research:list"),
        (ExperimentFactory, "experiments:list"),
    ],
    ids=["case study", "research link", "experiment"],
)
def test_cards_and_item_pages_of_every_graded_kind_show_the_badge(
    reader_client: Client, factory, list_url: str
) -> None:
    item = factory(evidence_level=EvidenceLevel.PEER_REVIEWED)
    expected = ("4", f"{LEVELS_URL}#level-4")
    for url in (reverse(list_url), item.get_absolute_url()):
        html = reader_client.get(url).content.decode()
        assert [(value, href) for value, href, _ in badges(html)] == [expected], url
