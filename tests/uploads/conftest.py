"""Upload tests store files in a temporary MEDIA_ROOT; browser tests drive the system Chromium."""

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(autouse=True)
def media_root(media_root: Path) -> Path:
    """Every upload test stores its files in the test's own folder."""
    return media_root


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The system Chromium (Debian's package); Playwright never downloads a browser here.

    Missing Chromium or Playwright skips a browser test on a developer's machine, but fails
    it under CI, where skipping would hide that the editor was never exercised.
    """
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("playwright (pip install -e '.[test]')")
    if not missing:
        return str(CHROMIUM)
    reason = "browser tests need " + " and ".join(missing)
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def allow_async_unsafe(monkeypatch) -> None:
    """Playwright's sync API runs an event loop; let the ORM work while it does."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(chromium_executable: str, allow_async_unsafe: None) -> Iterator:
    """A headless Chromium for one test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, args=["--no-sandbox"], headless=True
        )
        yield browser
        # While Playwright's event loop runs, Django keeps the test's database connection
        # in a context variable rather than the thread; close it while that loop still
        # runs, or it outlives the test database.
        connections.close_all()
        browser.close()
