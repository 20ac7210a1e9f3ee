"""A research link's DOI: stored normalised, one entry per DOI, shown on the page."""

from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from kb.research.models import ResearchLink
from kb.research.urls_normalize import normalize_doi
from tests.factories import ResearchLinkFactory
from tests.research.test_pages import form_data


def test_it_stores_a_doi_link_as_the_bare_lower_case_doi(advocate_client: Client) -> None:
    response = advocate_client.post(
        reverse("research:create"), form_data(doi="https://doi.org/10.5555/ABC.Def")
    )
    assert response.status_code == 302
    link = ResearchLink.all_objects.get()
    assert link.doi == "10.5555/abc.def"
    assertContains(advocate_client.get(link.get_absolute_url()), "10.5555/abc.def")


def test_it_refuses_a_doi_already_in_the_kb_with_a_form_error(advocate_client: Client) -> None:
    ResearchLinkFactory(doi="10.5555/abc")
    response = advocate_client.post(reverse("research:create"), form_data(doi="doi:10.5555/ABC"))
    assertContains(response, "This DOI is already in the KB.")
    assert ResearchLink.all_objects.count() == 1


def test_links_without_a_doi_do_not_clash(db) -> None:
    ResearchLinkFactory(doi="")
    ResearchLinkFactory(doi="")
    assert ResearchLink.all_objects.filter(doi="").count() == 2


def test_it_normalises_the_ways_a_doi_is_written() -> None:
    for written in [
        "10.1000/XYZ",
        " https://doi.org/10.1000/xyz ",
        "http://dx.doi.org/10.1000/Xyz",
        "DOI: 10.1000/xyz",
    ]:
        assert normalize_doi(written) == "10.1000/xyz"
