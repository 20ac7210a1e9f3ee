"""The keyboard in a real browser: Escape (or a click elsewhere) closes the account menu,
Escape the search suggestions, the suggestions close when focus leaves the box, the
option the arrow keys reach is plainly marked, and a form sent back with errors puts the
focus on the first.

What static/js/forms.js and static/js/search.js add to pages that work without them.
"""

import re
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import AbstractUser
from django.urls import reverse

from tests.factories import ArticleFactory, CaseStudyFactory
from tests.test_layout import _tab

if TYPE_CHECKING:  # Playwright is imported only once the browser fixture found it
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = 1280
ANY = re.compile(".*")  # an attribute's any value: not_to_have_attribute(name, ANY) = absent


@pytest.fixture
def suggestible() -> None:
    """Published items whose titles the search box suggests for "recrui"."""
    CaseStudyFactory(title="Recruiting nurses on LinkedIn")
    ArticleFactory(title="Recruitment posts that work")


def _suggestions_for(page: "Page", typed: str):
    """The header's search box after typing ``typed``, once its suggestions show."""
    from playwright.sync_api import expect

    search = page.get_by_role("combobox", name="Search the KB")
    search.press_sequentially(typed)
    suggestions = page.get_by_role("listbox", name="Suggestions")
    expect(suggestions.get_by_role("option").first).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    return search, suggestions


def test_escape_closes_the_account_menu_and_gives_focus_back_to_it(
    browser: "Browser", live_server, reader: AbstractUser
) -> None:
    from playwright.sync_api import expect

    page = _tab(browser, live_server, reader, DESKTOP)
    page.goto("/")
    menu = page.locator("details.user-menu")
    toggle = menu.locator("summary")
    following = menu.get_by_role("link", name="Following")

    toggle.focus()
    page.keyboard.press("Enter")
    expect(following).to_be_visible()
    page.keyboard.press("Escape")
    expect(following).to_be_hidden()
    expect(menu).not_to_have_attribute("open", "")
    expect(toggle).to_be_focused()

    # From a link inside the open menu too.
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(menu.locator(".user-menu-panel a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(following).to_be_hidden()
    expect(toggle).to_be_focused()
    page.context.close()


def test_a_click_outside_the_account_menu_closes_it_and_one_inside_does_not(
    browser: "Browser", live_server, reader: AbstractUser
) -> None:
    from playwright.sync_api import expect

    page = _tab(browser, live_server, reader, DESKTOP)
    page.goto("/")
    menu = page.locator("details.user-menu")
    following = menu.get_by_role("link", name="Following")

    menu.locator("summary").click()
    expect(following).to_be_visible()
    menu.locator(".user-menu-panel").click(position={"x": 2, "y": 2})  # its own padding
    expect(following).to_be_visible()
    page.locator("main h1, main h2").first.click()
    expect(following).to_be_hidden()
    expect(menu).not_to_have_attribute("open", "")
    page.context.close()


def test_escape_closes_the_search_suggestions_and_keeps_what_was_typed(
    browser: "Browser", live_server, reader: AbstractUser, suggestible: None
) -> None:
    from playwright.sync_api import expect

    page = _tab(browser, live_server, reader, DESKTOP)
    page.goto("/")
    search, suggestions = _suggestions_for(page, "recrui")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(suggestions).to_be_hidden()
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(search).not_to_have_attribute("aria-activedescendant", ANY)
    expect(search).to_have_value("recrui")
    expect(search).to_be_focused()
    page.context.close()


def test_the_suggestions_close_when_focus_leaves_the_box(
    browser: "Browser", live_server, reader: AbstractUser, suggestible: None
) -> None:
    from playwright.sync_api import expect

    page = _tab(browser, live_server, reader, DESKTOP)
    page.goto("/")
    search, suggestions = _suggestions_for(page, "recrui")
    page.keyboard.press("Tab")
    expect(suggestions).to_be_hidden()
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(search).not_to_be_focused()

    # A click elsewhere on the page too.
    search.focus()
    search.press_sequentially("t")
    expect(suggestions.get_by_role("option").first).to_be_visible()
    page.get_by_role("heading", level=1).first.click()
    expect(suggestions).to_be_hidden()
    page.context.close()


# How an option is drawn: what sets the active one apart from the rest.
OPTION_LOOK = """(option) => {
  const style = getComputedStyle(option);
  return {background: style.backgroundColor, color: style.color,
          outline: style.outlineStyle + " " + style.outlineWidth};
}"""


def test_the_active_suggestion_is_plainly_marked_and_announced(
    browser: "Browser", live_server, reader: AbstractUser, suggestible: None
) -> None:
    from playwright.sync_api import expect

    page = _tab(browser, live_server, reader, DESKTOP)
    page.goto("/")
    search, suggestions = _suggestions_for(page, "recrui")
    options = suggestions.get_by_role("option")
    assert options.count() >= 2
    page.mouse.move(0, 0)  # no hover tint on any option
    resting = options.nth(1).evaluate(OPTION_LOOK)

    page.keyboard.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_have_attribute("aria-selected", "false")
    expect(search).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    expect(search).to_be_focused()
    active = options.nth(0).evaluate(OPTION_LOOK)
    assert active["background"] != resting["background"]
    assert active["outline"] == "solid 2px", active
    assert resting["outline"].startswith("none"), resting

    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    expect(search).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    assert options.nth(1).evaluate(OPTION_LOOK) == active
    assert options.nth(0).evaluate(OPTION_LOOK) == resting

    # Up from the first wraps round to the last; Enter opens the active one.
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    last = options.nth(options.count() - 1)
    expect(last).to_have_attribute("aria-selected", "true")
    target = last.get_attribute("data-href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + target)
    page.context.close()


def test_a_form_sent_back_with_errors_focuses_its_first_field_in_error(
    browser: "Browser", live_server, advocate: AbstractUser
) -> None:
    from playwright.sync_api import expect

    page = _tab(browser, live_server, advocate, DESKTOP)
    page.goto(reverse("articles:create"))
    page.get_by_label("Summary").fill("Typed before the title.")
    page.locator("form.edit-form button[type=submit]").first.click()

    expect(page.get_by_role("alert").first).to_contain_text("Please correct the errors")
    first_error = page.locator("main form [aria-invalid=true]").first
    expect(first_error).to_be_focused()
    expect(page.get_by_label("Title")).to_be_focused()
    expect(page.get_by_label("Summary")).to_have_value("Typed before the title.")
    page.context.close()
