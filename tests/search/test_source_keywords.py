"""A source's name is a search keyword of what it published, and follows a rename."""

from kb.search import service
from tests.factories import CaseStudyFactory, ResearchLinkFactory, SourceFactory


def found(text: str, user) -> list[str]:
    return sorted(hit.url for hit in service.search(text, user=user).hits)


def test_items_are_found_by_their_source_name_even_after_a_rename(reader) -> None:
    source = SourceFactory(name="Quangoville Statistics", domain="quango.example")
    link = ResearchLinkFactory(url="https://quango.example/a", publisher="QS")
    case_study = CaseStudyFactory(source_url="https://data.quango.example/b")
    expected = sorted([link.get_absolute_url(), case_study.get_absolute_url()])
    assert found("quangoville", reader) == expected
    source.name = "Zanzibarland Statistics"
    source.save()
    assert found("zanzibarland", reader) == expected
