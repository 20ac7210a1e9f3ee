"""A reader's journeys, on a phone and a desktop: searching from the header (with its
suggestions), narrowing the results by a facet and opening one; commenting on an article."""

import re

import pytest
from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from kb.core.models import Status
from tests.factories import (
    ArticleFactory,
    CaseStudyFactory,
    MetricFactory,
    PlatformFactory,
    ResearchLinkFactory,
)
from tests.journeys.conftest import DESKTOP, PHONE, Journey, at_widths, box

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized_rollback restores the role groups.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def library(advocate: AbstractUser) -> None:
    """Published evidence about recruiting of three kinds, and something else."""
    linkedin = PlatformFactory(name="LinkedIn", slug="linkedin")
    study = CaseStudyFactory(
        title="Recruiting nurses on LinkedIn",
        summary="A hospital trust filled its vacancies faster.",
        platforms=[linkedin],
    )
    MetricFactory(case_study=study, name="Applications per vacancy")
    ArticleFactory(title="Recruitment posts that work", author=advocate, summary="Show the team.")
    ResearchLinkFactory(title="Recruitment and social media: a survey")
    CaseStudyFactory(title="Video on TikTok", summary="Short films for young audiences.")


@at_widths(PHONE, DESKTOP)
def test_reader_searches_filters_and_opens_a_result(
    journey: Journey, reader: AbstractUser, library: None
) -> None:
    from playwright.sync_api import expect

    page = journey.sign_in(reader)

    search = page.get_by_role("combobox", name="Search the KB")
    search.press_sequentially("recrui")
    suggestions = page.get_by_role("listbox", name="Suggestions")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("option", name="Recruiting nurses on LinkedIn")).to_be_visible()
    suggestions.get_by_role("option", name="Search for recruitment").click()

    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    count = page.locator(".result-count")
    expect(count).to_have_text("3 results for “recruitment”")
    refine = page.get_by_role("complementary", name="Refine")
    filter_toggle = refine.locator("summary", has_text="Filter")
    facet = refine.get_by_role("link", name="Case study")
    if journey.width == PHONE:
        # On a phone the facets wait behind "Filter", and the results come first.
        expect(facet).to_be_hidden()
        filter_toggle.click()
    facet.click()

    expect(count).to_have_text("1 result for “recruitment”")
    expect(filter_toggle).to_have_text("Filter (1 on)")
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("heading", level=3)).to_have_text(["Recruiting nurses on LinkedIn"])
    results.get_by_role("link", name="Recruiting nurses on LinkedIn").click()

    expect(
        page.get_by_role("heading", name="Recruiting nurses on LinkedIn", level=1)
    ).to_be_visible()
    expect(page.get_by_text("A hospital trust filled its vacancies faster.")).to_be_visible()
    measure = page.get_by_role("rowheader", name="Applications per vacancy")
    expect(measure).to_be_visible()
    if journey.width == PHONE:
        # The table stacks into a card per measure: the name heads it, full width, and the
        # verdict stays under its figure rather than drifting under the "Change" label.
        assert box(measure)["width"] > 0.9 * (box(measure.locator(".."))["width"] - 24)
        change = page.locator("td[data-label='Change']")
        assert box(change.locator(".change-verdict"))["x"] >= box(change)["x"] + 96
    journey.screenshot(page)


@pytest.fixture
def article(advocate: AbstractUser) -> str:
    ArticleFactory(
        title="Start small on LinkedIn",
        author=advocate,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        body="## Post once a week\n\nThen measure what happened.",
    )
    return "Start small on LinkedIn"


@at_widths(PHONE, DESKTOP)
def test_reader_comments_on_an_article(
    journey: Journey, reader: AbstractUser, article: str
) -> None:
    from playwright.sync_api import expect

    page = journey.sign_in(reader)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles").click()
    expect(page.get_by_role("heading", name="Articles", level=1)).to_be_visible()
    page.get_by_role("link", name=article).click()

    expect(page.get_by_role("heading", name=article, level=1)).to_be_visible()
    comments = page.get_by_role("region", name="Comments")
    expect(comments.get_by_text("No comments yet.")).to_be_visible()
    comments.get_by_label("Add a comment").fill("We tried this in *finance*: it works.")
    comments.get_by_role("button", name="Post comment").click()

    comments = page.get_by_role("region", name="1 comment")
    expect(comments).to_be_visible()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    comment = comments.get_by_role("article")
    expect(comment.locator(".comment-author")).to_have_text("Rita Reader")
    expect(comment.locator(".comment-body")).to_have_text("We tried this in finance: it works.")
    expect(comment.locator(".comment-body em")).to_have_text("finance")
    expect(comment.get_by_role("link", name="Edit")).to_be_visible()
    journey.screenshot(page)
