"""The facets are those the searchable models declare: the form, the page, the index and
the counts read the declarations, and a system check keeps them consistent."""

import pytest
from django.test import Client
from django.urls import reverse

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.core.evidence import EvidenceLevel
from kb.core.search import TAGS, FacetField
from kb.search import service
from kb.search.forms import SearchForm
from kb.search.models import IndexFacet
from tests.factories import CaseStudyFactory

URL = reverse("search:results")


@pytest.fixture
def redeclared(monkeypatch):
    """Change a model's declarations for one test, the cached union with them."""
    service.facet_fields.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    service.facet_fields.cache_clear()


def test_the_form_has_a_field_for_the_type_and_every_declared_facet(db) -> None:
    form = SearchForm({})
    names = {"type", "tag", "platform", "department", "evidence", "rating", "year"}
    assert names <= set(form.fields) and set(form.fields) - names == {"q", "sort"}
    assert form.fields["tag"].label == "Topic"


def test_a_facet_declared_with_a_field_is_read_from_it_and_labelled_by_its_choices(
    reader_client: Client,
) -> None:
    study = CaseStudyFactory(title="Nurse recruitment", evidence_level=EvidenceLevel.MEASURED)
    assert ("evidence", "3", "Measured with published data") in IndexFacet.objects.values_list(
        "name", "value", "label"
    )
    html = reader_client.get(URL, {"q": "nurse"}).content.decode()
    assert "Evidence level</h2>" in html and "Measured with published data" in html
    assert reader_client.get(URL, {"q": "nurse", "evidence": "3"}).context["results"].total == 1
    assert reader_client.get(URL, {"q": "nurse", "evidence": "4"}).context["results"].total == 0
    assert study.get_absolute_url() in html


def test_a_new_facet_is_one_declaration_on_the_model(redeclared, reader_client: Client) -> None:
    declared = FacetField("organisation", "Organisation", field="organisation", position=60)
    redeclared.setattr(CaseStudy, "SEARCH_FACETS", (*CaseStudy.SEARCH_FACETS, declared))
    CaseStudyFactory(title="Nurse recruitment", organisation="Northshire")
    html = reader_client.get(URL, {"q": "nurse"}).content.decode()
    assert "Organisation</h2>" in html and "?q=nurse&amp;organisation=Northshire" in html
    narrowed = reader_client.get(URL, {"q": "nurse", "organisation": "Northshire"})
    assert narrowed.context["results"].total == 1


def test_the_check_reports_a_facet_declared_unlike_elsewhere_or_with_no_such_field(
    redeclared,
) -> None:
    redeclared.setattr(
        Article,
        "SEARCH_FACETS",
        (FacetField("tag", "Tags", multiple=True), FacetField("mood", "Mood", field="mood")),
    )
    redeclared.setattr(CaseStudy, "SEARCH_FACETS", (TAGS,))
    ids = {message.id for message in service.check_facet_declarations()}
    assert ids == {"search.E001", "search.E002"}


def test_the_declarations_check_out(db) -> None:
    assert service.check_facet_declarations() == []
