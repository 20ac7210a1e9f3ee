"""The lock-out page, the rate-limit page and the paused sign-in of an address in a real
browser, at a phone and a desktop width, light and dark: axe-core finds nothing and
nothing scrolls sideways."""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.test_accessibility import SCHEMES, VIEWPORTS, _problems

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(params=[(size, scheme) for size in VIEWPORTS for scheme in SCHEMES], ids=str)
def tab(request, browser: "Browser", live_server) -> Iterator["Page"]:
    (width, height), scheme = request.param
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}, color_scheme=scheme
    )
    yield context.new_page()
    context.close()


def test_the_lock_out_page_is_accessible(tab: "Page") -> None:
    UserFactory(username="wendy")
    tab.goto(reverse("login"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        tab.fill("#id_username", "wendy")
        tab.fill("#id_password", "wrong-password")
        with tab.expect_navigation():
            tab.locator("form.edit-form button[type=submit]").click()
    assert tab.get_by_role("heading", name="Sign-in paused").is_visible()
    assert _problems(tab) == []


def test_the_rate_limit_page_is_accessible(tab: "Page", settings, live_server) -> None:
    settings.KB_RATE_LIMITS = {**settings.KB_RATE_LIMITS, "export": "0/m"}
    client = Client()
    client.force_login(UserFactory(username="rita"))
    tab.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    response = tab.goto(reverse("research:export", args=["bib"]))
    assert response is not None and response.status == 429
    assert tab.get_by_role("heading", name="Too many requests").is_visible()
    assert _problems(tab) == []


def test_the_page_for_an_address_past_its_wrong_passwords_is_accessible(
    tab: "Page", settings
) -> None:
    settings.KB_RATE_LIMITS = {**settings.KB_RATE_LIMITS, "sign-in failures": "1/15m"}
    tab.goto(reverse("login"))
    for name in ["ann", "bob", "cat"]:  # a different name each time: no lock-out of a name
        tab.fill("#id_username", name)
        tab.fill("#id_password", "Summer2026!")
        with tab.expect_navigation():
            tab.locator("form.edit-form button[type=submit]").click()
    assert tab.get_by_role("heading", name="Too many requests").is_visible()
    assert _problems(tab) == []
