"""Downloads of a person's data (a document, a drawing, a PDF made from a record, a table): the
one way a view answers with a file. Always an attachment, never sniffed into another type by the
browser, never kept in a cache, and sandboxed should a browser render it anyway, so a file that
slipped through the upload checks cannot run as a page of earlyhelp.

`core/tests/test_downloads.py` holds every view to it: FileResponse and StreamingHttpResponse are
built only here and in `core/exports.py`, and every download URL of the access matrix answers
with these headers."""

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from earlyhelp.core.uploads import download_name

# The header CSPMiddleware (django-csp) leaves alone when a response already has it.
SANDBOX = "sandbox; default-src 'none'"
PRIVATE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Content-Security-Policy": SANDBOX,
}


def private_download(body, *, filename: str, content_type: str) -> HttpResponse:
    """`body` is bytes (a PDF made now) or an open file (a stored upload). An uploaded file
    keeps its name for the download, but with the extension of its real type."""
    filename = download_name(filename, content_type)
    if isinstance(body, bytes):
        return private(HttpResponse(body, content_type=content_type), filename)
    return private(
        FileResponse(body, as_attachment=True, filename=filename, content_type=content_type)
    )


def private(response: HttpResponse, filename: str | None = None) -> HttpResponse:
    """Make `response` (any kind, a streamed one too) a private download: an attachment named
    `filename` (a FileResponse names itself), not sniffed, not cached, sandboxed."""
    if filename is not None:
        response["Content-Disposition"] = content_disposition_header(True, filename)
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response
