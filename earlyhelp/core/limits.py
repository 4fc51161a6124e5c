"""Bodies too large to take: answered before any view reads them, with a 413 that says what to
shorten, instead of Django's `RequestDataTooBig` (a 500 from the API, an English technical page
in the web, and the typed text lost).

The limits: `DATA_UPLOAD_MAX_MEMORY_SIZE` for a form's text or a JSON body; a form with files
(multipart) may carry `EARLYHELP_REQUEST_MAX_FILES` files of `EARLYHELP_ATTACHMENT_MAX_BYTES`
each on top of that, so an attachment the upload check accepts is never refused here."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.utils.translation import gettext as _

from earlyhelp.core.problems import problem_response

API_PREFIX = "/api/"
FORMS = {"multipart/form-data", "application/x-www-form-urlencoded"}
# Read and dropped before answering, so that a browser still sending the body sees the page
# instead of a reset connection; the server drops whatever lies beyond.
DRAIN_BYTES = 64 * 1024 * 1024


def body_limit(request) -> int:
    text = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if text is None:  # Django's "no limit"
        return 2**63
    if request.content_type == "multipart/form-data":
        files = settings.EARLYHELP_REQUEST_MAX_FILES * settings.EARLYHELP_ATTACHMENT_MAX_BYTES
        return text + files
    return text


def _megabytes(size: int) -> str:
    return f"{size / 1024**2:.1f}".removesuffix(".0")


def _content_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


class RequestSizeLimitMiddleware:
    """Refuses a body over the limit with 413 before the view, by its Content-Length; a body
    without one (chunked) is refused when reading it raises `RequestDataTooBig`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _content_length(request)
        if length is not None and length > body_limit(request):
            return self.too_large(request, length)
        if length is None and request.method in {"POST", "PUT", "PATCH"}:
            try:
                if request.content_type in {
                    "multipart/form-data",
                    "application/x-www-form-urlencoded",
                }:
                    request.POST  # noqa: B018 - read now, where a refusal can be answered
                else:
                    request.body  # noqa: B018
            except RequestDataTooBig:
                return self.too_large(request, 0)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return self.too_large(request, 0)
        return None

    def too_large(self, request, length: int):
        limit = body_limit(request)
        _drain(request, min(length, DRAIN_BYTES))
        if request.path.startswith(API_PREFIX):
            response = problem_response(
                413,
                type="urn:earlyhelp:problem:too-large",
                title=_("The request is too large"),
                detail=_("The body may have at most %(limit)s bytes.") % {"limit": limit},
                request=request,
                limit=limit,
            )
        else:
            response = render(
                request,
                "core/too_large.html",
                {
                    "text_mb": _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
                    "file_mb": _megabytes(settings.EARLYHELP_ATTACHMENT_MAX_BYTES),
                    "files": settings.EARLYHELP_REQUEST_MAX_FILES,
                },
                status=413,
            )
        return response


def _drain(request, length: int) -> None:
    """Read what the client sends (up to `length`) and drop it."""
    if length <= 0 or getattr(request, "_read_started", False):
        return
    try:
        while length > 0:
            chunk = request.read(min(length, 64 * 1024))
            if not chunk:
                return
            length -= len(chunk)
    except OSError:
        return
