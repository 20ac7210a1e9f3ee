"""Research pages: the filtered list, the detail, adding a link once, and URL normalisation."""

import datetime
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kb.core.models import Status
from kb.research.models import Kind, ResearchLink
from kb.research.urls_normalize import normalize_url
from tests.factories import ResearchLinkFactory

IGNORED_NOTICE = "Some filters were ignored"
FORM_ERROR_NOTICE = "Please correct the errors below"
KEY_FINDING = "Employees are trusted three times more than the brand account."


@pytest.fixture
def three_links(db) -> dict[str, ResearchLink]:
    """Each sort order puts these three in a different order."""
    now = timezone.now()
    return {
        "barometer": ResearchLinkFactory(
            title="Trust barometer",
            kind=Kind.SURVEY,
            tags=["trust"],
            publication_date=datetime.date(2021, 5, 1),
            published_at=now - timedelta(days=2),
        ),
        "study": ResearchLinkFactory(
            title="Advocacy field study",
            kind=Kind.PEER_REVIEWED,
            tags=["advocacy"],
            publication_date=datetime.date(2023, 1, 10),
            published_at=now - timedelta(days=3),
        ),
        "report": ResearchLinkFactory(
            title="Social media benchmark report",
            kind=Kind.INDUSTRY_REPORT,
            tags=["advocacy", "benchmarks"],
            publication_date=datetime.date(2019, 11, 20),
            published_at=now - timedelta(days=1),
        ),
    }


def list_page(client: Client, query: str = ""):
    return client.get(f"{reverse('research:list')}?{query}")


def titles_in_order(response, titles: list[str]) -> list[str]:
    content = response.content.decode()
    return sorted((t for t in titles if t in content), key=content.index)


def form_data(**overrides) -> dict:
    data = {
        "url": "https://institute.example.org/reports/employee-voice",
        "title": "The employee voice report",
        "publisher": "Example Institute",
        "authors": "A. Author, B. Author",
        "publication_date": "2024-03-01",
        "kind": Kind.INDUSTRY_REPORT,
        "key_finding": KEY_FINDING,
        "tags": "trust, advocacy",
    }
    data.update(overrides)
    return data


# The list ------------------------------------------------------------------------------


def test_the_list_shows_published_research_only(reader_client: Client) -> None:
    ResearchLinkFactory(title="Published survey")
    ResearchLinkFactory(title="Draft survey", status=Status.DRAFT, published_at=None)
    ResearchLinkFactory(title="Survey in review", status=Status.IN_REVIEW, published_at=None)
    ResearchLinkFactory(title="Scheduled survey", published_at=timezone.now() + timedelta(days=1))
    response = list_page(reader_client)
    assertContains(response, "Published survey")
    assertContains(response, "1 result")
    for hidden in ("Draft survey", "Survey in review", "Scheduled survey"):
        assertNotContains(response, hidden)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag=advocacy", ["study", "report"]),
        ("tag=benchmarks", ["report"]),
        ("kind=survey", ["barometer"]),
        ("kind=peer_reviewed", ["study"]),
        ("year=2019", ["report"]),
        ("tag=advocacy&year=2023", ["study"]),
    ],
)
def test_the_list_filters_by_tag_kind_and_year(
    reader_client: Client, three_links: dict, query: str, expected: list[str]
) -> None:
    response = list_page(reader_client, query)
    assertNotContains(response, IGNORED_NOTICE)
    for key, link in three_links.items():
        if key in expected:
            assertContains(response, link.title)
        else:
            assertNotContains(response, link.title)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["report", "barometer", "study"]),
        ("newest", ["report", "barometer", "study"]),
        ("published", ["study", "barometer", "report"]),
        ("title", ["study", "report", "barometer"]),
    ],
)
def test_the_list_sorts_in_each_named_order(
    reader_client: Client, three_links: dict, sort: str, expected: list[str]
) -> None:
    response = list_page(reader_client, f"sort={sort}")
    titles = [link.title for link in three_links.values()]
    assert titles_in_order(response, titles) == [three_links[k].title for k in expected]


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=99999",
        "year=1800",
        "kind=nope",
        "sort=bad",
    ],
)
def test_an_invalid_filter_value_is_ignored_with_a_notice(
    reader_client: Client, three_links: dict, query: str
) -> None:
    response = list_page(reader_client, query)
    assertContains(response, IGNORED_NOTICE)
    assertContains(response, "3 results")
    assertNotContains(response, "<script>", html=False)


@pytest.mark.parametrize(
    ("page", "shown"),
    [("1", "Page 1 of 3"), ("3", "Page 3 of 3"), ("abc", "Page 1 of 3"), ("999999", "Page 3 of 3")],
)
def test_the_list_is_paginated_by_the_page_size_setting(
    reader_client: Client, settings, page: str, shown: str
) -> None:
    settings.KB_PAGE_SIZE = 2
    for n in range(5):
        ResearchLinkFactory(title=f"Paged report {n}")
    response = list_page(reader_client, f"page={page}")
    assertContains(response, shown)
    expected_cards = 1 if shown == "Page 3 of 3" else 2
    assertContains(response, 'class="card card-research"', count=expected_cards)


# The detail ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "client_fixture", ["reader_client", "advocate_client", "editor_client", "admin_client"]
)
def test_a_published_link_is_open_to_every_role(request, db, client_fixture: str) -> None:
    link = ResearchLinkFactory(title="Open research", key_finding="Trust is **earned**.")
    response = request.getfixturevalue(client_fixture).get(link.get_absolute_url())
    assertContains(response, "Open research")
    assertContains(response, "<strong>earned</strong>", html=False)


def test_the_detail_links_to_the_source(reader_client: Client) -> None:
    link = ResearchLinkFactory(url="https://institute.example.org/reports/42")
    response = reader_client.get(link.get_absolute_url())
    assertContains(response, 'href="https://institute.example.org/reports/42"')
    assertContains(response, "Read the source")


def test_the_detail_shows_related_research_sharing_tags(reader_client: Client) -> None:
    link = ResearchLinkFactory(tags=["trust"])
    ResearchLinkFactory(title="Also about trust", tags=["trust"])
    ResearchLinkFactory(title="About gardening", tags=["gardening"])
    ResearchLinkFactory(
        title="Unpublished trust", tags=["trust"], status=Status.DRAFT, published_at=None
    )
    response = reader_client.get(link.get_absolute_url())
    assertContains(response, "Related research")
    assertContains(response, "Also about trust")
    assertNotContains(response, "About gardening")
    assertNotContains(response, "Unpublished trust")


# Adding and editing --------------------------------------------------------------------


def test_a_reader_may_not_add_research(reader_client: Client) -> None:
    url = reverse("research:create")
    assert reader_client.get(url).status_code == 403
    assert reader_client.post(url, form_data()).status_code == 403
    assert not ResearchLink.objects.exists()


@pytest.mark.parametrize("client_fixture", ["reader_client", "other_advocate_client"])
def test_only_owners_and_editors_may_edit_a_link(request, advocate, client_fixture: str) -> None:
    link = ResearchLinkFactory(title="Original title", added_by=advocate)
    client = request.getfixturevalue(client_fixture)
    url = reverse("research:edit", args=[link.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(title="Defaced", url=link.url)).status_code == 403
    link.refresh_from_db()
    assert link.title == "Original title"


def test_an_advocate_adds_a_link_as_a_draft_of_their_own(advocate_client: Client, advocate) -> None:
    response = advocate_client.post(reverse("research:create"), form_data())
    link = ResearchLink.objects.get()
    assertRedirects(response, link.get_absolute_url())
    assert link.added_by == advocate
    assert link.status == Status.DRAFT
    assert link.normalized_url == "https://institute.example.org/reports/employee-voice"
    assert sorted(link.tags.names()) == ["advocacy", "trust"]


def test_an_advocate_cannot_publish_or_feature_a_link(advocate_client: Client) -> None:
    form = advocate_client.get(reverse("research:create"))
    assertNotContains(form, 'name="status"')
    assertNotContains(form, 'name="featured"')
    advocate_client.post(
        reverse("research:create"), form_data(status=Status.PUBLISHED, featured="on")
    )
    link = ResearchLink.objects.get()
    assert (link.status, link.featured) == (Status.DRAFT, False)


def test_an_editor_features_an_advocates_link_and_publishes_it(
    editor_client: Client, advocate
) -> None:
    link = ResearchLinkFactory(added_by=advocate, status=Status.IN_REVIEW, published_at=None)
    data = form_data(url=link.url, featured="on", published_at="", base_version=link.version)
    response = editor_client.post(reverse("research:edit", args=[link.slug]), data)
    assertRedirects(response, link.get_absolute_url())
    publish = reverse("workflow:action", args=["researchlink", link.slug, "publish"])
    assertRedirects(editor_client.post(publish), link.get_absolute_url())
    link.refresh_from_db()
    assert (link.status, link.featured, link.is_published) == (Status.PUBLISHED, True, True)
    assert link.added_by == advocate


def test_a_link_already_in_the_kb_is_refused_with_a_link_to_it(advocate_client: Client) -> None:
    existing = ResearchLinkFactory(title="Existing report", url="https://example.org/report")
    response = advocate_client.post(
        reverse("research:create"),
        form_data(url="HTTP://WWW.Example.org/report/?utm_source=newsletter#top"),
    )
    assertContains(response, "This link is already in the KB as “Existing report”")
    assertContains(response, f'href="{existing.get_absolute_url()}"')
    assertContains(response, KEY_FINDING)
    assert ResearchLink.objects.count() == 1


def test_saving_a_link_unchanged_is_not_a_duplicate_of_itself(
    advocate_client: Client, advocate
) -> None:
    link = ResearchLinkFactory(added_by=advocate, url="https://example.org/report")
    data = form_data(
        url="https://example.org/report", title="Retitled report", base_version=link.version
    )
    response = advocate_client.post(reverse("research:edit", args=[link.slug]), data)
    assertRedirects(response, link.get_absolute_url())
    link.refresh_from_db()
    assert link.title == "Retitled report"


@pytest.mark.parametrize(
    ("bad_input", "error"),
    [
        ({"title": "x" * 10_000}, "Ensure this value has at most 200 characters"),
        ({"publisher": ""}, "Name the publisher: this site is not in the source register."),
        ({"url": "not a url"}, "Enter a valid URL"),
        ({"url": ""}, "This field is required"),
        ({"tags": "z" * 51}, "Keep each tag under 50 characters"),
        ({"tags": ", ".join(f"tag{n}" for n in range(21))}, "Use at most 20 tags"),
        ({"publication_date": "1800-13-45"}, "Enter a valid date"),
        ({"kind": "rumour"}, "Select a valid choice"),
    ],
    ids=[
        "title-10000-chars",
        "empty-publisher",
        "invalid-url",
        "empty-url",
        "tag-51-chars",
        "21-tags",
        "impossible-date",
        "unknown-kind",
    ],
)
def test_bad_input_is_refused_and_what_was_typed_is_kept(
    advocate_client: Client, bad_input: dict, error: str
) -> None:
    response = advocate_client.post(reverse("research:create"), form_data(**bad_input))
    assertContains(response, FORM_ERROR_NOTICE)
    assertContains(response, error)
    assertContains(response, KEY_FINDING)
    assert not ResearchLink.objects.exists()


def test_a_key_finding_over_2000_characters_is_refused(advocate_client: Client) -> None:
    response = advocate_client.post(reverse("research:create"), form_data(key_finding="k" * 2_001))
    assertContains(response, "Ensure this value has at most 2000 characters")
    assertContains(response, "The employee voice report")
    assert not ResearchLink.objects.exists()


# URL normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("HTTPS://Example.ORG/Report", "https://example.org/Report"),
        ("https://www.example.org/report", "https://example.org/report"),
        ("https://example.org:443/report", "https://example.org/report"),
        ("http://example.org:80/report", "https://example.org/report"),
        ("https://example.org:8443/report", "https://example.org:8443/report"),
        ("https://example.org/report/", "https://example.org/report"),
        ("https://example.org/", "https://example.org"),
        ("https://example.org/report#section-2", "https://example.org/report"),
        ("http://example.org/report", "https://example.org/report"),
        ("https://example.org/r?utm_source=x&utm_MEDIUM=y&utm_campaign=z", "https://example.org/r"),
        ("https://example.org/r?fbclid=abc&gclid=def", "https://example.org/r"),
        ("https://example.org/r?b=2&a=1&utm_source=x", "https://example.org/r?a=1&b=2"),
        ("https://example.org/r?id=7&fbclid=abc", "https://example.org/r?id=7"),
        ("https://example.org/r?q=", "https://example.org/r?q="),
        ("  https://example.org/report  ", "https://example.org/report"),
        ("https://www2.example.org/report", "https://www2.example.org/report"),
    ],
    ids=[
        "scheme-and-host-case",
        "www",
        "default-https-port",
        "default-http-port",
        "other-port-kept",
        "trailing-slash",
        "root-slash",
        "fragment",
        "http-is-https",
        "utm-params",
        "click-ids",
        "other-params-sorted",
        "other-params-kept",
        "blank-value-kept",
        "surrounding-space",
        "www2-is-not-www",
    ],
)
def test_normalize_url(url: str, normalized: str) -> None:
    assert normalize_url(url) == normalized


def test_normalize_url_gives_one_form_for_a_tracked_link_and_the_plain_one() -> None:
    tracked = "HTTP://WWW.Example.org/report/?utm_source=newsletter#top"
    assert normalize_url(tracked) == normalize_url("https://example.org/report")


def test_normalize_url_keeps_the_case_of_the_path() -> None:
    assert normalize_url("https://example.org/Report") != normalize_url(
        "https://example.org/report"
    )


def test_a_research_links_headline_is_its_key_finding_as_one_line_with_its_source(db) -> None:
    from tests.factories import SourceFactory

    source = SourceFactory(domain=None)
    link = ResearchLinkFactory(
        key_finding="Staff are *trusted*\n\nmore than brands.", source=source
    )
    headline = link.headline()
    assert headline.label == "Key finding"
    assert headline.text == "Staff are trusted more than brands."
    assert headline.source == source
