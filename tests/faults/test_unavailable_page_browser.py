"""The 503 page, in a real browser at a phone's and a desktop's width, in light and dark:
axe-core finds nothing and nothing scrolls sideways."""

import pytest
from django.template import loader

from tests.test_accessibility import SCHEMES, VIEWPORTS, _problems

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_briefly_unavailable_page_is_accessible_in_light_and_dark(browser, live_server) -> None:
    html = loader.get_template("503.html").render({})
    problems = {}
    for width, height in VIEWPORTS:
        for scheme in SCHEMES:
            context = browser.new_context(
                base_url=live_server.url,
                viewport={"width": width, "height": height},
                color_scheme=scheme,
            )
            page = context.new_page()
            # Served at the site's address, so its stylesheet loads as it would.
            page.route("**/briefly-unavailable", lambda route: route.fulfill(
                status=503, content_type="text/html; charset=utf-8", body=html
            ))  # fmt: skip
            response = page.goto("/briefly-unavailable")
            assert response is not None and response.status == 503
            assert page.locator("h1").inner_text() == "The KB is briefly unavailable"
            if found := _problems(page):
                problems[f"{width}px {scheme}"] = found
            context.close()
    assert problems == {}
