"""Serving uploaded images: to signed-in users only, as images, and only what was uploaded."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from kb.uploads.models import Image
from tests.uploads.images import image_bytes, upload


@pytest.fixture
def uploaded(advocate_client: Client) -> Image:
    upload(advocate_client, "chart.png", image_bytes("PNG"))
    return Image.objects.get()


def test_the_image_url_points_at_the_file_view(uploaded: Image) -> None:
    assert uploaded.file.url == reverse("uploads:file", args=[uploaded.file.name])
    assert uploaded.file.url.startswith("/uploads/files/images/")


def test_a_signed_in_reader_gets_the_image_with_safe_headers(
    uploaded: Image, reader_client: Client
) -> None:
    response = reader_client.get(uploaded.file.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Cache-Control"] == "private, max-age=86400"
    with default_storage.open(uploaded.file.name, "rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_each_format_is_served_with_its_own_content_type(advocate_client: Client) -> None:
    upload(advocate_client, "photo.jpg", image_bytes("JPEG"), "image/jpeg")

    response = advocate_client.get(Image.objects.get().file.url)

    assert response["Content-Type"] == "image/jpeg"
    response.close()


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(uploaded: Image) -> None:
    response = Client().get(uploaded.file.url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_name_is_not_found(reader_client: Client) -> None:
    response = reader_client.get(reverse("uploads:file", args=["images/2025/01/nothing.png"]))

    assert response.status_code == 404


def test_a_file_in_storage_but_not_recorded_as_an_image_is_not_found(
    reader_client: Client,
) -> None:
    name = default_storage.save("exports/private.png", ContentFile(image_bytes("PNG")))

    assert reader_client.get(reverse("uploads:file", args=[name])).status_code == 404


def test_a_recorded_image_missing_from_storage_is_not_found(
    uploaded: Image, reader_client: Client
) -> None:
    default_storage.delete(uploaded.file.name)

    assert reader_client.get(uploaded.file.url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "../config/settings.py",
        "images/../../config/settings.py",
        "images/%2e%2e/%2e%2e/config/settings.py",
        "%2Fetc/passwd",
        "images/2025/01/..%5C..%5Cconfig%5Csettings.py",
        "images//2025/01/x.png",
        "images/2025/01/x.png%00.txt",
    ],
)
def test_path_traversal_is_not_found(uploaded: Image, reader_client: Client, path: str) -> None:
    # A NUL character is refused before any view looks (kb.core.middleware).
    expected = 400 if "%00" in path else 404
    assert reader_client.get(f"/uploads/files/{path}").status_code == expected


def test_a_recorded_name_with_dots_in_its_path_is_refused_before_storage(
    uploaded: Image, reader_client: Client
) -> None:
    """Even a row pointing outside MEDIA_ROOT (say, from a bad import) is never opened."""
    Image.objects.filter(pk=uploaded.pk).update(file="images/../../config/settings.py")

    assert reader_client.get("/uploads/files/images/../../config/settings.py").status_code == 404


def test_an_advocates_profile_photo_is_served_to_signed_in_users(
    advocate, reader_client: Client
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    profile = advocate.advocate_profile
    profile.photo = SimpleUploadedFile("me.png", image_bytes("PNG"), content_type="image/png")
    profile.save()
    response = reader_client.get(profile.photo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_non_image_file_among_profile_photos_is_not_found(reader_client: Client) -> None:
    name = default_storage.save("advocates/notes.html", ContentFile(b"<script>x</script>"))
    assert reader_client.get(reverse("uploads:file", args=[name])).status_code == 404
