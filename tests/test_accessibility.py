"""The pages people use most, in a real browser at a 390 px phone and a desktop, in light and
dark: axe-core finds no accessibility violation and nothing scrolls sideways.

Covers what tags of any script, the feed address reset and form errors added to those
pages, the "What the levels mean" page and a topic page opening with its strength of
evidence; axe-core comes from axe-playwright-python (no download at test time).
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kb.articles.models import Article
from kb.core.models import Status
from kb.core.registry import kinds
from tests.factories import ArticleFactory, ResearchLinkFactory, content_factory

if TYPE_CHECKING:  # Playwright is imported only once the browser fixture found it
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized_rollback restores the role groups.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWPORTS = [(390, 844), (1280, 900)]
SCHEMES = ["light", "dark"]
DUPLICATE_URL = "https://research.example.org/hidden-draft"


@pytest.fixture
def content(advocate: AbstractUser, other_advocate: AbstractUser) -> dict[str, str]:
    """Published items carrying tags in several scripts, an advocate with such expertise,
    and someone else's draft research link whose address the advocate will try to add."""
    article = ArticleFactory(
        author=advocate,
        title="Posting in every language",
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    article.tags.add("café", "日本語", "!!!", "Zürich")
    advocate.advocate_profile.expertise.add("naïve café", "🎉")
    ResearchLinkFactory(
        added_by=other_advocate, url=DUPLICATE_URL, status=Status.DRAFT, published_at=None
    )
    # One published item of every kind of content, registered now or later.
    items = [
        content_factory(model)(tags=["café"]).get_absolute_url()
        for model, _ in kinds()
        if model is not Article
    ]
    return {"article": article.get_absolute_url(), "items": items}


@pytest.fixture(params=[(size, scheme) for size in VIEWPORTS for scheme in SCHEMES], ids=str)
def page(
    request, browser: "Browser", live_server, client: Client, advocate: AbstractUser
) -> Iterator["Page"]:
    """A tab signed in as the advocate, at one viewport and colour scheme."""
    (width, height), scheme = request.param
    client.force_login(advocate)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": height},
        color_scheme=scheme,
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    tab = context.new_page()
    yield tab
    context.close()


# What reaches furthest past the right edge (a hint: boxes that scroll report their rows too).
STICKING_OUT = """() => [...document.body.querySelectorAll("*")]
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
  .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
  .slice(0, 3).map((element) => element.outerHTML.slice(0, 100))"""


def _problems(page: "Page") -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    found = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}" for v in violations]
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        found.append(f"the page scrolls sideways: {page.evaluate(STICKING_OUT)}")
    return found


def problems_on(page: "Page", paths: list[str]) -> dict[str, list[str]]:
    """Each page's axe violations and sideways scrolling, by path; every page must load."""
    problems = {}
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        if found := _problems(page):
            problems[path] = found
    return problems


def test_the_main_pages_have_no_accessibility_violations(
    page: "Page", content: dict[str, str]
) -> None:
    paths = [
        reverse("home"),
        reverse("tag_list"),
        reverse("tag_detail", args=["café"]),
        reverse("evidence_levels"),
        content["article"],
        *content["items"],
        *[reverse(kind.list_url) for _, kind in kinds()],
        reverse("advocates:list"),
        reverse("search:results") + "?q=language",
    ]
    assert problems_on(page, paths) == {}
    page.goto(reverse("tag_detail", args=["café"]))
    assert page.locator("#evidence-heading").count() == 1, "the topic's summary"


def test_a_form_with_errors_has_no_accessibility_violations_and_keeps_the_text(
    page: "Page", content: dict[str, str]
) -> None:
    page.goto(reverse("research:create"))
    page.fill("#id_url", DUPLICATE_URL)
    page.fill("#id_title", "My typed title")
    page.locator("form.edit-form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "already in the KB" in page.content()
    assert page.input_value("#id_title") == "My typed title"
    assert _problems(page) == []


def test_a_results_page_with_some_of_the_words_labels_them_in_text_accessibly(
    page: "Page", content: dict[str, str]
) -> None:
    page.goto(reverse("search:results") + "?q=how+posting+language+zanzibar")
    assert page.get_by_role("heading", name="Results with some of your words").is_visible()
    assert page.locator(".hit-missing").first.inner_text() == "Missing: zanzibar"
    assert "Common words left out: how" in page.inner_text(".search-results")
    assert _problems(page) == []
