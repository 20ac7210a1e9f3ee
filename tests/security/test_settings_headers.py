"""Every response carries the security headers: pages, error pages, JSON, files and the
admin, for signed-in people and for anyone not signed in."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def missing_headers(response, expected: dict[str, str] = EXPECTED) -> list[str]:
    problems = [
        f"{name}: {response.headers.get(name)!r}"
        for name, value in expected.items()
        if response.headers.get(name) != value
    ]
    policy = response.headers.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        if f"{feature}=()" not in policy:
            problems.append(f"Permissions-Policy does not deny {feature}: {policy!r}")
    return problems


@pytest.fixture
def article(advocate):
    return ArticleFactory(author=advocate)


@pytest.fixture
def collected_static(settings, tmp_path):
    """A collected static folder, as in production, where WhiteNoise answers the file
    before the rest of the middleware runs."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    return settings.STATIC_URL + "favicon.svg"


def test_every_kind_of_response_carries_the_security_headers(
    client: Client, reader_client: Client, admin_client: Client, article, collected_static
) -> None:
    static_file = reader_client.get(collected_static)
    assert static_file.status_code == 200
    signed_in = [
        ("home", reader_client.get(reverse("home"))),
        ("article", reader_client.get(article.get_absolute_url())),
        ("search", reader_client.get(reverse("search:results"), {"q": "video"})),
        ("suggestions (JSON)", reader_client.get(reverse("search:suggest"), {"q": "vi"})),
        ("preview (fragment)", reader_client.post(reverse("markdown_preview"), {"text": "*a*"})),
        ("404", reader_client.get("/no-such-page/")),
        ("admin refusing a reader", reader_client.get(reverse("admin:index"))),
        ("admin", admin_client.get(reverse("admin:auth_user_changelist"))),
        ("static file", static_file),
    ]
    anonymous = [
        ("sign-in page", client.get(reverse("login"))),
        ("redirect to sign in", client.get(reverse("home"))),
        ("admin sign-in", client.get(reverse("admin:login"))),
        ("health check", client.get(reverse("healthz"))),
    ]
    # Refused before the rest of the middleware runs; X-Frame-Options is set further in,
    # and these pages have nothing to click.
    refusals = [
        ("400 for a NUL character", client.get("/search/", {"q": "a\x00b"})),
        ("413 for a body too large", client.post("/uploads/images/", CONTENT_LENGTH="99999999")),
    ]
    problems = {
        name: found
        for name, response in signed_in + anonymous
        if (found := missing_headers(response))
    }
    framable = {name: value for name, value in EXPECTED.items() if name != "X-Frame-Options"}
    problems |= {
        name: found for name, response in refusals if (found := missing_headers(response, framable))
    }
    assert problems == {}


def test_the_permissions_policy_denies_every_listed_feature(reader_client: Client) -> None:
    policy = reader_client.get(reverse("home")).headers["Permissions-Policy"]
    assert sorted(part.strip() for part in policy.split(",")) == sorted(
        f"{feature}=()" for feature in settings.KB_PERMISSIONS_POLICY
    )
