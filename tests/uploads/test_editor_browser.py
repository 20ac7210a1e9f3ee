"""The editor in a real browser: live preview, "Insert image" and related-items chips."""

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse

from kb.articles.models import Article
from tests.factories import CaseStudyFactory
from tests.uploads.images import image_bytes

if TYPE_CHECKING:  # Playwright is imported only once the browser fixture found it
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized_rollback restores the role groups
    # (a data migration) that the flush after each test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

IMAGE_MARKDOWN = r"!\[\]\(/uploads/files/images/\d{4}/\d{2}/[0-9a-f]{32}\.png\)"


@pytest.fixture
def page(
    browser: "Browser", live_server, client: Client, advocate: AbstractUser
) -> Iterator["Page"]:
    """A browser tab signed in as the advocate, through the test client's session cookie."""
    client.force_login(advocate)
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
    tab = context.new_page()
    yield tab
    context.close()


def test_typing_markdown_shows_a_sanitised_preview(page: "Page") -> None:
    from playwright.sync_api import expect

    page.goto(reverse("articles:create"))
    body = page.locator("#id_body")
    body.fill(
        "## Start small\n\nPost once a week. <script>window.pwned = true</script>\n\n"
        "[Read more](javascript:window.pwned=true)"
    )
    body.press_sequentially(" and **measure**")

    preview = page.get_by_role("region", name="Preview of Body")
    expect(preview.locator("h2")).to_have_text("Start small")
    expect(preview.locator("strong")).to_have_text("measure")
    assert preview.locator("script").count() == 0
    assert "javascript:" not in preview.inner_html()
    assert page.evaluate("window.pwned") is None


def test_preview_problems_are_shown_beside_the_text(page: "Page") -> None:
    from playwright.sync_api import expect

    page.goto(reverse("articles:create"))
    body = page.locator("#id_body")
    problem = page.locator(".md-error")
    body.evaluate("textarea => textarea.removeAttribute('maxlength')")

    body.fill("x" * 100_001)
    expect(problem).to_have_text("The preview stops at 100,000 characters; this text has 100,001.")

    body.fill("Back to *normal*")
    expect(problem).to_be_hidden()
    expect(page.locator(".md-preview em")).to_have_text("normal")

    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    body.fill("Signed out")
    expect(problem).to_contain_text("You have been signed out.")


def test_an_uploaded_image_is_inserted_as_markdown_and_shown_in_the_preview(page: "Page") -> None:
    from playwright.sync_api import expect

    page.goto(reverse("articles:create"))
    body = page.locator("#id_body")
    body.fill("Our results:")
    insert_image = page.get_by_role("button", name="Insert image into Body")
    status = page.locator(".md-status")

    with page.expect_file_chooser() as chooser:
        insert_image.click()
    chooser.value.set_files(
        files=[
            {"name": "chart.png", "mimeType": "image/png", "buffer": image_bytes("PNG", (120, 80))}
        ]
    )

    expect(body).to_have_value(re.compile(rf"^Our results:\n\n{IMAGE_MARKDOWN}$"))
    expect(status).to_contain_text("Image inserted")
    # The preview loads the image through the signed-in file view.
    expect(page.locator(".md-preview img")).to_have_js_property("naturalWidth", 120)

    with page.expect_file_chooser() as chooser:
        insert_image.click()
    chooser.value.set_files(
        files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"Not a picture."}]
    )

    expect(status).to_have_text("This file is not an image. Upload a JPEG, PNG, GIF or WebP file.")
    expect(body).to_have_value(re.compile(rf"^Our results:\n\n{IMAGE_MARKDOWN}$"))


def test_related_case_studies_are_chosen_as_chips_and_saved_with_the_article(page: "Page") -> None:
    from playwright.sync_api import expect

    CaseStudyFactory(title="Recruiting on LinkedIn")
    CaseStudyFactory(title="Video on TikTok")
    page.goto(reverse("articles:create"))
    page.get_by_label("Title").fill("Start small")
    page.get_by_label("Summary").fill("How to start.")
    page.locator("#id_body").fill("Post once a week.")
    search = page.get_by_role("combobox", name="Related case studies")

    search.press_sequentially("linked")
    expect(page.get_by_role("option")).to_have_text(["Recruiting on LinkedIn"])
    search.press("ArrowDown")
    search.press("Enter")
    search.press_sequentially("tik")
    page.get_by_role("option", name="Video on TikTok").click()
    page.get_by_role("button", name="Remove Video on TikTok").click()

    expect(page.get_by_role("button", name=re.compile("^Remove "))).to_have_text(["×"])
    expect(page.get_by_role("button", name="Remove Recruiting on LinkedIn")).to_be_visible()
    chosen = page.eval_on_selector(
        "#id_related_case_studies", "select => Array.from(select.selectedOptions, o => o.text)"
    )
    assert chosen == ["Recruiting on LinkedIn"]

    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/articles/start-small/$"))
    article = Article.objects.get(title="Start small")
    assert [study.title for study in article.related_case_studies.all()] == [
        "Recruiting on LinkedIn"
    ]
