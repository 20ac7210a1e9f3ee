"""List pages cost the same number of queries for 1 item as for 50: no N+1 anywhere.

Each builder makes items carrying every relation a card shows (tags, platforms, metrics,
sources, authors with profiles, departments, handles), so a missing select_related or
prefetch_related shows up as a difference between the two counts.
"""

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.research.models import ResearchLink
from tests.factories import (
    AdvocateProfileFactory,
    ArticleFactory,
    CaseStudyFactory,
    DepartmentFactory,
    HandleFactory,
    MetricFactory,
    PlatformFactory,
    ResearchLinkFactory,
    SourceFactory,
)

TAG = "video"
MANY = 50


def make_case_studies(n: int) -> None:
    for _ in range(n):
        platforms = [PlatformFactory(), PlatformFactory()]
        case_study = CaseStudyFactory(
            tags=[TAG, "linkedin"], platforms=platforms, source=SourceFactory(domain=None)
        )
        MetricFactory.create_batch(2, case_study=case_study)


def make_research(n: int) -> None:
    for _ in range(n):
        ResearchLinkFactory(tags=[TAG, "surveys"], source=SourceFactory(domain=None))


def make_advocates(n: int) -> None:
    for _ in range(n):
        profile = AdvocateProfileFactory(
            department=DepartmentFactory(), expertise=[TAG, "coaching"]
        )
        profile.platforms.add(PlatformFactory())
        HandleFactory(profile=profile)


def make_articles(n: int) -> None:
    for _ in range(n):
        author = AdvocateProfileFactory(department=DepartmentFactory()).user
        ArticleFactory(author=author, tags=[TAG, "guides"])


def make_everything(n: int) -> None:
    make_case_studies(n)
    make_research(n)
    make_articles(n)
    make_advocates(n)
    for model in (CaseStudy, ResearchLink, Article):
        model.objects.update(featured=True)


PAGES: dict[str, tuple[str, Callable[[int], None], str | None]] = {
    # name: (URL name, builder, the card class each listed item renders once)
    "case study list": ("casestudies:list", make_case_studies, "card-casestudy"),
    "research list": ("research:list", make_research, "card-research"),
    "article list": ("articles:list", make_articles, "card-article"),
    "advocate directory": ("advocates:list", make_advocates, "card-advocate"),
    "home": ("home", make_everything, None),
    "tag page": ("tag_detail", make_everything, None),
}


def page_url(url_name: str) -> str:
    return reverse(url_name, args=[TAG]) if url_name == "tag_detail" else reverse(url_name)


def count_queries(client: Client, url: str, build: Callable[[int], None], n: int) -> list[int]:
    """Queries one GET of ``url`` costs once ``build(n)`` more items exist: with the
    page's cached counts computed afresh, then served from the cache.

    A first, uncounted request warms per-process caches (content types) so that only
    the cost of rendering the page is measured.
    """
    build(n)
    client.get(url)
    counts = []
    for fresh in (True, False):
        if fresh:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize(("url_name", "build", "marker"), PAGES.values(), ids=PAGES.keys())
def test_a_page_costs_the_same_queries_for_one_item_as_for_fifty(
    reader_client: Client,
    settings,
    url_name: str,
    build: Callable[[int], None],
    marker: str | None,
) -> None:
    settings.KB_PAGE_SIZE = MANY
    url = page_url(url_name)
    for_one = count_queries(reader_client, url, build, 1)
    for_many = count_queries(reader_client, url, build, MANY - 1)
    if url_name == "home":
        # Its featured grid shows six cards of all the kinds' featured items: with more
        # items, a kind may have none among the six, and its cards' prefetches are skipped.
        # Fewer queries, then, never more.
        assert all(many <= one for many, one in zip(for_many, for_one, strict=True))
    else:
        assert for_many == for_one
    if marker:
        response = reader_client.get(url)
        assert response.content.decode().count(f'class="card {marker}"') == MANY
