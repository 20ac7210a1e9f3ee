"""clean_profile_photos: photos stored as uploaded lose their metadata, the unreadable go."""

import io
from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.auth.models import AbstractUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image as PillowImage

from kb.advocates.models import AdvocateProfile
from tests.advocates.test_photos import photo_with_gps
from tests.uploads.images import image_bytes, png_claiming_size

pytestmark = pytest.mark.usefixtures("media_root")


def stored_as_uploaded(profile: AdvocateProfile, name: str, content: bytes) -> str:
    """A photo saved the way the old form did: straight to storage, as sent."""
    name = default_storage.save(f"advocates/{name}", ContentFile(content))
    AdvocateProfile.objects.filter(pk=profile.pk).update(photo=name)
    return name


@pytest.fixture
def clean(django_capture_on_commit_callbacks) -> Callable[[], str]:
    """Run the command, and what it leaves for after the commit (deleting old files)."""

    def run() -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("clean_profile_photos", stdout=out)
        return out.getvalue()

    return run


def test_it_re_encodes_a_photo_with_gps_exif_and_deletes_the_original(
    advocate: AbstractUser,
    clean: Callable[[], str],
) -> None:
    original = stored_as_uploaded(advocate.advocate_profile, "me.jpg", photo_with_gps())

    output = clean()

    profile = AdvocateProfile.objects.get(user=advocate)
    assert profile.photo.name != original
    assert not default_storage.exists(original)
    with profile.photo.open("rb") as stored, PillowImage.open(io.BytesIO(stored.read())) as photo:
        assert "exif" not in photo.info
        assert not photo.getexif()
        assert photo.size == (60, 80)
    assert f"Cleaned the photo of Adam Advocate: {original}" in output
    assert "Cleaned 1 photo(s), cleared 0, 0 already clean." in output


def test_running_it_again_changes_nothing(advocate: AbstractUser, clean: Callable[[], str]) -> None:
    stored_as_uploaded(advocate.advocate_profile, "me.jpg", photo_with_gps())
    clean()
    cleaned = AdvocateProfile.objects.get(user=advocate).photo.name

    output = clean()

    assert AdvocateProfile.objects.get(user=advocate).photo.name == cleaned
    assert default_storage.exists(cleaned)
    assert "Cleaned 0 photo(s), cleared 0, 1 already clean." in output


def test_it_scales_down_a_photo_without_metadata_that_is_too_big(
    advocate: AbstractUser, clean: Callable[[], str]
) -> None:
    stored_as_uploaded(advocate.advocate_profile, "big.png", image_bytes("PNG", size=(1_600, 800)))

    clean()

    with AdvocateProfile.objects.get(user=advocate).photo.open("rb") as stored:
        assert PillowImage.open(io.BytesIO(stored.read())).size == (800, 400)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.jpg", b"not a picture", "This file is not an image"),
        ("bomb.png", png_claiming_size(20_000, 10_000), "at most 40 million pixels"),
    ],
    ids=["text", "decompression-bomb"],
)
def test_it_clears_a_photo_it_cannot_decode_and_says_why(
    advocate: AbstractUser,
    clean: Callable[[], str],
    other_advocate: AbstractUser,
    name: str,
    content: bytes,
    reason: str,
) -> None:
    stored_as_uploaded(advocate.advocate_profile, name, content)
    stored_as_uploaded(other_advocate.advocate_profile, "olga.jpg", image_bytes("JPEG"))

    output = clean()

    assert not AdvocateProfile.objects.get(user=advocate).photo
    assert not default_storage.exists(f"advocates/{name}")
    assert f"Cleared the photo of Adam Advocate: advocates/{name}: " in output
    assert reason in output
    assert AdvocateProfile.objects.get(user=other_advocate).photo
    assert "Cleaned 0 photo(s), cleared 1, 1 already clean." in output


def test_a_missing_file_is_cleared(advocate: AbstractUser, clean: Callable[[], str]) -> None:
    AdvocateProfile.objects.filter(user=advocate).update(photo="advocates/gone.jpg")

    output = clean()

    assert not AdvocateProfile.objects.get(user=advocate).photo
    assert "Cleared the photo of Adam Advocate: advocates/gone.jpg is missing" in output
