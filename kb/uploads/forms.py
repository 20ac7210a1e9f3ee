"""Checking an uploaded image and re-encoding it before anything is stored.

One path for every image a user uploads: the editor's illustrations (``ImageUploadForm``)
and advocates' profile photos, on the site and in the admin, use ``ImageFileField``.

Nothing is stored as sent. An upload must be at most ``KB_UPLOAD_MAX_BYTES``; Pillow must
identify it as JPEG, PNG, GIF or WebP (SVG is refused by name: it is XML that can carry
scripts) and ``verify()`` it; and it must decode to at most ``MAX_PIXELS`` pixels, because a
few kilobytes of PNG can declare 100,000 × 100,000 of them (a decompression bomb). Pillow
then writes a new file in the same format from the decoded pixels, which leaves behind EXIF
(its rotation is applied to the pixels first), XMP, comments, text chunks and anything
appended after the image data. A colour profile is applied (the pixels are converted to
sRGB) and then dropped too, because a profile can carry text like any other metadata.
Transparency is kept. A field with ``max_side`` also scales the upright image down to fit.

Animation: a GIF keeps every frame and its timing. An animated PNG or WebP keeps only its
first frame.
"""

import io
import re
import uuid
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from PIL import Image as PillowImage
from PIL import ImageCms, ImageOps, ImageSequence, UnidentifiedImageError

from kb.core.permissions import AnyUser, can_add
from kb.core.registry import kinds_where
from kb.uploads.models import CONTENT_TYPES, EXTENSIONS, MAX_ALT_LENGTH, Image, ImageFormat
from kb.uploads.storing import discard, store

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
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# What Pillow reports of a file we wrote ourselves: how to decode it, nothing about anyone.
STRUCTURAL_INFO = {
    "jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression",
    "version", "background", "transparency", "duration", "loop", "timestamp",
}  # fmt: skip
_SVG_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<")
SVG_REFUSED = (
    "SVG images are not accepted, because they can contain scripts. "
    "Export the drawing as PNG and upload that."
)


class EncodedImage(ContentFile):
    """The re-encoded file, ready to store under a random name with its real extension:
    the user's filename never reaches the disk or a URL."""

    def __init__(
        self, content: bytes, *, format: str, width: int, height: int, original_name: str
    ) -> None:
        super().__init__(content, name=f"{uuid.uuid4().hex}.{EXTENSIONS[format]}")
        self.format, self.width, self.height = format, width, height
        self.original_name = original_name


class ImageFileField(forms.FileField):
    """A file field that accepts only the images we accept, and cleans to the re-encoded
    file (an ``EncodedImage``); a model's ImageField takes it as its form field."""

    default_error_messages = {
        "required": "Choose an image to upload.",
        "empty": "The file is empty.",
    }

    def __init__(self, *, max_side: int | None = None, **kwargs) -> None:
        self.max_side = max_side
        # A model field passes the length of its column; the stored name is ours, not the
        # user's, so the user's filename may be any length.
        kwargs.pop("max_length", None)
        kwargs.setdefault("allow_empty_file", False)
        super().__init__(**kwargs)

    def to_python(self, data: UploadedFile | None) -> EncodedImage | None:
        upload = super().to_python(data)
        if upload is None:
            return None
        limit = settings.KB_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"Images may be at most {filesizeformat(limit)}; "
                f"this file is {filesizeformat(upload.size)}.",
                code="too_large",
            )
        upload.seek(0)
        name = (upload.name or "")[:255]
        return encode_image(upload.read(), original_name=name, max_side=self.max_side)

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(CONTENT_TYPES.values())
        return attrs


def can_upload_images(user: AnyUser) -> bool:
    """Whoever may write an illustrated kind of content has a Markdown field to illustrate."""
    return any(can_add(user, model) for model, _ in kinds_where("illustrated"))


class ImageUploadForm(forms.Form):
    file = ImageFileField()
    alt = forms.CharField(
        label="Alt text",
        max_length=MAX_ALT_LENGTH,
        required=False,
        help_text="What the image shows, for people who cannot see it.",
    )

    def first_error(self) -> str:
        """One message for the editor to show next to the button."""
        for messages in self.errors.values():
            return messages[0]
        return "The upload was not valid."

    def save(self, *, uploaded_by: AnyUser) -> Image:
        """Store the image and its row; raises NotStored (and stores nothing) when the
        media folder is full or read-only."""
        encoded: EncodedImage = self.cleaned_data["file"]
        image = Image(
            original_name=encoded.original_name,
            uploaded_by=uploaded_by if uploaded_by.is_authenticated else None,
            width=encoded.width,
            height=encoded.height,
            size=encoded.size,
            format=encoded.format,
        )
        field = Image._meta.get_field("file")
        # upload_to ignores this name: it makes a random one from the format. The file is
        # written first and removed again if the row cannot be: no row without its file.
        name = store(
            field.storage,
            field.generate_filename(image, "upload"),
            encoded,
            max_length=field.max_length,
        )
        image.file = name
        try:
            image.save()
        except BaseException:
            discard(field.storage, name)
            raise
        return image


class AttachImageForm(ImageUploadForm):
    """An image added on a content form itself, for authors without JavaScript: the same
    checks as the editor's upload, stored when the form is saved and its Markdown added to
    the end of one of the form's Markdown fields (``markdown_fields``: name, label)."""

    prefix = "image"
    file = ImageFileField(label="Add an image", required=False)

    def __init__(self, *args, markdown_fields: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.markdown_fields = markdown_fields
        self.attached_to = ""  # the label of the field the image was added to
        where = "the text you choose"
        if len(markdown_fields) > 1:
            self.fields["field"] = forms.ChoiceField(
                label="Add it to the end of", choices=markdown_fields, required=False
            )
        else:
            where = f"“{markdown_fields[0][1]}”"
        self.fields["file"].help_text = (
            f"{ACCEPTED}. It is uploaded when you save, and its Markdown is added to the end "
            f"of {where}, where you can move it."
        )

    def attach(self, data: QueryDict, *, uploaded_by: AnyUser) -> QueryDict:
        """The content form's data with the image stored and its Markdown appended to the
        chosen field (the first, unless another is chosen); the data as it was when no
        image was chosen. Call after ``is_valid()``."""
        if not self.cleaned_data.get("file"):
            return data
        names = dict(self.markdown_fields)
        name = self.cleaned_data.get("field") or self.markdown_fields[0][0]
        image = self.save(uploaded_by=uploaded_by)
        markdown = image.markdown(self.cleaned_data["alt"])
        data = data.copy()
        text = (data.get(name) or "").rstrip()
        data[name] = f"{text}\n\n{markdown}" if text else markdown
        self.attached_to = names[name]
        return data


def encode_image(
    data: bytes, *, original_name: str = "", max_side: int | None = None
) -> EncodedImage:
    """Validate ``data`` as an image we accept and return it re-encoded by Pillow, scaled
    down to at most ``max_side`` pixels wide and high when that is given.

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
                content, width, height = _reencode(image, image_format, max_side)
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
    return EncodedImage(
        content, format=image_format, width=width, height=height, original_name=original_name
    )


def needs_reencoding(data: bytes, *, max_side: int | None = None) -> bool:
    """Whether a stored file is other than ``encode_image`` would have written it: not an
    image we accept, too big, or carrying metadata (EXIF, XMP, comments, a colour profile).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            with PillowImage.open(io.BytesIO(data), formats=ImageFormat.values) as image:
                width, height = image.size
                return (
                    image.format not in ImageFormat.values
                    or width * height > MAX_PIXELS
                    or (max_side is not None and max(width, height) > max_side)
                    or not set(image.info) <= STRUCTURAL_INFO
                    or bool(image.getexif())
                )
    except Exception:
        return True  # whatever cannot be read is re-encoded, which refuses it with a reason


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


def _reencode(
    image: PillowImage.Image, image_format: str, max_side: int | None
) -> tuple[bytes, int, int]:
    """A new file from the decoded pixels, and its width and height."""
    buffer = io.BytesIO()
    if image_format == ImageFormat.GIF and getattr(image, "is_animated", False):
        loop = image.info.get("loop")
        frames, durations = [], []
        for frame in ImageSequence.Iterator(image):
            durations.append(frame.info.get("duration", 100))
            frames.append(_bare(_fit(frame.copy(), max_side), frame.info))
        options = {"save_all": True, "append_images": frames[1:], "duration": durations}
        # Pillow hands us whole frames, so each one replaces the last (disposal 2).
        options["disposal"] = 2
        if loop is not None:
            options["loop"] = loop
        output = frames[0]
    else:
        info = image.info
        upright = ImageOps.exif_transpose(image)  # a copy
        output = _fit(_in_srgb(upright, info.get("icc_profile")), max_side)
        options = {"quality": QUALITY} if image_format in ("JPEG", "WEBP") else {}
        if output.mode not in STORABLE_MODES[image_format]:
            has_alpha = "A" in output.getbands() or "transparency" in info
            rgb = "RGBA" if has_alpha and image_format != ImageFormat.JPEG else "RGB"
            output = output.convert(rgb)
        _bare(output, info if output.mode == image.mode else {})
    output.save(buffer, format=image_format, **options)
    return buffer.getvalue(), output.width, output.height


def _in_srgb(image: PillowImage.Image, icc_profile: bytes | None) -> PillowImage.Image:
    """The pixels converted from the image's colour profile to sRGB, which browsers assume
    when there is none, so that the profile need not be stored."""
    if not icc_profile:
        return image
    mode = "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
    if image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        image = image.convert(mode)
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A profile that cannot be read or does not fit the pixels cannot be applied;
        # the pixels are kept as they are, and the profile is dropped all the same.
        return image


def _fit(image: PillowImage.Image, max_side: int | None) -> PillowImage.Image:
    if max_side is not None and max(image.size) > max_side:
        image.thumbnail((max_side, max_side), PillowImage.Resampling.LANCZOS)
    return image


def _bare(image: PillowImage.Image, info: dict) -> PillowImage.Image:
    """Drop every piece of metadata but transparency, which encoders read from ``info``."""
    image.info = {"transparency": info["transparency"]} if "transparency" in info else {}
    return image
