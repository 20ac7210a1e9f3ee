"""Saving research and case studies through the site: the URL's source is linked, a blank
publisher is named from it, and an unknown domain can be proposed as an unrated source."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from kb.casestudies.models import CaseStudy
from kb.research.models import ResearchLink
from kb.sources.models import Rating, Source
from tests.casestudies.test_pages import form_data as case_study_data
from tests.factories import ResearchLinkFactory, SourceFactory
from tests.research.test_pages import form_data as research_data

FORM_ERROR_NOTICE = "Please correct the errors below"


@pytest.fixture
def ons(db) -> Source:
    return SourceFactory(
        name="Office for National Statistics",
        domain="ons.gov.uk",
        rating=Rating.HIGH,
        rationale="The UK's national statistics body.",
    )


def add_research(client: Client, **fields):
    return client.post(reverse("research:create"), research_data(**fields))


def test_a_known_domain_links_the_source_and_keeps_the_publisher_as_typed(
    advocate_client: Client, ons: Source
) -> None:
    add_research(advocate_client, url="https://www.ons.gov.uk/x", publisher="ONS")
    link = ResearchLink.all_objects.get()
    assert (link.source, link.publisher) == (ons, "ONS")


def test_a_blank_publisher_is_named_from_the_source(advocate_client: Client, ons: Source) -> None:
    add_research(advocate_client, url="https://blog.ons.gov.uk/x", publisher="")
    assert ResearchLink.all_objects.get().publisher == "Office for National Statistics"


def test_an_unknown_domain_saves_without_a_source_unless_proposed(
    advocate_client: Client, ons: Source
) -> None:
    add_research(advocate_client, url="https://think.example.org/x", publisher="Think")
    assert ResearchLink.all_objects.get().source is None
    assert Source.objects.count() == 1


def test_an_advocate_may_propose_an_unknown_domain_as_an_unrated_source(
    advocate_client: Client, advocate, ons: Source
) -> None:
    add_research(
        advocate_client, url="https://www.think.example.org/x", publisher="Think", add_source="on"
    )
    source = Source.objects.get(name="Think")
    assert (source.rating, source.rated_by, source.proposed_by) == (Rating.UNRATED, None, advocate)
    assert list(source.domains.values_list("domain", flat=True)) == ["think.example.org"]
    assert ResearchLink.all_objects.get().source == source


def test_a_proposal_named_like_an_existing_source_takes_the_domain_in_its_name(
    advocate_client: Client, ons: Source
) -> None:
    add_research(
        advocate_client,
        url="https://ons.example.net/x",
        publisher="office for national statistics",
        add_source="on",
    )
    assert ResearchLink.all_objects.get().source.name == (
        "office for national statistics (ons.example.net)"
    )


def test_a_proposal_without_a_publisher_is_refused_with_a_clear_error(
    db, editor_client: Client
) -> None:
    response = add_research(
        editor_client, url="https://think.example.org/x", publisher="", add_source="on"
    )
    assertContains(response, FORM_ERROR_NOTICE)
    assertContains(response, "Name the publisher")
    assertContains(response, 'value="https://think.example.org/x"')
    assert not Source.objects.exists()


def test_a_case_study_without_a_url_proposes_nothing(advocate_client: Client) -> None:
    response = advocate_client.post(
        reverse("casestudies:create"), case_study_data(add_source="on", publisher="Think")
    )
    assertContains(response, "Give a web address first")
    assert not CaseStudy.all_objects.exists()


def test_a_case_study_links_the_source_of_its_url(advocate_client: Client, ons: Source) -> None:
    advocate_client.post(
        reverse("casestudies:create"), case_study_data(source_url="https://ons.gov.uk/report")
    )
    case_study = CaseStudy.all_objects.get()
    assert (case_study.source, case_study.publisher) == (ons, "Office for National Statistics")


def test_changing_the_url_to_an_unknown_site_drops_the_old_source(
    editor_client: Client, ons: Source
) -> None:
    link = ResearchLinkFactory(url="https://ons.gov.uk/old")
    assert link.source == ons
    editor_client.post(
        reverse("research:edit", args=[link.slug]),
        research_data(url="https://elsewhere.example.org/new", base_version=link.version),
    )
    link.refresh_from_db()
    assert (link.url, link.source) == ("https://elsewhere.example.org/new", None)


def test_an_edit_that_keeps_the_url_keeps_a_source_linked_by_publisher(
    editor_client: Client, db
) -> None:
    gartner = SourceFactory(name="Gartner", domain=None)
    link = ResearchLinkFactory(url="https://gtnr.example/x", source=gartner)
    editor_client.post(
        reverse("research:edit", args=[link.slug]),
        research_data(url=link.url, title="Renamed", base_version=link.version),
    )
    link.refresh_from_db()
    assert (link.title, link.source) == ("Renamed", gartner)
