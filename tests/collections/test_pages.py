"""A brief reads as a one-page argument: items in order with their notes, each with its
headline result, evidence level and link, and nothing the reader may not see."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from kb.collections.entries import collection_entries
from kb.collections.models import Collection, Kind
from kb.core.evidence import EvidenceLevel, evidence_level_of
from kb.core.models import Status
from tests.collections.factories import CollectionFactory
from tests.experiments.factories import ExperimentFactory
from tests.factories import ArticleFactory, CaseStudyFactory, MetricFactory, ResearchLinkFactory


def _titles_in_order(html: str, titles: list[str]) -> list[str]:
    return sorted(titles, key=html.index)


def test_the_brief_shows_its_items_in_order_with_their_notes(
    reader_client: Client, brief: Collection
) -> None:
    response = reader_client.get(brief.get_absolute_url())
    html = response.content.decode()
    titles = ["Recruiting on LinkedIn", "Vacancy videos", "Trust barometer"]
    assert _titles_in_order(html, titles) == titles
    for note in [
        "A council doubled its applications.",
        "Our own trial cut the cost of hiring.",
        "Colleagues are trusted more than the brand.",
    ]:
        assertContains(response, note)


def test_the_brief_shows_each_items_headline_figures(
    reader_client: Client, brief: Collection
) -> None:
    response = reader_client.get(brief.get_absolute_url())
    # The case study's headline metric, worded as every card words it.
    assertContains(
        response, "Applications per vacancy:</strong> 14 applications → 31 applications, +121.4%"
    )
    # The experiment's measure against its baseline.
    assertContains(response, "Cost per hire:</strong> £1,200 → £900, −25%")
    assertContains(response, "(an improvement)")
    # The research link's key finding and its source's rating.
    assertContains(response, "Key finding:</strong> People trust employees more than CEOs.")
    assertContains(response, "High reputability")
    assertContains(response, "Edelman")


def test_the_brief_shows_the_evidence_level_of_items_that_have_one(
    reader_client: Client, brief: Collection
) -> None:
    response = reader_client.get(brief.get_absolute_url())
    assertContains(response, 'class="evidence evidence-4"')
    assertContains(response, "Peer-reviewed or audited")


def test_the_evidence_helper_reads_any_item_with_the_field_and_ignores_the_rest() -> None:
    class Graded:
        evidence_level = 3

    class Ungraded:
        pass

    class Unset:
        evidence_level = None

    assert evidence_level_of(Graded()) == EvidenceLevel.MEASURED
    assert evidence_level_of(Ungraded()) is None
    assert evidence_level_of(Unset()) is None


def test_items_the_reader_may_not_see_are_left_out(
    reader_client: Client, brief: Collection
) -> None:
    response = reader_client.get(brief.get_absolute_url())
    assertNotContains(response, "Someone else's draft")
    assertNotContains(response, "Not ready yet.")
    assertNotContains(response, "Trashed research")
    assertNotContains(response, "Withdrawn.")
    # Numbered from 1 among what is shown.
    entries = collection_entries(brief, response.wsgi_request.user)
    assert [entry.number for entry in entries] == [1, 2, 3]


def test_the_owner_of_a_draft_item_sees_it_and_an_editor_sees_every_item_not_in_the_trash(
    other_advocate_client: Client, editor_client: Client, brief: Collection
) -> None:
    assertContains(other_advocate_client.get(brief.get_absolute_url()), "Not ready yet.")
    response = editor_client.get(brief.get_absolute_url())
    assertContains(response, "Not ready yet.")
    assertNotContains(response, "Trashed research")


def test_an_item_without_a_headline_shows_its_summary(reader_client: Client, advocate) -> None:
    article = ArticleFactory(title="How to start", summary="Post *once* a week.")
    brief = CollectionFactory(created_by=advocate, items=[(article, "The first step.")])
    response = reader_client.get(brief.get_absolute_url())
    assertContains(response, "Post once a week.")


def test_a_case_study_without_metrics_has_no_headline(reader_client: Client, advocate) -> None:
    study = CaseStudyFactory(summary="A council's story without numbers.")
    brief = CollectionFactory(created_by=advocate, items=[(study, "A story.")])
    assertContains(reader_client.get(brief.get_absolute_url()), "without numbers")


def test_a_draft_collection_is_a_404_to_others(reader_client: Client, advocate) -> None:
    brief = CollectionFactory(created_by=advocate, status=Status.DRAFT, published_at=None)
    for url in [
        brief.get_absolute_url(),
        reverse("collections:markdown", args=[brief.slug]),
        reverse("collections:pdf", args=[brief.slug]),
        reverse("collections:edit", args=[brief.slug]),
    ]:
        assert reader_client.get(url).status_code == 404, url


def test_the_list_shows_published_collections_filtered_by_kind_and_audience(
    reader_client: Client, brief: Collection, path: Collection
) -> None:
    CollectionFactory(title="Unfinished draft", status=Status.DRAFT, published_at=None)
    response = reader_client.get(reverse("collections:list"))
    assertContains(response, brief.title)
    assertContains(response, path.title)
    assertNotContains(response, "Unfinished draft")
    response = reader_client.get(reverse("collections:list"), {"kind": Kind.PATH})
    assertNotContains(response, brief.title)
    assertContains(response, path.title)
    response = reader_client.get(reverse("collections:list"), {"audience": "no-such-audience"})
    assert response.status_code == 200


def test_a_reader_sees_no_edit_link_and_may_not_open_the_edit_page(
    reader_client: Client, brief: Collection
) -> None:
    response = reader_client.get(brief.get_absolute_url())
    assertNotContains(response, reverse("collections:edit", args=[brief.slug]))
    assert reader_client.get(reverse("collections:edit", args=[brief.slug])).status_code == 403


# Queries ------------------------------------------------------------------------------


def _brief_of(advocate, count: int) -> Collection:
    items = []
    for _ in range(count):
        study = CaseStudyFactory()
        MetricFactory(case_study=study)
        items += [
            (study, "A study."),
            (ResearchLinkFactory(), "A finding."),
            (ExperimentFactory(), "A trial."),
            (ArticleFactory(), "A guide."),
        ]
    return CollectionFactory(created_by=advocate, items=items)


@pytest.mark.parametrize("kind", [Kind.BRIEF, Kind.PATH])
def test_a_collection_page_costs_the_same_queries_for_one_item_of_each_kind_or_many(
    reader_client: Client, advocate, django_assert_max_num_queries, kind: str
) -> None:
    small, large = _brief_of(advocate, 1), _brief_of(advocate, 6)
    Collection.objects.filter(pk__in=[small.pk, large.pk]).update(kind=kind)
    reader_client.get(small.get_absolute_url())  # warm the content type cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert reader_client.get(small.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = reader_client.get(large.get_absolute_url())
    assert response.status_code == 200
    assert len(re.findall('<li class="brief-item', response.content.decode())) == 24
    assert len(many) == len(one)


def test_the_list_costs_the_same_queries_for_one_collection_or_many(
    reader_client: Client, advocate
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CollectionFactory(tags=["advocacy"])
    reader_client.get(reverse("collections:list"))
    with CaptureQueriesContext(connection) as one:
        reader_client.get(reverse("collections:list"))
    for n in range(6):
        CollectionFactory(
            tags=["advocacy", f"t{n}"], audience__slug=f"a{n}", audience__name=f"A{n}"
        )
    reader_client.get(reverse("collections:list"))  # counts the list afresh, as at first
    with CaptureQueriesContext(connection) as many:
        response = reader_client.get(reverse("collections:list"))
    assert response.content.decode().count('class="card card-collection"') == 7
    assert len(many) == len(one)
