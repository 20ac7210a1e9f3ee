"""Briefs and paths in a real browser at 390 and 1280 px, light and dark: no axe-core
violation and nothing scrolling sideways on the list, a brief, a path with progress and
the owner's counts, and the form (with errors); the form's move buttons renumber rows."""

import pytest
from django.contrib.auth.models import AbstractUser
from django.urls import reverse

from kb.collections.models import Collection
from kb.collections.services import progress_share, step_mark
from tests.test_accessibility import _problems, page, problems_on  # noqa: F401 (page: a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def shown(brief: Collection, path: Collection, reader: AbstractUser) -> dict[str, str]:
    step_mark(collection=path, row=path.items.first(), reader=reader, done=True)
    progress_share(collection=path, reader=reader, share=True)
    return {"brief": brief.get_absolute_url(), "path": path.get_absolute_url(), "slug": path.slug}


def test_collection_pages_have_no_accessibility_violations(page, shown: dict) -> None:  # noqa: F811
    paths = [
        reverse("collections:list"),
        shown["brief"],
        shown["path"],
        reverse("collections:create"),
        reverse("collections:edit", args=[shown["slug"]]),
    ]
    assert problems_on(page, paths) == {}


def test_the_form_with_errors_has_no_violations_and_keeps_the_text(
    page,  # noqa: F811
    shown: dict,
) -> None:
    page.goto(reverse("collections:create"))
    page.fill("#id_title", "My typed brief")
    page.fill("#id_items-0-address", "/case-studies/no-such-study/")
    page.fill("#id_items-0-note", "My typed note")
    page.locator("form.edit-form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "There is no item you can see" in page.content()
    assert page.input_value("#id_items-0-note") == "My typed note"
    assert _problems(page) == []


DESKTOP = pytest.mark.parametrize("page", [((1280, 900), "light")], indirect=True)


@DESKTOP
def test_marking_a_step_done_in_the_browser_updates_the_progress(page, shown: dict) -> None:  # noqa: F811
    page.goto(shown["path"])
    page.locator(".step-form button").first.click()
    page.wait_for_load_state()
    assert "You have done 1 of 3 steps." in page.content()


@DESKTOP
def test_the_move_buttons_reorder_rows_and_renumber_positions(page, shown: dict) -> None:  # noqa: F811
    page.goto(reverse("collections:edit", args=[shown["slug"]]))
    first_address = page.input_value("#id_items-0-address")
    page.get_by_role("button", name="Move this item down").first.click()
    rows = page.locator(".formset-row")
    assert rows.nth(1).locator("input[name$='-address']").input_value() == first_address
    positions = [
        rows.nth(index).locator("input[name$='-position']").input_value() for index in range(3)
    ]
    assert positions == ["1", "2", "3"]
    assert rows.nth(1).locator("input[name$='-position']").get_attribute("name") == (
        "items-0-position"
    )
    page.locator("form.edit-form button[type=submit]").first.click()
    page.wait_for_load_state()
    collection = Collection.objects.get(slug=shown["slug"])
    assert collection.items.get(position=2).item.get_absolute_url() == first_address


@DESKTOP
def test_a_printed_brief_is_its_argument_without_the_sites_chrome(page, shown: dict) -> None:  # noqa: F811
    page.goto(shown["brief"])
    chrome = [".site-header", ".site-footer", ".collection-actions", ".comments"]
    assert all(page.locator(part).first.is_visible() for part in chrome)
    page.emulate_media(media="print")
    for part in chrome:
        assert not page.locator(part).first.is_visible(), part
    assert page.locator("h1").first.is_visible()
    for title in ["Recruiting on LinkedIn", "Vacancy videos", "Trust barometer"]:
        assert page.get_by_text(title).first.is_visible(), title
