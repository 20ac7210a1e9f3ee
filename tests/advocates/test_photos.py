"""Profile photos go through the same checks and re-encoding as the editor's uploads:
nothing an advocate uploads is stored as sent, and no photo carries where it was taken."""

import io
import re

import pytest
from django.contrib.auth.models import AbstractUser
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from PIL import ExifTags
from PIL import Image as PillowImage
from pytest_django.asserts import assertContains

from kb.advocates.models import AdvocateProfile
from tests.advocates.test_pages import profile_form_data
from tests.uploads.images import image_bytes, png_claiming_size

pytestmark = pytest.mark.usefixtures("media_root")

STORED_NAME = re.compile(r"^advocates/[0-9a-f]{32}\.(jpg|png|gif|webp)$")


def photo_with_gps(size: tuple[int, int] = (80, 60)) -> bytes:
    """A phone photo: camera, position and rotation in its EXIF, and a comment."""
    exif = PillowImage.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.Orientation] = 6  # rotate 90° to display
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    )
    return image_bytes("JPEG", size=size, exif=exif, comment=b"taken at home")


def post_photo(client: Client, name: str, content: bytes, content_type: str = "image/jpeg"):
    photo = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("advocates:edit_own"), profile_form_data(photo=photo))


def stored(profile: AdvocateProfile) -> bytes:
    with default_storage.open(profile.photo.name, "rb") as file:
        return file.read()


def test_a_photo_with_gps_exif_is_stored_without_any_metadata_and_upright(
    advocate_client: Client, advocate: AbstractUser
) -> None:
    response = post_photo(advocate_client, "adam at home.jpg", photo_with_gps())

    assert response.status_code == 302
    profile = AdvocateProfile.objects.get(user=advocate)
    assert STORED_NAME.match(profile.photo.name)
    content = stored(profile)
    assert b"SecretCam" not in content
    assert b"taken at home" not in content
    with PillowImage.open(io.BytesIO(content)) as photo:
        assert "exif" not in photo.info
        assert not photo.getexif()
        assert not photo.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert photo.size == (60, 80)


def test_a_large_photo_is_scaled_down_to_800_pixels_on_its_longer_side(
    advocate_client: Client, advocate: AbstractUser
) -> None:
    post_photo(advocate_client, "me.png", image_bytes("PNG", size=(2_000, 1_000)), "image/png")

    with PillowImage.open(io.BytesIO(stored(AdvocateProfile.objects.get(user=advocate)))) as photo:
        assert photo.size == (800, 400)
        assert photo.format == "PNG"


def test_a_valid_photo_shows_on_the_profile(
    advocate_client: Client, advocate: AbstractUser, reader_client: Client
) -> None:
    post_photo(advocate_client, "me.jpg", image_bytes("JPEG"))

    profile = AdvocateProfile.objects.get(user=advocate)
    page = reader_client.get(profile.get_absolute_url())
    assertContains(page, f'src="{profile.photo.url}"')
    response = reader_client.get(profile.photo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        pytest.param(
            "bomb.png",
            png_claiming_size(20_000, 10_000),
            "images may have at most 40 million pixels",
            id="200-megapixel-header",
        ),
        pytest.param(
            "bomb.png",
            png_claiming_size(17_800, 10_000),
            "images may have at most 40 million pixels",
            id="178-megapixel-header",
        ),
        pytest.param(
            "big.png",
            image_bytes("PNG", size=(8_000, 6_000), mode="1"),
            "images may have at most 40 million pixels",
            id="48-megapixels",
        ),
        pytest.param(
            "me.jpg",
            b"Meeting notes, not a picture.\n" * 20,
            "This file is not an image",
            id="text-named-jpg",
        ),
        pytest.param(
            "me.jpg", image_bytes("BMP"), "BMP images are not accepted", id="bmp-named-jpg"
        ),
        pytest.param(
            "me.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG images are not accepted",
            id="svg",
        ),
    ],
)
def test_a_photo_that_is_not_an_acceptable_image_is_refused_and_the_form_kept(
    advocate_client: Client, advocate: AbstractUser, name: str, content: bytes, error: str
) -> None:
    response = post_photo(advocate_client, name, content, "image/png")

    assert response.status_code == 200
    assertContains(response, "Please correct the errors below")
    assertContains(response, error)
    assertContains(response, "Head of internal comms")
    profile = AdvocateProfile.objects.get(user=advocate)
    assert not profile.photo
    assert profile.job_title == "Communications officer"
    assert not default_storage.exists("advocates")


def test_a_photo_over_the_upload_limit_is_refused_with_the_limit_named(
    advocate_client: Client, advocate: AbstractUser, settings
) -> None:
    settings.KB_UPLOAD_MAX_BYTES = 1_000
    content = image_bytes("PNG", size=(200, 200), compress_level=0)

    response = post_photo(advocate_client, "me.png", content, "image/png")

    assertContains(response, f"at most {filesizeformat(1_000)}")
    assertContains(response, filesizeformat(len(content)))
    assert not AdvocateProfile.objects.get(user=advocate).photo


def test_replacing_a_photo_stops_serving_the_old_one(
    advocate_client: Client, advocate: AbstractUser, reader_client: Client
) -> None:
    post_photo(advocate_client, "first.jpg", image_bytes("JPEG"))
    first = AdvocateProfile.objects.get(user=advocate).photo
    first_url, first_name = first.url, first.name

    post_photo(advocate_client, "second.jpg", image_bytes("JPEG"))

    assert AdvocateProfile.objects.get(user=advocate).photo.name != first_name
    assert reader_client.get(first_url).status_code == 404


def test_a_file_among_photos_that_no_profile_uses_is_not_served(
    advocate: AbstractUser, reader_client: Client
) -> None:
    name = default_storage.save("advocates/left-over.jpg", io.BytesIO(photo_with_gps()))

    assert reader_client.get(reverse("uploads:file", args=[name])).status_code == 404


# The admin ---------------------------------------------------------------------------


def admin_form_data(profile: AdvocateProfile, **overrides) -> dict:
    data = {
        "user": str(profile.user_id),
        "department": "",
        "job_title": "Head of internal comms",
        "bio": "",
        "expertise": "",
        "open_to_help": "on",
        "handles-TOTAL_FORMS": "0",
        "handles-INITIAL_FORMS": "0",
        "handles-MIN_NUM_FORMS": "0",
        "handles-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def admin_change_url(profile: AdvocateProfile) -> str:
    return reverse("admin:advocates_advocateprofile_change", args=[profile.pk])


def test_a_photo_uploaded_in_the_admin_is_cleaned_the_same_way(
    admin_client: Client, advocate: AbstractUser
) -> None:
    profile = advocate.advocate_profile
    photo = SimpleUploadedFile("adam.jpg", photo_with_gps(size=(1_600, 1_200)), "image/jpeg")

    response = admin_client.post(admin_change_url(profile), admin_form_data(profile, photo=photo))

    assert response.status_code == 302, response.content
    profile.refresh_from_db()
    assert STORED_NAME.match(profile.photo.name)
    with PillowImage.open(io.BytesIO(stored(profile))) as reopened:
        assert not reopened.getexif()
        assert reopened.size == (600, 800)


def test_a_decompression_bomb_in_the_admin_is_a_form_error(
    admin_client: Client, advocate: AbstractUser
) -> None:
    profile = advocate.advocate_profile
    bomb = SimpleUploadedFile("bomb.png", png_claiming_size(20_000, 10_000), "image/png")

    response = admin_client.post(admin_change_url(profile), admin_form_data(profile, photo=bomb))

    assertContains(response, "images may have at most 40 million pixels")
    profile.refresh_from_db()
    assert not profile.photo
    assert profile.job_title == "Communications officer"
