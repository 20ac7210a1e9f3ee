"""A research link's evidence level: what its kind of publication shows unless someone
grades it, in the form, the import and the migration of the links already in the KB."""

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from kb.core.evidence import EvidenceLevel
from kb.research.importing import research_import_commit
from kb.research.models import Kind, ResearchLink, evidence_for_kind
from tests.factories import ResearchLinkFactory
from tests.research.test_pages import form_data

migration = importlib.import_module("kb.research.migrations.0005_researchlink_evidence_level")

BY_KIND = {
    Kind.PEER_REVIEWED: EvidenceLevel.PEER_REVIEWED,
    Kind.INDUSTRY_REPORT: EvidenceLevel.MEASURED,
    Kind.SURVEY: EvidenceLevel.MEASURED,
    Kind.NEWS: EvidenceLevel.ANECDOTE,
    Kind.BOOK: EvidenceLevel.ANECDOTE,
    Kind.TALK: EvidenceLevel.ANECDOTE,
    Kind.OTHER: EvidenceLevel.ANECDOTE,
}


@pytest.mark.parametrize(("kind", "level"), BY_KIND.items())
def test_a_kind_of_publication_promises_no_more_than_it_shows(kind: str, level: int) -> None:
    assert evidence_for_kind(kind) == level


def test_a_link_nobody_graded_claims_the_lowest_level(db) -> None:
    link = ResearchLink(url="https://example.org/x", title="x", publisher="x", key_finding="x")
    assert link.evidence_level == EvidenceLevel.ANECDOTE


@pytest.mark.parametrize(("kind", "level"), BY_KIND.items())
def test_a_link_added_without_a_level_takes_the_level_of_its_kind(
    advocate_client: Client, kind: str, level: int
) -> None:
    response = advocate_client.post(
        reverse("research:create"), form_data(kind=kind, evidence_level="")
    )
    assert response.status_code == 302
    assert ResearchLink.all_objects.get().evidence_level == level


def test_the_add_form_offers_the_kinds_level_rather_than_preselecting_one(
    advocate_client: Client,
) -> None:
    form = advocate_client.get(reverse("research:create")).context["form"]
    assert form["evidence_level"].value() == ""


def test_a_level_chosen_in_the_form_is_kept(advocate_client: Client) -> None:
    data = form_data(kind=Kind.NEWS, evidence_level=str(EvidenceLevel.INDEPENDENTLY_VERIFIED))
    advocate_client.post(reverse("research:create"), data)
    assert ResearchLink.all_objects.get().evidence_level == 5


def test_editing_a_link_shows_and_keeps_its_level(advocate_client: Client, advocate) -> None:
    link = ResearchLinkFactory(added_by=advocate, kind=Kind.SURVEY, evidence_level=5)
    url = reverse("research:edit", args=[link.slug])
    assert advocate_client.get(url).context["form"]["evidence_level"].value() == 5
    data = form_data(url=link.url, kind=Kind.SURVEY, evidence_level="5", base_version=link.version)
    assert advocate_client.post(url, data).status_code == 302
    link.refresh_from_db()
    assert link.evidence_level == 5


@pytest.mark.parametrize("value", ["0", "6", "high", "<b>4</b>"])
def test_a_level_off_the_scale_is_a_form_error_that_keeps_the_text(
    advocate_client: Client, value: str
) -> None:
    response = advocate_client.post(
        reverse("research:create"), form_data(evidence_level=value, title="My typed title")
    )
    assert response.status_code == 200
    assert "evidence_level" in response.context["form"].errors
    assert response.context["form"]["title"].value() == "My typed title"
    assert not ResearchLink.all_objects.exists()


def test_imported_links_take_the_level_of_their_kind(db, editor) -> None:
    content = (
        b"url,title,publisher,kind,key_finding\n"
        b"https://a.example.org/1,Reviewed,Journal,peer_reviewed,Found\n"
        b"https://a.example.org/2,Surveyed,Lab,survey,Found\n"
        b"https://a.example.org/3,Reported,Paper,news,Found\n"
    )
    research_import_commit(content=content, filename="refs.csv", user=editor)
    levels = dict(ResearchLink.all_objects.values_list("title", "evidence_level"))
    assert levels == {"Reviewed": 4, "Surveyed": 3, "Reported": 1}


def test_the_migration_grades_existing_links_by_kind_the_trash_included(db) -> None:
    links = {kind: ResearchLinkFactory(kind=kind) for kind in BY_KIND}
    trashed = ResearchLinkFactory(kind=Kind.PEER_REVIEWED, deleted_at="2026-01-01T00:00:00Z")
    ResearchLink.all_objects.update(evidence_level=1)  # as the added column left them
    migration.grade_by_kind(apps, None)
    for kind, link in links.items():
        link.refresh_from_db()
        assert link.evidence_level == BY_KIND[kind], kind
    assert ResearchLink.all_objects.get(pk=trashed.pk).evidence_level == 4
