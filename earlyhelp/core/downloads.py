"""Downloads of a person's data (a document, a drawing, a PDF made from a record): always an
attachment, never sniffed into another type by the browser, never kept in a cache."""

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def private_download(body, *, filename: str, content_type: str) -> HttpResponse:
    """`body` is bytes (a PDF made now) or an open file (a stored upload)."""
    if isinstance(body, bytes):
        return private(HttpResponse(body, content_type=content_type), filename)
    return private(
        FileResponse(body, as_attachment=True, filename=filename, content_type=content_type)
    )


def private(response: HttpResponse, filename: str | None = None) -> HttpResponse:
    """Make `response` (any kind, a streamed one too) a private download: an attachment named
    `filename` (a FileResponse names itself), not sniffed, not cached."""
    if filename is not None:
        response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
