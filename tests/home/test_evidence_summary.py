"""Every topic page opens with the strength of its evidence: published items per level
across every graded kind, and the strongest three, in queries that do not grow with items."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from kb.core import fragments
from kb.core import published_cache as home_cache
from kb.core.evidence import EvidenceLevel
from kb.core.models import Status
from tests.experiments.factories import ExperimentFactory
from tests.factories import ArticleFactory, CaseStudyFactory, ResearchLinkFactory

TAG = "recruitment"
URL = reverse("tag_detail", args=[TAG])


def ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def topic(db) -> None:
    """Published on the topic — level 5: 1; 4: 2; 3: 1; 2: 3; 1: 1 (eight graded, four
    measured or stronger) — and what must count nowhere."""
    CaseStudyFactory(
        title="Verified council story", evidence_level=5, tags=[TAG], published_at=ago(30)
    )
    CaseStudyFactory(title="Audited hospital", evidence_level=4, tags=[TAG], published_at=ago(2))
    ResearchLinkFactory(
        title="Peer-reviewed study", evidence_level=4, tags=[TAG], published_at=ago(1)
    )
    ResearchLinkFactory(title="Sector benchmark", evidence_level=3, tags=[TAG])
    CaseStudyFactory(title="Charity's own figures", evidence_level=2, tags=[TAG])
    ExperimentFactory.create_batch(2, evidence_level=2, tags=[TAG])
    ResearchLinkFactory(title="A talk", evidence_level=1, tags=[TAG])
    # Counted nowhere: a draft, a scheduled item, the trash, another topic, an article.
    CaseStudyFactory(
        title="Draft", evidence_level=5, tags=[TAG], status=Status.DRAFT, published_at=None
    )
    ResearchLinkFactory(title="Scheduled", evidence_level=5, tags=[TAG], published_at=ago(-1))
    CaseStudyFactory(title="Trashed", evidence_level=5, tags=[TAG], deleted_at=timezone.now())
    CaseStudyFactory(title="Other topic", evidence_level=5, tags=["podcasts"])
    ArticleFactory(title="How to recruit", tags=[TAG])


def test_it_counts_published_items_per_level_strongest_first(reader_client: Client, topic) -> None:
    summary = reader_client.get(URL).context["evidence"]
    assert [(level.value, count) for level, count in summary.levels] == [
        (5, 1), (4, 2), (3, 1), (2, 3), (1, 1),
    ]  # fmt: skip
    assert summary.graded == 8
    assert summary.measured_or_stronger == 4


def test_it_names_the_strongest_three_newest_first_on_a_tie(reader_client: Client, topic) -> None:
    summary = reader_client.get(URL).context["evidence"]
    assert [item.title for item in summary.strongest] == [
        "Verified council story", "Peer-reviewed study", "Audited hospital",
    ]  # fmt: skip


def test_the_page_opens_with_the_summary(reader_client: Client, topic) -> None:
    response = reader_client.get(URL)
    html = response.content.decode()
    assert html.index('id="evidence-heading"') < html.index('id="tag-casestudy"')
    assertContains(response, "8 published items are graded on this topic; 4 rest on measured")
    summary = html[html.index('id="evidence-heading"') : html.index("</section>")]
    levels_url = reverse("evidence_levels")
    for level in EvidenceLevel:
        assert f'href="{levels_url}#level-{level.value}"' in summary
    assert f'{reverse("search:results")}?tag={TAG}&amp;evidence=2">3 items' in summary
    for title in ("Verified council story", "Peer-reviewed study", "Audited hospital"):
        assert title in summary
    assert "Draft" not in summary and "Trashed" not in summary and "Scheduled" not in summary


def test_an_empty_level_shows_none_and_no_link(reader_client: Client, db) -> None:
    CaseStudyFactory(evidence_level=3, tags=[TAG])
    response = reader_client.get(URL)
    assertContains(response, "1 published item is graded on this topic; 1 rests on measured")
    assertNotContains(response, "&amp;evidence=5")
    assertContains(response, "none", count=4)


def test_a_topic_with_nothing_graded_has_no_summary(reader_client: Client, db) -> None:
    ArticleFactory(tags=[TAG])
    response = reader_client.get(URL)
    assert response.context["evidence"].graded == 0
    assertNotContains(response, 'id="evidence-heading"')


def build(n: int) -> None:
    for _ in range(n):
        CaseStudyFactory(evidence_level=5, tags=[TAG])
        ResearchLinkFactory(evidence_level=4, tags=[TAG])
        ExperimentFactory(evidence_level=2, tags=[TAG])


def test_the_summary_costs_the_same_queries_for_one_item_as_for_many(
    reader_client: Client, django_assert_num_queries
) -> None:
    build(1)
    reader_client.get(URL)  # warm per-process caches (content types)
    home_cache.invalidate()  # count both the way build() leaves them: chosen afresh
    fragments.changed()  # and the page's shared part rendered afresh
    with CaptureQueriesContext(connection) as for_one:
        reader_client.get(URL)
    build(15)
    with django_assert_num_queries(len(for_one)):
        response = reader_client.get(URL)
    assert response.context["evidence"].graded == 48
