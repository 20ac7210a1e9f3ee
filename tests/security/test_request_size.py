"""An upload larger than the KB takes is refused from its Content-Length, before its body
is read (the audit saw a 60 MB upload read to the end and only then refused)."""

import json

from django.conf import settings
from django.test import Client
from django.urls import reverse


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def oversized(client: Client, **headers):
    size = 60 * 1024 * 1024
    return client.generic(
        "POST",
        reverse("uploads:image_create"),
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": UnreadableBody()},
        **headers,
    )


def test_an_oversized_upload_is_refused_before_its_body_is_read(advocate_client: Client) -> None:
    response = oversized(advocate_client, HTTP_ACCEPT="application/json")
    assert response.status_code == 413
    error = json.loads(response.content)["error"].replace("\xa0", " ")
    assert "too large" in error and "60.0 MB" in error


def test_a_form_sending_too_much_gets_the_413_page(advocate_client: Client) -> None:
    response = oversized(advocate_client)
    assert response.status_code == 413
    assert "Too large" in response.content.decode()


def test_the_ceiling_leaves_room_for_the_largest_upload_and_its_form() -> None:
    assert settings.KB_REQUEST_MAX_BYTES > settings.KB_UPLOAD_MAX_BYTES
    assert settings.KB_REQUEST_MAX_BYTES > settings.KB_IMPORT_MAX_BYTES
