"""Image files made with Pillow for the upload tests, and a helper to post one."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image


def image_bytes(image_format: str = "PNG", size=(64, 48), mode: str = "RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "teal" if mode != "1" else 1).save(buffer, image_format, **options)
    return buffer.getvalue()


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb."""
    data = bytearray(image_bytes("PNG", size=(1, 1)))
    # The IHDR chunk follows the 8-byte signature: length, type, then width and height.
    ihdr = bytes(data[12:16]) + struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(ihdr))
    return bytes(data)


def gif_claiming_size(width: int, height: int, frames: int) -> bytes:
    """An animated GIF of 1 × 1 frames on a ``width`` × ``height`` screen: cheap to make,
    costly to decode frame by frame."""
    pictures = [Image.new("L", (1, 1), shade) for shade in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "GIF", save_all=True, append_images=pictures[1:])
    data = bytearray(buffer.getvalue())
    data[6:10] = struct.pack("<HH", width, height)  # the logical screen, after "GIF89a"
    return bytes(data)


def upload(client: Client, name: str, content: bytes, content_type: str = "image/png", **data):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("uploads:image_create"), {"file": file, **data})
