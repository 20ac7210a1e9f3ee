"""Finding a URL's source by its domain: sub-domains, www., ports, IDN, the longest
registered domain winning, and unknown or unusable hosts."""

import pytest

from kb.sources.domains import BadDomain, candidate_domains, normalize_domain
from kb.sources.models import Source
from tests.factories import CaseStudyFactory, ResearchLinkFactory, SourceFactory


@pytest.fixture
def bbc(db) -> Source:
    return SourceFactory(name="BBC", domain="bbc.co.uk")


def test_it_lists_a_domain_and_its_parents_longest_first() -> None:
    assert candidate_domains("news.bbc.co.uk") == ["news.bbc.co.uk", "bbc.co.uk", "co.uk", "uk"]


@pytest.mark.parametrize(
    "url",
    [
        "https://bbc.co.uk/news/1",
        "https://www.bbc.co.uk/news/1",
        "http://news.bbc.co.uk/article",
        "https://WWW.BBC.CO.UK./x",
        "https://bbc.co.uk:8443/x",
        "https://user:secret@feeds.news.bbc.co.uk/rss",
    ],
)
def test_it_matches_the_domain_and_its_sub_domains(bbc: Source, url: str) -> None:
    assert Source.objects.for_url(url) == bbc


def test_it_does_not_match_a_domain_that_only_ends_in_the_same_letters(bbc: Source) -> None:
    assert Source.objects.for_url("https://notbbc.co.uk/x") is None


def test_the_longest_registered_domain_wins(bbc: Source) -> None:
    sounds = SourceFactory(name="BBC Sounds", domain="sounds.bbc.co.uk")
    assert Source.objects.for_url("https://live.sounds.bbc.co.uk/a") == sounds
    assert Source.objects.for_url("https://news.bbc.co.uk/a") == bbc


def test_an_international_domain_matches_in_either_spelling(db) -> None:
    source = SourceFactory(name="Bücher", domain=normalize_domain("bücher.de"))
    assert source.domains.get().domain == "xn--bcher-kva.de"
    assert Source.objects.for_url("https://www.bücher.de/x") == source
    assert Source.objects.for_url("https://xn--bcher-kva.de/x") == source


@pytest.mark.parametrize("url", ["https://unknown.example/x", "", "not a url", "https://[::1/"])
def test_an_unknown_or_unusable_url_matches_nothing(bbc: Source, url: str) -> None:
    assert Source.objects.for_url(url) is None


def test_matching_is_one_query(bbc: Source, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        assert Source.objects.for_url("https://a.b.c.news.bbc.co.uk/x") == bbc


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ONS.gov.uk", "ons.gov.uk"),
        (" www.ons.gov.uk ", "ons.gov.uk"),
        ("https://www.ons.gov.uk/some/page", "ons.gov.uk"),
        ("ons.gov.uk:443", "ons.gov.uk"),
    ],
)
def test_a_typed_domain_is_stored_in_one_spelling(typed: str, stored: str) -> None:
    assert normalize_domain(typed) == stored


@pytest.mark.parametrize("typed", ["", "exa mple.org", "a..b", "-" * 300 + ".org", "bad_host!.org"])
def test_a_domain_that_names_no_site_is_refused(typed: str) -> None:
    with pytest.raises(BadDomain):
        normalize_domain(typed)


def test_saving_an_item_links_it_to_the_source_of_its_url(bbc: Source) -> None:
    link = ResearchLinkFactory(url="https://www.bbc.co.uk/news/123")
    case_study = CaseStudyFactory(source_url="https://news.bbc.co.uk/x")
    assert link.source == bbc
    assert case_study.source == bbc
