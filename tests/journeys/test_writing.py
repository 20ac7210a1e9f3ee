"""An article's way to readers: the advocate writes it (an uploaded image, a related case
study chosen by name) and submits it; an editor asks for changes, the advocate finds the
comment in "My work", edits and resubmits, and the editor publishes it."""

import re

import pytest
from django.contrib.auth.models import AbstractUser

from kb.articles.models import Article
from kb.core.models import Status
from kb.workflow.models import Action
from kb.workflow.services import content_transition
from tests.factories import ArticleFactory, CaseStudyFactory
from tests.journeys.conftest import Journey
from tests.uploads.images import image_bytes

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized_rollback restores the role groups.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_advocate_writes_an_article_and_submits_it(
    journey: Journey, advocate: AbstractUser, media_root
) -> None:
    from playwright.sync_api import expect

    CaseStudyFactory(title="Recruiting nurses on LinkedIn")
    CaseStudyFactory(title="Video on TikTok")
    page = journey.sign_in(advocate)

    page.get_by_role("navigation", name="Your tools").get_by_role("link", name="Write").click()
    expect(page.get_by_role("heading", name="My work", level=1)).to_be_visible()
    page.get_by_role("link", name="Write an article").click()
    expect(page.get_by_role("heading", name="New article", level=1)).to_be_visible()

    page.get_by_label("Title").fill("Hiring on LinkedIn, step by step")
    page.get_by_label("Summary").fill("What we learnt from the nurses' campaign.")
    body = page.get_by_label("Body:", exact=True)
    body.fill("Our applications doubled:")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Insert image into Body").click()
    chooser.value.set_files(
        files=[
            {"name": "chart.png", "mimeType": "image/png", "buffer": image_bytes("PNG", (120, 80))}
        ]
    )
    expect(page.locator(".md-status")).to_contain_text("Image inserted")
    expect(body).to_have_value(re.compile(r"^Our applications doubled:\n\n!\[\]\(/uploads/"))
    expect(page.locator(".md-preview img")).to_have_js_property("naturalWidth", 120)

    related = page.get_by_role("combobox", name="Related case studies")
    related.press_sequentially("nurses")
    page.get_by_role("option", name="Recruiting nurses on LinkedIn").click()
    expect(page.get_by_role("button", name="Remove Recruiting nurses on LinkedIn")).to_be_visible()

    page.get_by_role("button", name="Save and submit for review").click()

    expect(page.get_by_role("heading", name="Hiring on LinkedIn, step by step")).to_be_visible()
    messages = page.get_by_role("status").filter(has_text="created")
    expect(messages).to_contain_text("“Hiring on LinkedIn, step by step” created.")
    expect(messages).to_contain_text("It is now waiting for an editor's review.")
    expect(page.locator(".workflow-state")).to_contain_text("Status: Submitted for review")
    expect(page.locator(".prose img")).to_have_js_property("naturalWidth", 120)
    cited = page.get_by_role("complementary").get_by_role(
        "link", name="Recruiting nurses on LinkedIn"
    )
    expect(cited).to_be_visible()
    journey.screenshot(page)


@pytest.fixture
def submitted(advocate: AbstractUser) -> str:
    """The advocate's article, waiting for an editor."""
    article = ArticleFactory(
        title="Hiring on LinkedIn, step by step",
        author=advocate,
        status=Status.DRAFT,
        published_at=None,
        body="Post every vacancy.",
    )
    content_transition(item=article, action=Action.SUBMIT, user=advocate)
    return article.title


def test_editor_requests_changes_and_publishes_the_resubmitted_article(
    journey: Journey, editor: AbstractUser, advocate: AbstractUser, submitted: str
) -> None:
    from playwright.sync_api import expect

    desk = journey.sign_in(editor)
    tools = desk.get_by_role("navigation", name="Your tools")
    tools.get_by_role("link", name="Review 1 waiting").click()
    expect(desk.get_by_role("heading", name="Review queue", level=1)).to_be_visible()
    row = desk.get_by_role("row").filter(has_text=submitted)
    expect(row).to_contain_text("Adam Advocate")
    row.get_by_role("link", name="Request changes…").click()

    expect(desk.get_by_role("heading", name=f"Request changes: “{submitted}”")).to_be_visible()
    desk.get_by_role("button", name="Request changes").click()
    expect(
        desk.get_by_text("Say what needs to change; the author will see your comment.")
    ).to_be_visible()
    desk.get_by_label("What needs to change").fill("Add the cost per hire, please.")
    desk.get_by_role("button", name="Request changes").click()

    expect(desk.get_by_role("status")).to_have_text(
        f"“{submitted}” sent back to its author with your comment."
    )
    expect(desk.locator(".workflow-state")).to_contain_text("Status: Changes requested")

    author = journey.sign_in(advocate)
    author.get_by_role("navigation", name="Your tools").get_by_role("link", name="Write").click()
    returned = author.get_by_role("region", name="Changes requested (1)")
    expect(returned.locator(".editor-comment")).to_contain_text("Add the cost per hire, please.")
    expect(returned.locator(".editor-comment")).to_contain_text("Eddie Editor")
    returned.get_by_role("link", name=submitted).click()

    expect(author.get_by_role("note")).to_contain_text("Eddie Editor requested changes")
    author.get_by_role("link", name="Edit", exact=True).click()
    expect(author.get_by_role("heading", name=f"Edit “{submitted}”")).to_be_visible()
    # Typing once the editor has set itself up (its preview beside the field), as a person
    # sees it; the script moves the field into the preview's panes.
    expect(author.get_by_role("region", name="Preview of Body")).to_be_attached()
    body = author.get_by_label("Body:", exact=True)
    body.fill("Post every vacancy. The cost per hire fell from £900 to £700.")
    expect(body).to_have_value("Post every vacancy. The cost per hire fell from £900 to £700.")
    author.get_by_role("button", name="Save and submit for review").click()
    expect(author.get_by_role("status")).to_contain_text(
        "It is now waiting for an editor's review."
    )
    expect(author.get_by_text("The cost per hire fell from £900 to £700.")).to_be_visible()
    expect(author.locator(".workflow-state")).to_contain_text("Status: Submitted for review")

    desk.get_by_role("navigation", name="Your tools").get_by_role(
        "link", name=re.compile("^Review")
    ).click()
    row = desk.get_by_role("row").filter(has_text=submitted)
    row.get_by_role("link", name="Publish…").click()
    expect(desk.get_by_role("heading", name=f"Publish: “{submitted}”")).to_be_visible()
    desk.get_by_role("button", name="Publish", exact=True).click()

    expect(desk.get_by_role("status")).to_have_text(f"“{submitted}” published.")
    expect(desk.locator(".workflow-state")).to_contain_text("Status: Published")
    expect(desk.get_by_text("The cost per hire fell from £900 to £700.")).to_be_visible()
    assert Article.objects.get(title=submitted).status == Status.PUBLISHED
    journey.screenshot(desk)
