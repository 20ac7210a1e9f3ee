"""Every page of every role, in a real browser at a 390 px phone and a 1280 px desktop:
the document is never wider than the screen and axe-core finds no moderate, serious or
critical violation (on the Django admin's pages, no serious or critical one).

The pages are not listed by hand: each role's browser follows the links it is shown,
from the home page, its work and the admin, and checks one page per URL pattern (a test
per role); another test makes the same crawls with the test client and asserts that
every page in the URLconf was reached by some role (apart from the endpoints named in
NOT_PAGES), so a new page is covered, or the test says it is not. One browser, one tab
per viewport.
"""

import html
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone

from kb.core.lists import RELATED_SHOWN
from kb.core.models import Status
from kb.core.registry import kinds
from kb.follows.digests import unsubscribe_token
from kb.follows.services import follow_add
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.factories import (
    ArticleFactory,
    CaseStudyFactory,
    CommentFactory,
    MetricFactory,
    NotificationFactory,
    PlatformFactory,
    SourceFactory,
    content_factory,
)
from tests.questions.factories import AnswerFactory, QuestionFactory

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = (390, 1280)
# Endpoints that are not pages a person reads: JSON, files, feeds, POST-only actions,
# sign-in and out (pages of the anonymous visitor, checked by Django's own forms).
NOT_PAGES = {
    "tag_suggest",
    "search:suggest",
    "articles:related_options",
    "markdown_preview",
    "healthz",
    "csp_report",
    "uploads:image_create",
    "uploads:file",
    "latest_feed",
    "topic_feed",
    "department_feed",
    "advocate_feed",
    "collection_feed",
    "feed_reset",
    "research:export",
    "research:cite",
    "notifications:open",
    "notifications:mark_all_read",
    "comments:post",
    "comments:hide",
    "comments:unhide",
    "experiments:promote",
    "revisions:restore",
    "login",
    "logout",
    "password_change_done",
    # Reached through the history page's form (two revisions chosen), not a link.
    "revisions:compare",
    # Downloads: a PDF, Markdown and CSV files.
    "collections:pdf",
    "collections:markdown",
    "departments:dashboard_csv",
    # POST-only actions.
    "collections:step",
    "collections:share",
    "departments:record_stage",
    "questions:answer",
    "questions:answered",
    "questions:most_useful",
    "questions:answer_delete",
    "questions:delete",
    "questions:moderate",
    "questions:answer_moderate",
    "questions:answer_article",
    "follows:follow",
    "follows:unfollow",
    "follows:digest",
    "freshness:verify",
}
# Links the crawler does not follow: signing out, and the admin's deletions, histories,
# password forms and add forms (its change forms, empty; those are checked).
ADMIN_SKIP = ("/delete/", "/history/", "/password", "/add/")


def _skipped(path: str) -> bool:
    if "logout" in path:
        return True
    return path.startswith("/admin/") and any(part in path for part in ADMIN_SKIP)


# The admin is a desktop tool: its pages are checked at the desktop width only.
ADMIN_WIDTHS = (1280,)


def _named_routes(patterns=None, namespace: str = "") -> set[str]:
    """Every named URL pattern outside the admin, as "namespace:name"."""
    found = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found |= _named_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.add(f"{namespace}{pattern.name}")
    return found


@pytest.fixture
def site(advocate, other_advocate, editor, admin_user) -> None:
    """One item of every kind in each state a role may see, with what hangs off them."""
    source = SourceFactory()
    for model, kind in kinds():
        make = content_factory(model)
        owner = {model.OWNER_FIELD: advocate}
        # Due for review: its page warns readers, and editors' list of overdue items has it.
        published = make(
            tags=["Recruitment", "café"],
            review_by=timezone.localdate() - timezone.timedelta(days=1),
            **owner,
        )
        if hasattr(published, "metrics"):
            MetricFactory(case_study=published)
            # More related case studies than its sidebar shows, so it links to them all.
            for n in range(RELATED_SHOWN + 1):
                make(title=f"Related {kind.label} {n}", tags=["Recruitment"], **owner)
        if hasattr(published, "source_id"):
            type(published).objects.filter(pk=published.pk).update(source=source)
        if kind.commentable:
            CommentFactory(target=published, author=other_advocate)
            CommentFactory(target=published, author=advocate)  # theirs to edit or delete
        make(title=f"Draft {kind.label}", status=Status.DRAFT, published_at=None, **owner)
        returned = make(
            title=f"Returned {kind.label}", status=Status.IN_REVIEW, published_at=None, **owner
        )
        content_transition(
            item=returned, action=Action.REQUEST_CHANGES, user=editor, comment="Add a source."
        )
        make(title=f"Waiting {kind.label}", status=Status.IN_REVIEW, published_at=None, **owner)
        trashed = make(title=f"Binned {kind.label}", **owner)
        content_transition(item=trashed, action=Action.TRASH, user=advocate)
        make(published_at=timezone.now() + timezone.timedelta(days=2), **owner)
    for user in (advocate, editor):
        NotificationFactory(recipient=user)
    # A platform (its page is reached from the Following page), which the advocate follows.
    follow_add(user=advocate, target=PlatformFactory(name="LinkedIn"))
    # A question the advocate asked, still open, and one answered by another advocate.
    QuestionFactory(asker=advocate, title="How do we start a team page?")
    answered = QuestionFactory(asker=advocate, answered_at=timezone.now())
    AnswerFactory(question=answered, author=other_advocate)


def _signed_in_tabs(browser: "Browser", live_server, user) -> Iterator[dict[int, "Page"]]:
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    tabs = {}
    for width in WIDTHS:
        tabs[width] = context.new_page()
        tabs[width].set_viewport_size({"width": width, "height": 900})
    yield tabs
    context.close()


def _route(path: str) -> tuple[str, str] | None:
    """The URL pattern a path resolves to (its name, and its route to tell admin pages
    apart), or None outside the URLconf."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name, match.route


# On the admin's pages axe's CSSOM preload copies what forms.css @imports into inline
# <style> elements, which the Content-Security-Policy rightly blocks (and the browser
# fixture reports); the one rule it feeds, css-orientation-lock, is checked on our pages.
ADMIN_AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}
# The admin's autocomplete fields are select2's markup, which Django ships: a combobox
# <span> with no name and an unlabelled search box. select2 builds them after the page
# loads, so axe saw them on some runs and not others; the labelled <select> they stand
# for is checked.
ADMIN_AXE_CONTEXT = {"exclude": [[".select2-container"]]}


# The impacts that fail a page: on the KB's own pages moderate ones too (heading order,
# unique landmarks, a heading one); on the Django admin's, whose markup is Django's, only
# serious and critical ones.
FAILING_IMPACTS = {"moderate", "serious", "critical"}
ADMIN_FAILING_IMPACTS = {"serious", "critical"}


def _problems(page: "Page") -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    admin = urlsplit(page.url).path.startswith("/admin/")
    options = ADMIN_AXE_OPTIONS if admin else {"resultTypes": ["violations"]}
    failing = ADMIN_FAILING_IMPACTS if admin else FAILING_IMPACTS
    results = Axe().run(page, ADMIN_AXE_CONTEXT if admin else None, options)
    found = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:100]}"
        for v in results.response["violations"]
        if v["impact"] in failing
    ]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > page.viewport_size["width"]:
        found.append(f"the page is {width} px wide")
    return found


def _crawl(visit: Callable[[str], list[str] | None], starts: list[str]) -> set[str]:
    """Visit one page per URL pattern reachable from ``starts``; return the patterns'
    names. ``visit(path)`` checks a page and returns the links it shows, or None when
    the path is not a page."""
    queue, seen_routes, seen_paths = list(starts), set(), set()
    while queue:
        path = queue.pop(0)
        route = _route(path)
        if path in seen_paths or route is None or route in seen_routes or route[0] in NOT_PAGES:
            continue
        seen_paths.add(path)
        links = visit(path)
        if links is None:
            continue
        seen_routes.add(route)
        for link in links:
            target = urljoin(path, link).split("#")[0]
            if target and not urlsplit(target).netloc and not _skipped(target):
                queue.append(target)
    return {name for name, _ in seen_routes}


def _in_the_browser(tabs: dict[int, "Page"], live_server, problems: dict):
    """A visit at each width: the page fits and axe finds nothing serious."""

    def visit(path: str) -> list[str] | None:
        links = None
        for width, tab in tabs.items():
            if path.startswith("/admin/") and width not in ADMIN_WIDTHS:
                continue
            response = tab.goto(path)
            if response is None or response.status != 200:
                return None
            if "text/html" not in response.headers.get("content-type", ""):
                return None
            if found := _problems(tab):
                problems[f"{path} at {width} px"] = found
            links = [
                link.removeprefix(live_server.url)
                for link in tab.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
            ]
        return links

    return visit


HREF = re.compile(r"""<a\b[^>]*?\bhref=["']([^"']*)["']""", re.IGNORECASE)


def _through_the_client(client: Client):
    """A visit as the browser makes one, without drawing the page: the links it shows."""

    def visit(path: str) -> list[str] | None:
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            return None
        return [html.unescape(link) for link in HREF.findall(response.content.decode())]

    return visit


ROLES = ("reader", "advocate", "editor", "admin_user")


def _starts(role: str, user) -> list[str]:
    """Where each role's crawl starts; the unsubscribe page is reached from a digest
    e-mail, not a link on the site."""
    starts = ["/", "/my-work/", "/search/?q=recruitment", "/tags/", "/notifications/"]
    if role == "reader":
        return [*starts, reverse("follows:unsubscribe", args=[unsubscribe_token(user)])]
    return (
        starts
        + {
            "advocate": ["/advocates/me/edit/"],
            "editor": ["/review/", "/trash/"],
            "admin_user": ["/admin/", "/admin/taggit/tag/"],
        }[role]
    )


# One test per role, so the test runner's workers share them out.
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_fits_a_phone_and_a_desktop_without_axe_violations(
    browser: "Browser", live_server, site, role: str, request
) -> None:
    user = request.getfixturevalue(role)
    problems: dict[str, list[str]] = {}
    for tabs in _signed_in_tabs(browser, live_server, user):
        _crawl(_in_the_browser(tabs, live_server, problems), _starts(role, user))
    assert not problems, "\n".join(
        f"{page}: {'; '.join(found)}" for page, found in sorted(problems.items())
    )


def test_every_page_is_reached_by_some_role(site, request) -> None:
    """The roles' crawls above, made with the test client, cover the URLconf: a new page
    with no link to it fails here until it gets one, or a place in NOT_PAGES."""
    reached: set[str] = set()
    for role in ROLES:
        user = request.getfixturevalue(role)
        client = Client()
        client.force_login(user)
        reached |= _crawl(_through_the_client(client), _starts(role, user))
    missing = _named_routes() - reached - NOT_PAGES
    assert missing == set(), "pages no role reached: add a link to them, or to NOT_PAGES"


def _tab(browser: "Browser", live_server, user, width: int, scheme: str = "light") -> "Page":
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    return page


# Every item of the header on one row: each one's box overlaps every other's vertically.
HEADER_ROWS = """() => {
    const boxes = [...document.querySelector(".header-inner").children]
        .filter((el) => el.offsetParent !== null)
        .map((el) => el.getBoundingClientRect());
    const lowestTop = Math.max(...boxes.map((box) => box.top));
    const highestBottom = Math.min(...boxes.map((box) => box.bottom));
    return {oneRow: lowestTop < highestBottom, items: boxes.length,
            height: document.querySelector(".site-header").offsetHeight};
}"""


def test_the_header_is_one_row_for_an_editor_with_unread_notifications_and_tools(
    browser: "Browser", live_server, editor
) -> None:
    NotificationFactory.create_batch(12, recipient=editor)  # a two-digit badge
    ArticleFactory.create_batch(3, status=Status.IN_REVIEW, published_at=None)
    for width in (1024, 1280, 1920):
        page = _tab(browser, live_server, editor, width)
        page.goto("/")
        assert page.locator(".notifications-link .badge").is_visible()
        assert page.locator(".tool-nav .nav-count").is_visible()
        header = page.evaluate(HEADER_ROWS)
        assert header["items"] == 6  # brand, sections, tools, search, notifications, account
        assert header["oneRow"], f"the header wraps at {width} px"
        assert header["height"] <= 64, f"the header is {header['height']} px high at {width} px"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.context.close()
    page = _tab(browser, live_server, editor, 390)
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()


@pytest.fixture
def evidence(advocate) -> list[str]:
    """The pages that show results: the home page, a case study with charts (a fall that is
    an improvement, a percentage, a currency, a missing baseline), its related page, and
    the article form with its image field."""
    from decimal import Decimal

    case_study = CaseStudyFactory(
        title="Faster replies on LinkedIn", evidence_level=4, tags=["Recruitment"], featured=True
    )
    for position, (name, before, after, unit, lower) in enumerate(
        [
            ("First response time", "26", "2", "h", True),
            ("Applications via LinkedIn", "12", "27", "%", False),
            ("Cost per hire", "1200", "900", "£", True),
            ("Followers gained over the whole campaign period", None, "4200", "followers", False),
        ]
    ):
        MetricFactory(
            case_study=case_study, name=name, unit=unit, lower_is_better=lower,
            value_before=Decimal(before) if before else None, value_after=Decimal(after),
            position=position,
        )  # fmt: skip
    for n in range(RELATED_SHOWN + 1):
        MetricFactory(case_study=CaseStudyFactory(title=f"Related {n}", tags=["Recruitment"]))
    ArticleFactory.create_batch(3, featured=True)
    return [
        "/",
        case_study.get_absolute_url(),
        f"/related/casestudy/{case_study.slug}/",
        "/articles/new/",
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_evidence_pages_fit_and_pass_axe_in_light_and_dark(
    browser: "Browser", live_server, advocate, evidence: list[str], scheme: str
) -> None:
    problems = {}
    for width in WIDTHS:
        page = _tab(browser, live_server, advocate, width, scheme)
        for path in evidence:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            if found := _problems(page):
                problems[f"{path} at {width} px ({scheme})"] = found
        page.context.close()
    assert not problems, "\n".join(
        f"{page}: {'; '.join(found)}" for page, found in problems.items()
    )


# Each metric row of the results table as drawn: for the After, Change and Period cells
# (and their column heads), whether they lie wholly inside the screen and the table's box,
# whether their text overflows them, and the name a stacked cell shows before its value.
METRIC_CELLS = """() => {
  const fit = document.querySelector(".table-fit:has(> table.metrics)").getBoundingClientRect();
  const shown = (cell) => {
    const box = cell.getBoundingClientRect();
    return {
      text: cell.innerText.trim(),
      inside: box.width > 0 && box.left >= Math.max(fit.left, 0) - 0.5
        && box.right <= Math.min(fit.right, window.innerWidth) + 0.5,
      overflows: cell.scrollWidth > cell.clientWidth,
      label: getComputedStyle(cell, "::before").content,
    };
  };
  const table = document.querySelector("table.metrics");
  return {
    heads: [...table.tHead.rows[0].cells].slice(2).map(shown),
    rows: [...table.tBodies[0].rows].map((row) => ({
      after: shown(row.querySelector("td[data-label='After']")),
      change: shown(row.querySelector("td[data-label='Change']")),
      period: shown(row.querySelector("td[data-label='Period']")),
    })),
  };
}"""


def test_the_metrics_table_shows_after_and_change_whole_on_a_desktop_and_a_phone(
    browser: "Browser", live_server, advocate, evidence: list[str]
) -> None:
    """At 1280 px the last columns (Change, Period) are inside the screen and the table's
    box, unclipped; at 390 px each stacked measure still shows After and Change, named."""
    case_study = evidence[1]
    page = _tab(browser, live_server, advocate, 1280)
    page.goto(case_study)
    cells = page.evaluate(METRIC_CELLS)
    assert [head["text"].lower() for head in cells["heads"]] == ["after", "change", "period"]
    assert all(head["inside"] and not head["overflows"] for head in cells["heads"])
    assert len(cells["rows"]) == 4
    for row in cells["rows"]:
        for name in ("after", "change", "period"):
            assert row[name]["inside"], f"{name} is cut off at 1280 px: {row}"
            assert not row[name]["overflows"], f"{name} overflows its cell: {row}"
    assert cells["rows"][0]["change"]["text"].startswith("−24 h")
    page.context.close()

    page = _tab(browser, live_server, advocate, 390)
    page.goto(case_study)
    cells = page.evaluate(METRIC_CELLS)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for row in cells["rows"]:
        assert row["after"]["inside"] and row["after"]["label"] == '"After"', row
        assert row["change"]["inside"] and row["change"]["label"] == '"Change"', row
        assert not row["after"]["overflows"] and not row["change"]["overflows"], row
    assert cells["rows"][1]["after"]["text"].endswith("27%")
    assert "+15 pp" in cells["rows"][1]["change"]["text"]
    page.context.close()
