"""What every journey needs: people who sign in through the login form, each in a tab of
the test's one browser at the journey's screen width, and a full-page screenshot of the
journey's last step kept as a test artifact (and of every open tab when a journey fails).

Screenshots go to ``$KB_TEST_ARTIFACTS/journeys/`` (``var/artifacts/journeys/`` by
default, which git ignores), named after the journey and the width.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.urls import reverse

if TYPE_CHECKING:  # Playwright is imported only once the browser fixture found it
    from playwright.sync_api import Browser, Page

PHONE, DESKTOP = 390, 1280
HEIGHTS = {PHONE: 844, DESKTOP: 900}
# What tests.factories.UserFactory gives every account.
PASSWORD = "secret-pass-123"
ACTION_TIMEOUT_MS = 10_000


def artifacts_dir() -> Path:
    return Path(os.environ.get("KB_TEST_ARTIFACTS") or settings.BASE_DIR / "var" / "artifacts")


@dataclass
class Journey:
    """One journey: its name, its screen width and the tabs of the people in it."""

    browser: "Browser"
    base_url: str
    name: str
    width: int
    pages: list["Page"] = field(default_factory=list)

    def sign_in(self, user: AbstractUser) -> "Page":
        """A new tab (its own cookies) in which ``user`` signs in as a person does: asked
        to on the first page, through the form, and landing back on the home page."""
        from playwright.sync_api import expect

        # Reduced motion: the site scrolls smoothly to an #anchor otherwise, and a box
        # measured mid-scroll is in the wrong place.
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport={"width": self.width, "height": HEIGHTS[self.width]},
            reduced_motion="reduce",
        )
        # A step that cannot happen fails in seconds, not Playwright's default 30.
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        page = context.new_page()
        self.pages.append(page)
        page.goto(reverse("home"))
        expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(self.base_url + reverse("home"))
        expect(page.locator(".user-name")).to_have_text(user.get_full_name())
        return page

    def screenshot(self, page: "Page", suffix: str = "") -> Path:
        """The whole page as it stands, kept as ``<journey>-<width><suffix>.png``."""
        path = artifacts_dir() / "journeys" / f"{self.name}-{self.width}{suffix}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=path, full_page=True)
        return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Let the journey fixture know whether the test itself failed."""
    report = yield
    if report.when == "call":
        item.journey_failed = report.failed
    return report


@pytest.fixture
def journey(request, browser: "Browser", live_server) -> Iterator[Journey]:
    """The journey named after the test (``test_<name>``), at the width its ``width``
    parameter gives (a desktop without one)."""
    width = getattr(request, "param", DESKTOP)
    name = request.node.originalname.removeprefix("test_").replace("_", "-")
    trip = Journey(browser=browser, base_url=live_server.url, name=name, width=width)
    for stale in (artifacts_dir() / "journeys").glob(f"{name}-{width}-failed-*.png"):
        stale.unlink()
    yield trip
    if getattr(request.node, "journey_failed", False):
        for number, page in enumerate(trip.pages, start=1):
            if not page.is_closed():
                trip.screenshot(page, f"-failed-{number}")
    for page in trip.pages:
        page.context.close()


def box(locator) -> dict[str, float]:
    """Where an element is drawn: x, y, width and height in CSS pixels."""
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not drawn"
    return found


def at_widths(*widths: int):
    """Run a journey once at each screen width."""
    return pytest.mark.parametrize("journey", widths, indirect=True, ids=lambda w: f"{w}px")
