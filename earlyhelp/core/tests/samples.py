"""Small real files for upload tests, made on the spot: a photo and a PDF that pass the checks
of `core/uploads.py`, and the hostile kinds they must refuse."""

from __future__ import annotations

import io
import struct
import zlib

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format="PNG")
    return out.getvalue()


def jpeg(size=(40, 30), exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    options = {"exif": exif.tobytes()} if exif is not None else {}
    Image.new("RGB", size, (40, 200, 40)).save(out, format="JPEG", **options)
    return out.getvalue()


def pdf(build=None, *, decode: bool = True) -> bytes:
    """A one-page PDF; `build(pdf)` may add to it before it is saved. `decode=False` saves the
    streams as they were made, without qpdf decoding them first."""
    document = pikepdf.Pdf.new()
    document.add_blank_page()
    if build is not None:
        build(document)
    out = io.BytesIO()
    if decode:
        document.save(out)
    else:
        document.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few bytes whose header claims `width` x `height` pixels: a decompression bomb
    to whoever believes it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
