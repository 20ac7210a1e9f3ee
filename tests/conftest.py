"""Shared fixtures: named personas for every role, a signed-in client per persona, and the
system Chromium for real-browser tests."""

import importlib.util
import os
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from kb.core import fragments
from kb.core.permissions import ADVOCATE, EDITOR, READER
from kb.search import matches as match_cache
from kb.search import pages as search_pages
from tests.factories import AdvocateProfileFactory, UserFactory

# Hypothesis's wall-clock checks (a deadline per example, "input generation is slow") fail
# on a busy machine rather than on a defect; the properties themselves are what we test.
hypothesis_settings.register_profile(
    "kb", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("kb")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items) -> None:
    """Every test without a database mark gets an ordinary one, before pytest-django orders
    the tests. pytest-django runs transactional tests after the others, and each ends by
    emptying every table (role groups and content types included); a test that reaches the
    database only through a fixture it asks for while running (request.getfixturevalue)
    looks database-free to that ordering, and would otherwise run after them, on empty
    tables."""
    for item in items:
        if item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)
    # PostgreSQL-only tests run only against PostgreSQL; under CI they must not be skipped.
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs DATABASE_URL pointing at PostgreSQL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _forget_content_types_after_a_flush(request) -> Iterator[None]:
    """A transactional test ends by emptying every table, content types included, and the
    tests that run after it (those that reach the database through fixtures alone) would
    otherwise queue search work under content type ids that no longer exist."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Real hashers cost ~0.25 s a user; tests need no protection against brute force."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Stands in for django.db.transaction in a module whose on-commit work a test needs done at
# once: the test's transaction never commits.
ON_COMMIT_AT_ONCE = types.SimpleNamespace(on_commit=lambda func, *args, **kwargs: func())


@pytest.fixture(autouse=True)
def _content_version_on_every_write(request, monkeypatch) -> None:
    """Tests run inside a transaction that never commits, so the content version
    (kb.core.fragments) moves on at each change, as each commit would; tests of real
    transactions (``transaction=True``) keep Django's on-commit."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return
    monkeypatch.setattr(fragments, "transaction", ON_COMMIT_AT_ONCE)


@pytest.fixture(autouse=True)
def _empty_caches() -> None:
    """Each test starts with empty caches, which outlive a test (they are the process's
    memory, not the database that rolls back). A rolled-back test sends no signal that
    would clear what its pages cached (the home page's counts), and the rate limits count
    there: without this, tests asking for suggestions or exports would add up across the
    suite and one would be refused with a 429 depending on which ran before it."""
    for cache in caches.all():
        cache.clear()
    match_cache.forget()  # the searches' remembered matches (kb.search.matches)
    search_pages.forget()  # and their rendered results (kb.search.pages)


def _with_roles(user, *roles: str):
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


@pytest.fixture
def reader(db):
    return _with_roles(UserFactory(username="rita", first_name="Rita", last_name="Reader"), READER)


@pytest.fixture
def advocate(db):
    user = UserFactory(username="adam", first_name="Adam", last_name="Advocate")
    AdvocateProfileFactory(user=user)
    return _with_roles(user, READER, ADVOCATE)


@pytest.fixture
def other_advocate(db):
    user = UserFactory(username="olga", first_name="Olga", last_name="Other")
    AdvocateProfileFactory(user=user)
    return _with_roles(user, READER, ADVOCATE)


@pytest.fixture
def editor(db):
    user = UserFactory(username="eddie", first_name="Eddie", last_name="Editor", is_staff=True)
    return _with_roles(user, READER, EDITOR)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", is_staff=True, is_superuser=True)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reader_client(reader):
    return _client_for(reader)


@pytest.fixture
def advocate_client(advocate):
    return _client_for(advocate)


@pytest.fixture
def other_advocate_client(other_advocate):
    return _client_for(other_advocate)


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture
def admin_client(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files land in the test's own folder, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


CHROMIUM = Path("/usr/bin/chromium")


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


# Run in every document a watched browser opens (Playwright injects it, so the policy does
# not apply to it): each violation of the Content-Security-Policy becomes one console line.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("%s" + JSON.stringify({
    page: event.documentURI, directive: event.effectiveDirective, blocked: event.blockedURI,
    source: event.sourceFile ? event.sourceFile + ":" + event.lineNumber : "",
    sample: event.sample,
  }));
}, true);
"""
CSP_PREFIX = "Content-Security-Policy violation: "


class CspViolations:
    """What the Content-Security-Policy blocked in the pages of one test's browser.

    The listener's lines say where and what; Chromium's own "Refused to …" console errors
    are kept too, and shown only if no listener line came (a document the listener did not
    reach). A test that provokes a violation on purpose asserts on ``found()`` and then
    calls ``clear()``.
    """

    def __init__(self) -> None:
        self.events: list[str] = []
        self.console: list[str] = []

    def watch(self, context) -> None:
        context.add_init_script(CSP_LISTENER % CSP_PREFIX)
        context.on("console", self._console)

    def _console(self, message) -> None:
        text = message.text
        if text.startswith(CSP_PREFIX):
            self.events.append(text[len(CSP_PREFIX) :])
        elif "Content Security Policy" in text:
            page = message.page.url if message.page else "?"
            self.console.append(f"{page}: {text}")

    def found(self) -> list[str]:
        return self.events or self.console

    def clear(self) -> None:
        self.events.clear()
        self.console.clear()


class CspWatchedBrowser:
    """A Playwright Browser whose every context and page reports CSP violations."""

    def __init__(self, browser, violations: CspViolations) -> None:
        self._browser = browser
        self._violations = violations

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        self._violations.watch(context)
        return context

    def new_page(self, **options):
        page = self._browser.new_page(**options)
        self._violations.watch(page.context)
        return page

    def __getattr__(self, name: str):
        return getattr(self._browser, name)


@pytest.fixture
def csp_violations() -> CspViolations:
    """The Content-Security-Policy violations the ``browser`` fixture collects."""
    return CspViolations()


@pytest.fixture
def browser(
    chromium_executable: str, allow_async_unsafe: None, csp_violations: CspViolations
) -> Iterator:
    """A headless Chromium for one test. Every page opened through it is watched for
    Content-Security-Policy violations, and the test fails at teardown listing any."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, args=["--no-sandbox"], headless=True
        )
        yield CspWatchedBrowser(browser, csp_violations)
        # While Playwright's event loop runs, Django keeps the test's database connection
        # in a context variable rather than the thread; close it while that loop still
        # runs, or it outlives the test database.
        connections.close_all()
        browser.close()  # also delivers the console messages still on their way
    if found := csp_violations.found():
        pytest.fail(
            "the Content-Security-Policy blocked:\n" + "\n".join(dict.fromkeys(found)),
            pytrace=False,
        )
