"""Uploading an image from the editor: who may, what is accepted, and what is stored."""

import io
import re

import pytest
from django.contrib.auth.models import AbstractUser
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from PIL import Image as PillowImage
from PIL import ImageCms, PngImagePlugin

from kb.core.markdown import render_markdown
from kb.uploads.models import Image
from tests.uploads.images import gif_claiming_size, image_bytes, png_claiming_size, upload

STORED_NAME = re.compile(r"^images/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|gif|webp)$")


def stored_bytes(image: Image) -> bytes:
    with default_storage.open(image.file.name, "rb") as stored:
        return stored.read()


def the_error(response) -> str:
    assert response.status_code == 400, response.content
    assert Image.objects.count() == 0
    return response.json()["error"]


def test_an_advocate_uploads_a_png_and_gets_markdown_to_paste(
    advocate_client: Client, advocate: AbstractUser, media_root
) -> None:
    response = upload(advocate_client, "Team photo.png", image_bytes("PNG", size=(64, 48)))

    assert response.status_code == 201
    image = Image.objects.get()
    assert response.json() == {
        "url": f"/uploads/files/{image.file.name}",
        "markdown": f"![](/uploads/files/{image.file.name})",
        "width": 64,
        "height": 48,
    }
    assert STORED_NAME.match(image.file.name)
    assert (media_root / image.file.name).exists()
    assert (image.original_name, image.uploaded_by, image.format) == (
        "Team photo.png",
        advocate,
        "PNG",
    )
    assert (image.width, image.height) == (64, 48)
    assert image.size == len(stored_bytes(image))


def test_an_editor_may_upload_too(editor_client: Client) -> None:
    assert upload(editor_client, "chart.png", image_bytes("PNG")).status_code == 201


def test_a_reader_may_not_upload(reader_client: Client) -> None:
    response = upload(reader_client, "chart.png", image_bytes("PNG"))

    assert response.status_code == 403
    assert response.json() == {"error": "Your role may not upload images."}
    assert Image.objects.count() == 0


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(db) -> None:
    response = upload(Client(), "chart.png", image_bytes("PNG"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_uploading_needs_a_post(advocate_client: Client) -> None:
    assert advocate_client.get(reverse("uploads:image_create")).status_code == 405


@pytest.mark.parametrize(
    ("image_format", "extension", "content_type"),
    [
        ("JPEG", "jpg", "image/jpeg"),
        ("PNG", "png", "image/png"),
        ("GIF", "gif", "image/gif"),
        ("WEBP", "webp", "image/webp"),
    ],
)
def test_each_accepted_format_is_stored_under_its_own_extension(
    advocate_client: Client, image_format: str, extension: str, content_type: str
) -> None:
    response = upload(advocate_client, "picture", image_bytes(image_format), content_type)

    assert response.status_code == 201
    image = Image.objects.get()
    assert image.format == image_format
    assert image.file.name.endswith(f".{extension}")
    assert image.content_type == content_type


def test_the_stored_name_follows_the_real_format_not_the_users_filename(
    advocate_client: Client,
) -> None:
    upload(advocate_client, "../../holiday.png", image_bytes("JPEG"), "image/png")

    image = Image.objects.get()
    assert image.format == "JPEG"
    assert STORED_NAME.match(image.file.name)
    assert image.file.name.endswith(".jpg")
    assert "holiday" not in image.file.name


def test_a_jpeg_is_re_encoded_without_exif_and_turned_upright(advocate_client: Client) -> None:
    exif = PillowImage.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    photo = image_bytes("JPEG", size=(80, 60), exif=exif, comment=b"taken at home")

    response = upload(advocate_client, "photo.jpg", photo, "image/jpeg")

    assert response.status_code == 201
    image = Image.objects.get()
    stored = stored_bytes(image)
    assert b"SecretCam" not in stored
    assert b"taken at home" not in stored
    with PillowImage.open(io.BytesIO(stored)) as reopened:
        assert not reopened.getexif()
        assert reopened.size == (60, 80)
    assert (image.width, image.height) == (60, 80)
    assert response.json()["width"] == 60


def test_a_png_loses_its_text_chunks(advocate_client: Client) -> None:
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "home address")

    upload(advocate_client, "diagram.png", image_bytes("PNG", pnginfo=text))

    assert b"home address" not in stored_bytes(Image.objects.get())


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_a_colour_profile_is_applied_to_the_pixels_and_not_stored(
    advocate_client: Client, image_format: str
) -> None:
    """A profile can name a device or carry text; browsers assume sRGB without one."""
    profile = ImageCms.createProfile("sRGB")
    icc = ImageCms.ImageCmsProfile(profile).tobytes()
    picture = image_bytes(image_format, size=(40, 30), icc_profile=icc)

    upload(advocate_client, "picture", picture, "image/png")

    with PillowImage.open(io.BytesIO(stored_bytes(Image.objects.get()))) as stored:
        assert "icc_profile" not in stored.info
        assert stored.convert("RGB").getpixel((0, 0)) == pytest.approx((0, 128, 128), abs=3)


def test_anything_appended_to_an_image_is_not_stored(advocate_client: Client) -> None:
    polyglot = image_bytes("PNG") + b"<script>alert(document.cookie)</script>"

    upload(advocate_client, "innocent.png", polyglot)

    assert b"<script>" not in stored_bytes(Image.objects.get())


def test_a_gif_keeps_its_animation(advocate_client: Client) -> None:
    frames = [PillowImage.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=120, loop=0)

    upload(advocate_client, "spinner.gif", buffer.getvalue(), "image/gif")

    with PillowImage.open(io.BytesIO(stored_bytes(Image.objects.get()))) as stored:
        assert stored.n_frames == 3
        assert stored.info["duration"] == 120


def test_a_phone_photo_saved_as_mpo_is_stored_as_a_jpeg(advocate_client: Client) -> None:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30)).save(
        buffer, "MPO", save_all=True, append_images=[PillowImage.new("RGB", (8, 6))]
    )

    response = upload(advocate_client, "IMG_0001.jpg", buffer.getvalue(), "image/jpeg")

    assert response.status_code == 201
    assert Image.objects.get().format == "JPEG"


def test_alt_text_goes_into_the_markdown_and_cannot_break_out_of_it(
    advocate_client: Client,
) -> None:
    alt = "Chart ](javascript:alert(1)) [x]\nof \\ results"

    response = upload(advocate_client, "chart.png", image_bytes("PNG"), alt=alt)

    url = response.json()["url"]
    assert response.json()["markdown"] == f"![Chart (javascript:alert(1)) x of results]({url})"
    html = str(render_markdown(response.json()["markdown"]))
    assert html.count("<img") == 1
    assert f'src="{url}"' in html
    assert "<a" not in html


def test_alt_text_over_200_characters_is_refused(advocate_client: Client) -> None:
    response = upload(advocate_client, "chart.png", image_bytes("PNG"), alt="x" * 201)

    assert "at most 200 characters" in the_error(response)


def test_a_request_without_a_file_is_refused(advocate_client: Client) -> None:
    response = advocate_client.post(reverse("uploads:image_create"), {"alt": "A chart"})

    assert the_error(response) == "Choose an image to upload."


def test_a_text_file_renamed_png_is_not_an_image(advocate_client: Client) -> None:
    response = upload(advocate_client, "notes.png", b"Meeting notes, not a picture.\n" * 20)

    assert the_error(response) == "This file is not an image. Upload a JPEG, PNG, GIF or WebP file."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        (
            "logo.png",
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
            b'height="10"><rect width="10" height="10"/></svg>',
        ),
        ("logo.svg", b"\x1f\x8b\x08\x00 compressed drawing"),
    ],
    ids=["with-script", "plain-svg-named-png", "svgz"],
)
def test_an_svg_is_refused_with_or_without_a_script(
    advocate_client: Client, name: str, content: bytes
) -> None:
    response = upload(advocate_client, name, content, "image/svg+xml")

    assert the_error(response).startswith("SVG images are not accepted")


def test_other_image_formats_are_refused_by_name(advocate_client: Client) -> None:
    response = upload(advocate_client, "scan.bmp", image_bytes("BMP"), "image/bmp")

    assert (
        the_error(response) == "BMP images are not accepted. Upload a JPEG, PNG, GIF or WebP file."
    )


def test_a_truncated_image_is_refused_as_damaged(advocate_client: Client) -> None:
    photo = image_bytes("JPEG", size=(200, 200))

    response = upload(advocate_client, "photo.jpg", photo[: len(photo) // 2], "image/jpeg")

    assert "damaged or incomplete" in the_error(response)


def test_an_image_over_the_size_limit_is_refused_with_the_limit_named(
    advocate_client: Client, settings
) -> None:
    settings.KB_UPLOAD_MAX_BYTES = 1_000
    photo = image_bytes("PNG", size=(200, 200), mode="RGB", compress_level=0)

    response = upload(advocate_client, "photo.png", photo)

    error = the_error(response)
    assert f"at most {filesizeformat(1_000)}" in error
    assert filesizeformat(len(photo)) in error


@pytest.mark.parametrize(
    "content",
    [
        # Real pixels over our 40-megapixel limit (a 1-bit image compresses to a few KB).
        pytest.param(image_bytes("PNG", size=(8_000, 6_000), mode="1"), id="48-megapixels"),
        # Headers that claim more than Pillow's own limits: its warning, then its error.
        pytest.param(png_claiming_size(10_000, 10_000), id="100-megapixel-header"),
        pytest.param(png_claiming_size(100_000, 100_000), id="10-gigapixel-header"),
    ],
)
def test_a_decompression_bomb_is_refused(advocate_client: Client, content: bytes) -> None:
    response = upload(advocate_client, "bomb.png", content)

    assert "at most 40 million pixels" in the_error(response)


def test_an_animation_with_too_many_pixels_in_all_is_refused(advocate_client: Client) -> None:
    animation = gif_claiming_size(5_000, 5_000, frames=2)  # 2 × 25 megapixels

    response = upload(advocate_client, "long.gif", animation, "image/gif")

    assert "width × height × frames" in the_error(response)
