"""Images that authors upload to illustrate their Markdown.

An upload is stored only after Pillow has re-encoded it (see ``kb.uploads.forms``), under a
random name with the extension of its real format: the user's filename never reaches the
disk or a URL. Files are served to signed-in users only, by ``kb.uploads.views.image_file``,
and only when a row here records them.
"""

import re
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImageFormat(models.TextChoices):
    """The formats we accept, named as Pillow names them (``Image.format``)."""

    JPEG = "JPEG", "JPEG"
    PNG = "PNG", "PNG"
    GIF = "GIF", "GIF"
    WEBP = "WEBP", "WebP"


EXTENSIONS = {
    ImageFormat.JPEG: "jpg",
    ImageFormat.PNG: "png",
    ImageFormat.GIF: "gif",
    ImageFormat.WEBP: "webp",
}
CONTENT_TYPES = {
    ImageFormat.JPEG: "image/jpeg",
    ImageFormat.PNG: "image/png",
    ImageFormat.GIF: "image/gif",
    ImageFormat.WEBP: "image/webp",
}

MAX_ALT_LENGTH = 200
# Characters that would end or escape the alt text of ![alt](url), and line breaks.
_UNSAFE_ALT = re.compile(r"[\[\]\\\x00-\x1f\x7f]+")


def image_upload_to(instance: "Image", filename: str) -> str:
    """``images/<year>/<month>/<uuid>.<ext>``: the extension follows the real format."""
    return f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{EXTENSIONS[instance.format]}"


def markdown_alt(text: str) -> str:
    """Alt text that cannot break out of ``![...]``: no brackets, backslashes or newlines."""
    return " ".join(_UNSAFE_ALT.sub(" ", text or "").split())[:MAX_ALT_LENGTH]


class Image(models.Model):
    file = models.ImageField(upload_to=image_upload_to, max_length=200)
    original_name = models.CharField(
        max_length=255, blank=True, help_text="The uploader's filename, for reference only."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploaded_images",
    )
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(help_text="Bytes, after re-encoding.")
    format = models.CharField(max_length=4, choices=ImageFormat)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The file view looks images up by name; two rows must never share a file.
            models.UniqueConstraint(fields=["file"], name="uploads_image_unique_file"),
            models.CheckConstraint(
                condition=models.Q(format__in=ImageFormat.values),
                name="uploads_image_known_format",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or self.file.name

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    def markdown(self, alt: str = "") -> str:
        return f"![{markdown_alt(alt)}]({self.file.url})"
