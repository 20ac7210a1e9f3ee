"""What readers see of the register: each item's source with its rating and rationale, the
list of sources, and a source's page of everything published from it."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from kb.core.models import Status
from kb.sources.models import Kind, Rating, Source
from tests.factories import CaseStudyFactory, ResearchLinkFactory, SourceFactory
from tests.test_query_counts import count_queries

RATIONALE = "The UK's national statistics body; methods are published."


@pytest.fixture
def ons(db) -> Source:
    return SourceFactory(
        name="Office for National Statistics",
        domain="ons.gov.uk",
        kind=Kind.GOVERNMENT,
        rating=Rating.HIGH,
        rationale=RATIONALE,
    )


def badge_of(response) -> str:
    """The source badge's markup: a <details> whose summary names the source and rating."""
    content = response.content.decode()
    start = content.index('<details class="source-badge')
    return content[start : content.index("</details>", start)]


@pytest.mark.parametrize(
    "page", ["research detail", "research list", "case study detail", "case study list"]
)
def test_every_item_shows_its_source_with_the_rating_and_the_rationale_to_expand(
    reader_client: Client, ons: Source, page: str
) -> None:
    link = ResearchLinkFactory(url="https://ons.gov.uk/a")
    case_study = CaseStudyFactory(source_url="https://ons.gov.uk/b")
    url = {
        "research detail": link.get_absolute_url(),
        "research list": reverse("research:list"),
        "case study detail": case_study.get_absolute_url(),
        "case study list": reverse("casestudies:list"),
    }[page]
    badge = badge_of(reader_client.get(url))
    summary = badge[: badge.index("</summary>")]
    assert "<summary>" in summary
    assert "Office for National Statistics" in summary
    assert "High reputability" in summary
    assert RATIONALE.replace("'", "&#x27;") in badge
    assert ons.get_absolute_url() in badge


def test_an_unrated_source_says_so(reader_client: Client) -> None:
    link = ResearchLinkFactory(source=SourceFactory(name="Think", domain=None))
    badge = badge_of(reader_client.get(link.get_absolute_url()))
    assert "Not yet rated" in badge
    assert "An editor has not rated this source yet." in badge


def test_an_item_without_a_source_shows_no_badge(reader_client: Client, db) -> None:
    link = ResearchLinkFactory(url="https://nowhere.example/x")
    assertNotContains(reader_client.get(link.get_absolute_url()), "source-badge")


def test_the_source_list_shows_ratings_and_published_counts(
    reader_client: Client, ons: Source
) -> None:
    ResearchLinkFactory(url="https://ons.gov.uk/a")
    CaseStudyFactory(source_url="https://ons.gov.uk/b")
    ResearchLinkFactory(url="https://ons.gov.uk/c", status=Status.DRAFT, published_at=None)
    SourceFactory(name="Think", domain=None)
    response = reader_client.get(reverse("sources:list"))
    listed = {source.name: source.item_count for source in response.context["object_list"]}
    assert listed == {"Office for National Statistics": 2, "Think": 0}
    assertContains(response, '<span class="rating rating-high">High</span>', html=True)


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("rating=high", ["Office for National Statistics"]),
        ("kind=blog", ["Think"]),
        ("rating=excellent", ["Office for National Statistics", "Think"]),
    ],
)
def test_the_source_list_filters_by_kind_and_rating(
    reader_client: Client, ons: Source, query: str, names: list[str]
) -> None:
    SourceFactory(name="Think", domain=None, kind=Kind.BLOG)
    response = reader_client.get(f"{reverse('sources:list')}?{query}")
    assert response.status_code == 200
    assert [source.name for source in response.context["object_list"]] == names


def test_a_source_page_lists_what_is_published_from_it_newest_first(
    reader_client: Client, ons: Source
) -> None:
    ResearchLinkFactory(title="Older survey", url="https://ons.gov.uk/a")
    CaseStudyFactory(title="Newer case", source_url="https://ons.gov.uk/b")
    ResearchLinkFactory(
        title="Draft survey", url="https://ons.gov.uk/c", status=Status.DRAFT, published_at=None
    )
    ResearchLinkFactory(title="Other publisher", url="https://elsewhere.example/x")
    response = reader_client.get(ons.get_absolute_url())
    content = response.content.decode()
    assert content.index("Newer case") < content.index("Older survey")
    assertNotContains(response, "Draft survey")
    assertNotContains(response, "Other publisher")
    assertContains(response, RATIONALE.replace("'", "&#x27;"))
    assertContains(response, "ons.gov.uk")


def test_an_unknown_source_is_a_404(reader_client: Client, db) -> None:
    assert reader_client.get(reverse("sources:detail", args=["no-such-source"])).status_code == 404


@pytest.mark.parametrize("url_name", ["sources:list", "sources:detail"])
def test_the_source_pages_need_a_signed_in_user(client: Client, ons: Source, url_name) -> None:
    args = [ons.slug] if url_name == "sources:detail" else []
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def make_items_from(source: Source) -> Callable[[int], None]:
    def build(n: int) -> None:
        for _ in range(n):
            ResearchLinkFactory(source=source, tags=["video"])
            CaseStudyFactory(source=source, tags=["video"])

    return build


@pytest.mark.parametrize("page", ["list", "detail"])
def test_the_source_pages_cost_the_same_queries_for_one_item_as_for_many(
    reader_client: Client, settings, page: str
) -> None:
    settings.KB_PAGE_SIZE = 40
    source = SourceFactory(name="Think", domain=None)
    url = source.get_absolute_url() if page == "detail" else reverse("sources:list")

    def build(n: int) -> None:
        make_items_from(source)(n)
        SourceFactory.create_batch(n, domain=None)

    for_one = count_queries(reader_client, url, build, 1)
    assert count_queries(reader_client, url, build, 19) == for_one
    response = reader_client.get(url)
    if page == "detail":
        assert len(response.context["cards"]) == 40


def test_whoever_may_edit_an_item_from_an_unknown_site_is_offered_to_propose_it(
    advocate_client: Client, advocate, reader_client: Client
) -> None:
    link = ResearchLinkFactory(url="https://nowhere.example/x", added_by=advocate)
    hint = "This site is not in the source register yet"
    response = advocate_client.get(link.get_absolute_url())
    assertContains(response, hint)
    assertContains(response, reverse("research:edit", args=[link.slug]))
    assertNotContains(reader_client.get(link.get_absolute_url()), hint)


def test_a_source_page_filters_by_evidence_at_least(reader_client: Client, ons: Source) -> None:
    ResearchLinkFactory(title="Reviewed survey", url="https://ons.gov.uk/a", evidence_level=4)
    ResearchLinkFactory(title="Anecdotal note", url="https://ons.gov.uk/b", evidence_level=1)
    CaseStudyFactory(title="Measured case", source_url="https://ons.gov.uk/c", evidence_level=3)
    response = reader_client.get(ons.get_absolute_url(), {"evidence": 3})
    assert [item.title for _template, item in response.context["cards"]] == [
        "Measured case", "Reviewed survey",
    ]  # fmt: skip
    assert response.context["page"].paginator.count == 2


@pytest.mark.parametrize("value", ["0", "9", "strong", "<script>"])
def test_a_source_page_ignores_an_evidence_value_off_the_scale_and_says_so(
    reader_client: Client, ons: Source, value: str
) -> None:
    ResearchLinkFactory(url="https://ons.gov.uk/a", evidence_level=1)
    response = reader_client.get(ons.get_absolute_url(), {"evidence": value})
    assert response.status_code == 200
    assertContains(response, "Some filters were ignored")
    assert response.context["page"].paginator.count == 1
