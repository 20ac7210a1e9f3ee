"""Search indexes, finds and filters a kind of content with no list of kinds in kb.search
(the test-only findings of tests.registry_app)."""

from django.test import Client
from django.urls import reverse

from kb.search.forms import SearchForm
from tests.registry_app.factories import FindingFactory

URL = reverse("search:results")


def test_search_finds_a_registered_kind_under_its_type(reader_client: Client) -> None:
    FindingFactory(title="Lunchtime posts travel")
    response = reader_client.get(URL, {"q": "lunchtime"})
    html = response.content.decode()
    assert "1 result" in html and "Finding" in html
    assert 'href="?q=lunchtime&amp;type=finding"' in html
    assert "Independently verified" in html  # its evidence facet, on the shared scale


def test_the_search_form_accepts_a_registered_kinds_type_and_facet_values(db) -> None:
    form = SearchForm({"type": "finding", "evidence": "5"})
    assert form.is_valid() and form.filters() == {"type": "finding", "evidence": "5"}
