"""Clean the profile photos stored before photos went through the upload checks.

Until then a photo was stored exactly as uploaded, with its EXIF (a GPS position, the
camera), XMP and comments, at any size. This re-encodes every photo that still carries
metadata or is too big, as a new upload would be, and clears any photo that is not an image
we accept (damaged, a decompression bomb, SVG, missing), naming each. A photo already clean
is left alone, so running it again changes nothing.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction

from kb.advocates.models import PHOTO_MAX_SIDE, AdvocateProfile
from kb.uploads.forms import encode_image, needs_reencoding


class Command(BaseCommand):
    help = "Re-encode advocates' profile photos without metadata; clear those that are not images."

    def handle(self, *args, **options) -> None:
        cleaned = cleared = kept = 0
        profiles = AdvocateProfile.objects.exclude(photo="").select_related("user").order_by("pk")
        for profile in profiles:
            name = profile.photo.name
            try:
                with profile.photo.open("rb") as stored:
                    data = stored.read()
            except OSError:
                self._clear(profile, f"{name} is missing")
                cleared += 1
                continue
            if not needs_reencoding(data, max_side=PHOTO_MAX_SIDE):
                kept += 1
                continue
            try:
                profile.photo = encode_image(data, original_name=name, max_side=PHOTO_MAX_SIDE)
            except ValidationError as refused:
                self._clear(profile, f"{name}: {' '.join(refused.messages)}")
                cleared += 1
                continue
            with transaction.atomic():  # the old file is deleted when this commits
                profile.save(update_fields=["photo"])
            self.stdout.write(f"Cleaned the photo of {profile}: {name} → {profile.photo.name}")
            cleaned += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Cleaned {cleaned} photo(s), cleared {cleared}, {kept} already clean."
            )
        )

    def _clear(self, profile: AdvocateProfile, reason: str) -> None:
        profile.photo = ""
        with transaction.atomic():
            profile.save(update_fields=["photo"])
        self.stdout.write(self.style.WARNING(f"Cleared the photo of {profile}: {reason}"))
