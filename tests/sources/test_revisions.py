"""A revision stores the URL, not the source: restoring one links the source of the URL it
brings back, and a deleted source never leaves a dangling key behind."""

from kb.research.models import ResearchLink
from kb.revisions.services import revision_record, revision_restore
from tests.factories import ResearchLinkFactory, SourceFactory


def test_restoring_a_revision_links_the_source_of_the_restored_url(editor, db) -> None:
    ons = SourceFactory(name="ONS", domain="ons.gov.uk")
    bbc = SourceFactory(name="BBC", domain="bbc.co.uk")
    link = ResearchLinkFactory(url="https://ons.gov.uk/a")
    first = revision_record(item=link, user=editor, message="Created")
    link.url = "https://bbc.co.uk/b"
    link.save()
    assert link.source == bbc
    revision_record(item=link, user=editor, message="Edited")
    revision_restore(item=link, revision=first, user=editor)
    assert ResearchLink.objects.get(pk=link.pk).source == ons


def test_deleting_a_source_keeps_its_items_and_their_publisher(db) -> None:
    source = SourceFactory(name="ONS", domain="ons.gov.uk")
    link = ResearchLinkFactory(url="https://ons.gov.uk/a", publisher="ONS")
    source.delete()
    link.refresh_from_db()
    assert (link.source, link.publisher) == (None, "ONS")
