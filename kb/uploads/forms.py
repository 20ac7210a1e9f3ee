"""Checking an uploaded image and re-encoding it before anything is stored.

Nothing is stored as sent. An upload must be at most ``KB_UPLOAD_MAX_BYTES``; Pillow must
identify it as JPEG, PNG, GIF or WebP (SVG is refused by name: it is XML that can carry
scripts) and ``verify()`` it; and it must decode to at most ``MAX_PIXELS`` pixels, because a
few kilobytes of PNG can declare 100,000 × 100,000 of them (a decompression bomb). Pillow
then writes a new file in the same format from the decoded pixels, which leaves behind EXIF
(its rotation is applied to the pixels first), XMP, comments, text chunks and anything
appended after the image data. Two things are kept because they are needed to draw the
pixels right: transparency and the colour profile.

Animation: a GIF keeps every frame and its timing. An animated PNG or WebP keeps only its
first frame.
"""

import io
import re
import warnings
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image as PillowImage
from PIL import ImageOps, ImageSequence, UnidentifiedImageError

from kb.core.permissions import AnyUser
from kb.uploads.models import MAX_ALT_LENGTH, Image, ImageFormat

# 40 megapixels: more than any camera photo or screenshot; decoded, up to 160 MB of RGBA.
# For an animation it bounds width × height × frames.
MAX_PIXELS = 40_000_000
ACCEPTED = "JPEG, PNG, GIF or WebP"
QUALITY = 85  # JPEG and WebP
# Modes each format can store as they are; any other mode is converted to RGB(A).
STORABLE_MODES = {
    ImageFormat.JPEG: {"L", "RGB", "CMYK"},
    ImageFormat.PNG: {"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"},
    ImageFormat.GIF: {"1", "L", "P", "RGB", "RGBA"},
    ImageFormat.WEBP: {"RGB", "RGBA"},
}
_SVG_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<")
SVG_REFUSED = (
    "SVG images are not accepted, because they can contain scripts. "
    "Export the drawing as PNG and upload that."
)


@dataclass(frozen=True)
class EncodedImage:
    """The re-encoded file, ready to store."""

    content: bytes
    format: str
    width: int
    height: int
    original_name: str


class ImageUploadForm(forms.Form):
    file = forms.FileField(
        allow_empty_file=False,
        error_messages={
            "required": "Choose an image to upload.",
            "empty": "The file is empty.",
        },
    )
    alt = forms.CharField(
        label="Alt text",
        max_length=MAX_ALT_LENGTH,
        required=False,
        help_text="What the image shows, for people who cannot see it.",
    )

    def clean_file(self) -> EncodedImage:
        upload = self.cleaned_data["file"]
        limit = settings.KB_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"Images may be at most {filesizeformat(limit)}; "
                f"this file is {filesizeformat(upload.size)}.",
                code="too_large",
            )
        name = (upload.name or "")[:255]
        return encode_image(upload.read(), original_name=name)

    def first_error(self) -> str:
        """One message for the editor to show next to the button."""
        for messages in self.errors.values():
            return messages[0]
        return "The upload was not valid."

    def save(self, *, uploaded_by: AnyUser) -> Image:
        encoded: EncodedImage = self.cleaned_data["file"]
        image = Image(
            original_name=encoded.original_name,
            uploaded_by=uploaded_by if uploaded_by.is_authenticated else None,
            width=encoded.width,
            height=encoded.height,
            size=len(encoded.content),
            format=encoded.format,
        )
        # upload_to ignores this name: it makes a random one from the format.
        image.file.save("upload", ContentFile(encoded.content), save=False)
        image.save()
        return image


def encode_image(data: bytes, *, original_name: str = "") -> EncodedImage:
    """Validate ``data`` as an image we accept and return it re-encoded by Pillow.

    Raises ValidationError with a message meant for the author.
    """
    if _SVG_START.match(data[:64]) and b"<svg" in data[:4096].lower():
        raise ValidationError(SVG_REFUSED, code="svg")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that; treat it as the error.
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            image_format = _check(data, original_name)
            with PillowImage.open(io.BytesIO(data), formats=[image_format]) as image:
                content, width, height = _reencode(image, image_format)
    except ValidationError:
        raise
    except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception:
        # Decoders report damaged input with many exception types (OSError, SyntaxError,
        # ValueError, struct.error, …); for an upload they all mean the same thing.
        raise ValidationError(
            f"This image is damaged or incomplete and could not be read. Save it again as "
            f"{ACCEPTED} and upload that.",
            code="damaged",
        ) from None
    return EncodedImage(content, image_format, width, height, original_name)


def _check(data: bytes, original_name: str) -> str:
    """The format of an image we accept, after checking its size in pixels and verifying it."""
    try:
        image = PillowImage.open(io.BytesIO(data), formats=ImageFormat.values)
    except UnidentifiedImageError:
        raise ValidationError(_not_accepted(data, original_name), code="not_an_image") from None
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise _too_many_pixels(width, height)
        frames = image.n_frames if image.format == ImageFormat.GIF else 1
        if width * height * frames > MAX_PIXELS:
            raise ValidationError(
                f"This animation has {frames:,} frames of {width:,} × {height:,} pixels; "
                f"width × height × frames may be at most {MAX_PIXELS // 1_000_000} million.",
                code="too_many_pixels",
            )
        image.verify()
        # Phones save photos with a second, smaller picture as MPO: a JPEG to everyone else.
        return "JPEG" if image.format == "MPO" else image.format


def _not_accepted(data: bytes, original_name: str) -> str:
    if original_name.lower().endswith((".svg", ".svgz")):
        return SVG_REFUSED
    try:
        # Only to name the format in the message; it is never decoded.
        with PillowImage.open(io.BytesIO(data)) as other:
            found = other.format
    except Exception:
        found = None
    if found:
        return f"{found} images are not accepted. Upload a {ACCEPTED} file."
    return f"This file is not an image. Upload a {ACCEPTED} file."


def _too_many_pixels(width: int = 0, height: int = 0) -> ValidationError:
    size = f"This image is {width:,} × {height:,} pixels; " if width else "This image is too big; "
    return ValidationError(
        f"{size}images may have at most {MAX_PIXELS // 1_000_000} million pixels "
        f"(8,000 × 5,000, say). Scale it down and upload it again.",
        code="too_many_pixels",
    )


def _reencode(image: PillowImage.Image, image_format: str) -> tuple[bytes, int, int]:
    """A new file from the decoded pixels, and its width and height."""
    buffer = io.BytesIO()
    if image_format == ImageFormat.GIF and getattr(image, "is_animated", False):
        loop = image.info.get("loop")
        frames, durations = [], []
        for frame in ImageSequence.Iterator(image):
            durations.append(frame.info.get("duration", 100))
            frames.append(_bare(frame.copy(), frame.info))
        options = {"save_all": True, "append_images": frames[1:], "duration": durations}
        # Pillow hands us whole frames, so each one replaces the last (disposal 2).
        options["disposal"] = 2
        if loop is not None:
            options["loop"] = loop
        output = frames[0]
    else:
        info = image.info
        output = ImageOps.exif_transpose(image)  # a copy, upright
        options = {"quality": QUALITY} if image_format in ("JPEG", "WEBP") else {}
        if output.mode in STORABLE_MODES[image_format]:
            if info.get("icc_profile"):
                options["icc_profile"] = info["icc_profile"]
        else:
            has_alpha = "A" in output.getbands() or "transparency" in info
            rgb = "RGBA" if has_alpha and image_format != ImageFormat.JPEG else "RGB"
            output = output.convert(rgb)  # the colour profile described the old mode
        _bare(output, info if output.mode == image.mode else {})
    output.save(buffer, format=image_format, **options)
    return buffer.getvalue(), output.width, output.height


def _bare(image: PillowImage.Image, info: dict) -> PillowImage.Image:
    """Drop every piece of metadata but transparency, which encoders read from ``info``."""
    image.info = {"transparency": info["transparency"]} if "transparency" in info else {}
    return image
