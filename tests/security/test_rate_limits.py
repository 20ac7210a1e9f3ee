"""Rate limits on what is cheap to ask and expensive to answer: past the limit a person
gets the 429 page with Retry-After, and nobody else is affected."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse


@pytest.fixture
def limits(settings) -> dict[str, str]:
    settings.KB_RATE_LIMITS = {**django_settings.KB_RATE_LIMITS}
    return settings.KB_RATE_LIMITS


def assert_too_many(response) -> None:
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    text = response.content.decode()
    assert "Too many requests" in text
    assert "Try again in" in text


def test_the_defaults_are_far_above_what_a_person_does() -> None:
    assert django_settings.KB_RATE_LIMITS == {
        "suggest": "120/m",
        "preview": "60/m",
        "export": "30/m",
        "pdf": "10/m",
        "sign-in failures": "30/15m",  # per address (tests/accounts/test_spraying.py)
    }


def test_the_request_after_the_limit_gets_the_429_page(
    limits, reader_client: Client, advocate_client: Client
) -> None:
    limits["suggest"] = "3/m"
    suggest = reverse("search:suggest")
    statuses = [reader_client.get(suggest, {"q": "vid"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert_too_many(reader_client.get(suggest, {"q": "vid"}))
    # Someone else is not held up by it.
    assert advocate_client.get(suggest, {"q": "vid"}).status_code == 200


def test_every_costly_view_is_limited(limits, advocate_client: Client) -> None:
    for group in limits:
        limits[group] = "0/m"
    requests = {
        "search suggestions": lambda: advocate_client.get(reverse("search:suggest"), {"q": "a"}),
        "Markdown preview": lambda: advocate_client.post(
            reverse("markdown_preview"), {"text": "a"}
        ),
        "citation export": lambda: advocate_client.get(reverse("research:export", args=["bib"])),
        "one citation": lambda: advocate_client.get(
            reverse("research:cite", args=["any-link", "ris"])
        ),
        "dashboard CSV": lambda: advocate_client.get(
            reverse("departments:dashboard_csv", args=["adoption"])
        ),
        "collection Markdown": lambda: advocate_client.get(
            reverse("collections:markdown", args=["any-brief"])
        ),
        "brief PDF": lambda: advocate_client.get(reverse("collections:pdf", args=["any-brief"])),
    }
    statuses = {name: request().status_code for name, request in requests.items()}
    assert statuses == dict.fromkeys(requests, 429)
