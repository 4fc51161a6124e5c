"""Checking uploaded files by what they are, not by what they are called: every app that takes a
file (a concern's attachments, a case's documents, a Three Houses drawing) checks it here, against
one list of accepted types and one size limit (`EARLYHELP_ATTACHMENT_MAX_BYTES`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The first bytes of each accepted type.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def sniff_content_type(upload) -> str:
    """The file's real type from its first bytes, or a ValidationError saying what is allowed."""
    limit = settings.EARLYHELP_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is too large: at most %(limit)s MB.")
            % {"name": upload.name, "limit": limit // (1024 * 1024)}
        )
    head = upload.read(8)
    upload.seek(0)
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    raise ValidationError(
        _("%(name)s is not a photo (JPEG, PNG) or a PDF. Other files cannot be attached.")
        % {"name": upload.name}
    )
