"""Checking uploaded files by what they are, not by what they are called: every app that takes a
file (a concern's attachments, a case's documents, a Three Houses drawing) checks it here, against
one list of accepted types and one size limit (`EARLYHELP_ATTACHMENT_MAX_BYTES`).

A file must parse completely as the type its first bytes claim:
  * a photo (JPEG, PNG) is decoded whole by Pillow and stored re-encoded, turned upright and
    without its metadata (EXIF may hold where a child was photographed), so whatever hid after
    or inside the picture is gone;
  * a PDF is opened by pikepdf without repairing it, and every object is read. A PDF that would
    do something when opened (JavaScript, launch and other active actions, embedded files, rich
    media, XFA forms) is refused, not cleaned: a court order or a signed agreement must be kept as
    it was received (cleaning rewrites the file and breaks a signature), and the uploader is told
    how to make a plain copy.

What is stored is the checked bytes under a generated name (`<uuid>.<ext of the real type>`); the
uploader's name is kept only to be shown.
"""

from __future__ import annotations

import io
import unicodedata
import uuid
import warnings
from dataclasses import dataclass

import pikepdf
import pikepdf.settings
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps

# The first bytes of each accepted type, and the extension a stored file of that type gets.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}
DISPLAY_NAME_LENGTH = 200
# What a re-encoded photo keeps of the original's information: its colour profile, and which
# colour of a PNG's palette is transparent. Nothing that says where, when or with what.
KEPT_INFO = ("icc_profile", "transparency")

# Keys and values that make a PDF do something when it is opened or clicked. Names are compared
# after pikepdf has decoded them, so `/J#53` is `/JS`.
ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/XFA"}
    | {"/RichMedia", "/RichMediaContent"}
)
ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute", "/GoToE"}
)
ACTIVE_SUBTYPES = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})
ACTIVE_TYPES = frozenset({"/EmbeddedFile"})

# Decoding a PDF's page content stops at this much memory per stream: a few kilobytes of Flate
# can inflate to gigabytes (a decompression bomb). Page content of a real document is far
# smaller. qpdf's limits are process-wide; pikepdf is used for nothing else in earlyhelp.
PDF_STREAM_MAX_BYTES = 64 * 1024 * 1024
pikepdf.settings.set_qpdf_limits(
    flate_max_memory=PDF_STREAM_MAX_BYTES,
    png_max_memory=PDF_STREAM_MAX_BYTES,
    run_length_max_memory=PDF_STREAM_MAX_BYTES,
    tiff_max_memory=PDF_STREAM_MAX_BYTES,
    dct_max_memory=PDF_STREAM_MAX_BYTES,
)


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: `file` is what to store (checked bytes, generated name)."""

    file: ContentFile
    content_type: str
    size: int
    display_name: str


def checked_upload(upload) -> CheckedFile:
    """The upload checked whole, ready to store; or a ValidationError that names the file and
    says what to do, in the user's language."""
    name = display_name(upload.name or "")
    limit = settings.EARLYHELP_ATTACHMENT_MAX_BYTES
    too_large = ValidationError(
        _("%(name)s is too large: at most %(limit)s MB.")
        % {"name": name, "limit": limit // (1024 * 1024)}
    )
    if upload.size > limit:
        raise too_large
    upload.seek(0)
    data = upload.read(limit + 1)  # the size a client declared is not trusted either
    upload.seek(0)
    if len(data) > limit:
        raise too_large
    content_type = _sniff(data, name)
    if content_type == "application/pdf":
        _check_pdf(data, name)
    else:
        data = _reencoded_image(data, content_type, name)
    stored = ContentFile(data, name=f"{uuid.uuid4().hex}.{EXTENSIONS[content_type]}")
    return CheckedFile(file=stored, content_type=content_type, size=len(data), display_name=name)


def display_name(name: str) -> str:
    """The uploader's file name as it may be shown: no control characters (a NUL cannot be
    stored on PostgreSQL), no folders, and short enough for its column."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in {"Cc", "Cf", "Cs"})
    return name.strip()[:DISPLAY_NAME_LENGTH] or "file"


def download_name(name: str, content_type: str) -> str:
    """`name` with the extension of what the file is (`x.html` holding a PDF is saved as
    `x.pdf`), so a downloaded file opens in the program of its real type."""
    if content_type not in EXTENSIONS:
        return name
    stem, dot, _old = name.rpartition(".")
    return f"{stem if dot and stem else name}.{EXTENSIONS[content_type]}"


def _sniff(data: bytes, name: str) -> str:
    for signature, content_type in SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    raise ValidationError(
        _("%(name)s is not a photo (JPEG, PNG) or a PDF. Other files cannot be attached.")
        % {"name": name}
    )


def _damaged(name: str) -> ValidationError:
    return ValidationError(
        _(
            "%(name)s is damaged or incomplete and cannot be read. Save, export or scan it "
            "again and attach the new file."
        )
        % {"name": name}
    )


# --- Photos -------------------------------------------------------------------------------------


def _reencoded_image(data: bytes, content_type: str, name: str) -> bytes:
    """The photo decoded whole and written again: upright, without metadata, without anything
    that was appended to it."""
    fmt = PILLOW_FORMATS[content_type]
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # a process-wide switch; a truncated file is damaged
        raise _damaged(name)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; both are refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                image.verify()
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                # Pillow writes some of what it read back out (a JPEG's comment, for one): only
                # the colours and a PNG's transparent colour are kept.
                kept = {key: image.info[key] for key in KEPT_INFO if key in image.info}
                upright.info = {}
                out = io.BytesIO()
                options = dict(kept)
                if fmt == "JPEG":
                    options.update(quality=90, optimize=True)
                upright.save(out, format=fmt, **options)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _(
                "%(name)s has too many pixels to be a photo: at most %(limit)s million. "
                "Attach a smaller copy of the picture."
            )
            % {"name": name, "limit": Image.MAX_IMAGE_PIXELS // 1_000_000}
        ) from error
    except Exception as error:  # noqa: BLE001
        # A file that does not decode and encode whole is damaged, whatever Pillow raised
        # (broken EXIF tags give struct.error or TypeError when written back, for one).
        raise _damaged(name) from error
    return out.getvalue()


# --- PDFs ---------------------------------------------------------------------------------------


def _check_pdf(data: bytes, name: str) -> None:
    """Every object of the PDF read without repair, and none that would act when opened."""
    try:
        with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
            active = _has_active_content(pdf)
            if not active:
                for page in pdf.pages:
                    pikepdf.parse_content_stream(page)
            damaged = len(pdf.pages) == 0 or bool(pdf.get_warnings())
    except pikepdf.PasswordError as error:
        raise ValidationError(
            _("%(name)s is protected by a password. Attach a copy without a password.")
            % {"name": name}
        ) from error
    except (pikepdf.PdfError, RecursionError, ValueError, TypeError) as error:
        raise _damaged(name) from error
    if active:
        raise ValidationError(
            _(
                "%(name)s contains scripts, actions or files inside it, which could run on the "
                "reader's computer. Print it to a new PDF, or scan it, and attach that copy."
            )
            % {"name": name}
        )
    if damaged:
        raise _damaged(name)


def _has_active_content(pdf: pikepdf.Pdf) -> bool:
    """Whether any object of the file (every indirect object, and what each holds directly)
    is JavaScript, an active action, an embedded file, rich media or an XFA form."""
    pending = [pdf.trailer, *pdf.objects]
    while pending:
        obj = pending.pop()
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            keys = set(obj.keys())
            if keys & ACTIVE_KEYS:
                return True
            if _name(obj.get("/S")) in ACTIVE_ACTIONS:
                return True
            if _name(obj.get("/Subtype")) in ACTIVE_SUBTYPES:
                return True
            if _name(obj.get("/Type")) in ACTIVE_TYPES:
                return True
            children = [obj.get(key) for key in keys]
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        # Indirect objects are all in `pdf.objects` already; following them again could loop.
        pending.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream)
            and not child.is_indirect
        )
    return False


def _name(value) -> str | None:
    return str(value) if isinstance(value, pikepdf.Name) else None
