"""A read-only or full media folder during an upload: the person uploading is told, and
nothing is half-written — no row naming a missing file, no part of a file left behind.

The suite runs as root here, which ignores file permissions, so a read-only folder is
the error the kernel would give (EROFS, EACCES) raised where the storage writes. A full
disk is real: a file size limit (RLIMIT_FSIZE) makes the kernel refuse the write part-way
through the file, as a disk that fills up does, leaving the first part on disk.
"""

import errno
import io
import os
import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractUser
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from PIL import Image as PillowImage

from kb.advocates.models import AdvocateProfile, Handle
from kb.articles.models import Article
from kb.uploads.models import Image
from tests.advocates.test_pages import profile_form_data
from tests.factories import PlatformFactory
from tests.uploads.images import image_bytes, upload

pytestmark = pytest.mark.usefixtures("media_root")

LIMIT = 4096  # bytes the kernel lets a file grow to while the disk is "full"


def _noisy_png() -> bytes:
    """Noise does not compress: stored, it is well over ``LIMIT``."""
    buffer = io.BytesIO()
    PillowImage.frombytes("RGB", (120, 90), os.urandom(120 * 90 * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def _files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


@contextmanager
def _disk_fills_at(limit: int) -> Iterator[None]:
    """Files may grow to ``limit`` bytes; a write beyond fails with EFBIG after writing
    what fits, as ENOSPC does on a full disk."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error, not a kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def _storage_refuses(monkeypatch, error: OSError) -> None:
    """Every write to the media folder fails with ``error`` before a byte is written."""

    def refuse(self, name, content):
        raise error

    monkeypatch.setattr(FileSystemStorage, "_save", refuse)


READ_ONLY = [
    OSError(errno.EROFS, "Read-only file system"),
    PermissionError(errno.EACCES, "Permission denied"),
]
FULL = OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("error", READ_ONLY, ids=lambda e: errno.errorcode[e.errno])
def test_an_editor_upload_to_a_read_only_folder_says_so_and_stores_nothing(
    error: OSError, advocate_client: Client, media_root: Path, monkeypatch
) -> None:
    _storage_refuses(monkeypatch, error)

    response = upload(advocate_client, "chart.png", image_bytes("PNG"))

    assert response.status_code == 503
    assert response.json()["error"] == (
        "The image could not be stored: the KB's file storage is read-only at the moment. "
        "Nothing was saved. Try again later, and tell the KB's administrators if it keeps "
        "happening."
    )
    assert not Image.objects.exists()
    assert _files(media_root) == []


def test_an_editor_upload_to_a_full_disk_leaves_no_part_of_the_file(
    advocate_client: Client, media_root: Path, caplog
) -> None:
    content = _noisy_png()
    assert len(content) > 2 * LIMIT
    media_root.mkdir(parents=True, exist_ok=True)

    with _disk_fills_at(LIMIT):
        response = upload(advocate_client, "chart.png", content)

    assert response.status_code == 503
    assert response.json()["error"].startswith("The image could not be stored")
    assert not Image.objects.exists()
    assert _files(media_root) == []  # the first 4 KB the kernel wrote were removed
    assert "Could not store the upload images/" in caplog.text


def test_a_full_disk_is_named_as_such(advocate_client: Client, monkeypatch) -> None:
    _storage_refuses(monkeypatch, FULL)
    response = upload(advocate_client, "chart.png", image_bytes("PNG"))
    assert "the KB's file storage is full at the moment" in response.json()["error"]


def test_an_upload_whose_row_cannot_be_saved_leaves_no_file(
    advocate: AbstractUser, media_root: Path, monkeypatch
) -> None:
    def fail(*args, **kwargs):
        raise DatabaseError("the row could not be written")

    monkeypatch.setattr(Image, "save", fail)
    client = Client(raise_request_exception=False)
    client.force_login(advocate)

    assert upload(client, "chart.png", image_bytes("PNG")).status_code == 500
    assert _files(media_root) == []


def test_an_image_added_on_the_content_form_to_a_full_disk_keeps_the_text_and_saves_nothing(
    advocate_client: Client, media_root: Path, monkeypatch
) -> None:
    _storage_refuses(monkeypatch, FULL)
    data = {
        "title": "Start small on LinkedIn",
        "summary": "Weekly posts, small team.",
        "body": "Consistency beats volume.",
        "tags": "linkedin",
        "image-file": SimpleUploadedFile("chart.png", image_bytes("PNG"), content_type="image/png"),
    }

    response = advocate_client.post(reverse("articles:create"), data)

    assert response.status_code == 503
    html = response.content.decode()
    assert "the KB&#x27;s file storage is full at the moment" in html
    assert "Consistency beats volume." in html  # what was typed is shown again
    assert not Article.objects.exists() and not Image.objects.exists()
    assert _files(media_root) == []


def _post_photo(client: Client, **overrides):
    photo = SimpleUploadedFile("me.png", _noisy_png(), content_type="image/png")
    return client.post(reverse("advocates:edit_own"), profile_form_data(photo=photo, **overrides))


def test_a_profile_photo_to_a_full_disk_is_a_form_error_and_nothing_of_the_profile_changes(
    advocate_client: Client, advocate: AbstractUser, media_root: Path
) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    with _disk_fills_at(LIMIT):
        response = _post_photo(advocate_client)

    assert response.status_code == 503
    assert "The image could not be stored" in response.content.decode()
    profile = AdvocateProfile.objects.get(user=advocate)
    assert profile.job_title != "Head of internal comms" and not profile.photo
    advocate.refresh_from_db()
    assert advocate.last_name == "Advocate"
    assert _files(media_root) == []


def test_a_profile_photo_to_a_read_only_folder_is_a_form_error(
    advocate_client: Client, monkeypatch
) -> None:
    _storage_refuses(monkeypatch, READ_ONLY[0])
    response = _post_photo(advocate_client)
    assert response.status_code == 503
    assert "the KB&#x27;s file storage is read-only at the moment" in response.content.decode()


def test_a_photo_stored_before_the_profile_failed_to_save_is_removed_again(
    advocate: AbstractUser, media_root: Path, monkeypatch
) -> None:
    # The handles are written after the photo and the profile row; they fail.
    def fail(*args, **kwargs):
        raise DatabaseError("the handle could not be written")

    monkeypatch.setattr(Handle, "save", fail)
    client = Client(raise_request_exception=False)
    client.force_login(advocate)
    handle = {
        "handles-0-platform": str(PlatformFactory().pk),
        "handles-0-handle": "adam",
        "handles-0-url": "https://social.example.org/@adam",
    }

    assert _post_photo(client, **handle).status_code == 500
    assert not AdvocateProfile.objects.get(user=advocate).photo
    assert _files(media_root) == []
