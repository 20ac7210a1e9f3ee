"""The editor's live Markdown preview: sanitised like the page, bounded, and CSRF-protected."""

import re

from django.test import Client
from django.urls import reverse

PREVIEW = reverse("markdown_preview")


def test_the_preview_renders_markdown_as_an_html_fragment(reader_client: Client) -> None:
    response = reader_client.post(PREVIEW, {"text": "## Start small\n\nPost **once** a week."})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert (
        response.content.decode()
        == "<h2>Start small</h2>\n<p>Post <strong>once</strong> a week.</p>"
    )


def test_the_preview_is_sanitised(advocate_client: Client) -> None:
    text = (
        "Hello <script>alert('x')</script>\n\n"
        '[click](javascript:alert(1)) <a href="javascript:alert(2)">me</a>\n\n'
        '<img src="x.png" onerror="alert(3)"> <iframe src="https://evil.example"></iframe>'
    )

    html = advocate_client.post(PREVIEW, {"text": text}).content.decode().lower()

    assert "<script" not in html
    assert "alert('x')" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "<iframe" not in html
    assert "<p>hello" in html


def test_empty_text_previews_as_nothing(advocate_client: Client) -> None:
    response = advocate_client.post(PREVIEW, {"text": ""})

    assert (response.status_code, response.content) == (200, b"")


def test_text_over_100000_characters_is_refused_with_a_message(advocate_client: Client) -> None:
    response = advocate_client.post(PREVIEW, {"text": "x" * 100_001})

    assert response.status_code == 400
    assert response.content.decode() == (
        "The preview stops at 100,000 characters; this text has 100,001."
    )


def test_line_breaks_sent_as_crlf_count_as_one_character(advocate_client: Client) -> None:
    response = advocate_client.post(PREVIEW, {"text": "a\r\n" * 50_000})

    assert response.status_code == 200


def test_the_preview_needs_a_post(advocate_client: Client) -> None:
    assert advocate_client.get(PREVIEW, {"text": "hi"}).status_code == 405


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(db) -> None:
    response = Client().post(PREVIEW, {"text": "hi"})

    assert response.status_code == 302


def test_the_preview_refuses_a_post_without_the_csrf_token(advocate) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(advocate)

    assert client.post(PREVIEW, {"text": "hi"}).status_code == 403


def test_the_preview_accepts_the_token_from_the_forms_hidden_input(advocate) -> None:
    """What editor.js does: the cookie is HttpOnly, so the token comes from the page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(advocate)
    page = client.get(reverse("articles:create")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(PREVIEW, {"text": "*hi*"}, headers={"X-CSRFToken": token})

    assert (response.status_code, response.content) == (200, b"<p><em>hi</em></p>")
