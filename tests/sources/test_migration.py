"""The data migration that makes sources from the free-text publishers, run directly on
hand-made rows: one source per publisher, unambiguous domains only, nothing lost."""

import importlib

import pytest
from django.apps import apps

from kb.casestudies.models import CaseStudy
from kb.research.models import ResearchLink
from kb.sources.models import Source, SourceDomain
from tests.factories import CaseStudyFactory, ResearchLinkFactory

migration = importlib.import_module("kb.sources.migrations.0002_sources_from_publishers")


def unlinked(model, **fields):
    """A row as it stood before the register: saved, then its source link removed."""
    item = (ResearchLinkFactory if model is ResearchLink else CaseStudyFactory)(**fields)
    model.all_objects.filter(pk=item.pk).update(source=None)
    return item


@pytest.fixture
def rows(db) -> dict:
    return {
        "ons1": unlinked(
            ResearchLink, publisher="Office for National Statistics", url="https://www.ons.gov.uk/a"
        ),
        "ons2": unlinked(
            ResearchLink, publisher="office for national statistics ", url="https://ons.gov.uk/b"
        ),
        "ons3": unlinked(
            CaseStudy,
            publisher="Office for  National Statistics",
            source_url="https://blog.ons.gov.uk/c",
        ),
        "medium1": unlinked(ResearchLink, publisher="Jane Doe", url="https://medium.com/@jane/x"),
        "medium2": unlinked(ResearchLink, publisher="Joe Bloggs", url="https://medium.com/@joe/y"),
        "blank": unlinked(CaseStudy, publisher="", source_url="https://ons.gov.uk/d"),
        "nothing": unlinked(CaseStudy, publisher="", source_url=""),
    }


def run_forward() -> None:
    migration.sources_from_publishers(apps, None)


def test_it_makes_one_source_per_publisher_named_by_its_most_common_spelling(rows: dict) -> None:
    run_forward()
    assert sorted(Source.objects.values_list("name", flat=True)) == [
        "Jane Doe", "Joe Bloggs", "Office for National Statistics",
    ]  # fmt: skip


def test_it_links_every_item_with_a_publisher_to_its_source(rows: dict) -> None:
    run_forward()
    ons = Source.objects.get(name="Office for National Statistics")
    for key in ("ons1", "ons2", "ons3"):
        rows[key].refresh_from_db()
        assert rows[key].source == ons
    rows["medium1"].refresh_from_db()
    assert rows["medium1"].source.name == "Jane Doe"


def test_it_attaches_a_domain_only_when_one_publisher_uses_it(rows: dict) -> None:
    run_forward()
    assert set(SourceDomain.objects.values_list("domain", "source__name")) == {
        ("ons.gov.uk", "Office for National Statistics"),
        ("blog.ons.gov.uk", "Office for National Statistics"),
    }


def test_a_host_where_anyone_publishes_is_never_attached(db) -> None:
    unlinked(ResearchLink, publisher="Comms Unconference", url="https://www.youtube.com/watch?v=1")
    unlinked(ResearchLink, publisher="Comms Unconference", url="https://m.youtube.com/watch?v=2")
    run_forward()
    assert Source.objects.get().name == "Comms Unconference"
    assert not SourceDomain.objects.exists()


def test_an_item_without_a_publisher_gets_the_source_of_its_domain(rows: dict) -> None:
    run_forward()
    rows["blank"].refresh_from_db()
    rows["nothing"].refresh_from_db()
    assert rows["blank"].source.name == "Office for National Statistics"
    assert rows["nothing"].source is None


def test_no_publisher_text_changes_and_the_reverse_only_unlinks(rows: dict) -> None:
    before = {key: item.publisher for key, item in rows.items()}
    run_forward()
    migration.unlink_items(apps, None)
    for key, item in rows.items():
        item.refresh_from_db()
        assert item.publisher == before[key]
        assert item.source is None


def test_it_can_run_again_without_duplicating_sources(rows: dict) -> None:
    run_forward()
    run_forward()
    assert Source.objects.count() == 3
    assert SourceDomain.objects.count() == 2


def test_items_in_the_trash_are_migrated_too(db) -> None:
    item = unlinked(ResearchLink, publisher="Gartner", url="https://gartner.com/x")
    ResearchLink.all_objects.filter(pk=item.pk).update(deleted_at="2026-01-01T00:00:00Z")
    run_forward()
    assert ResearchLink.all_objects.get(pk=item.pk).source.name == "Gartner"
