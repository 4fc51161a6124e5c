"""RFC 9457 problem details: the one shape of every error the JSON API gives, so a system reads
`status`, `title` and `detail` (and `errors` for bad input) the same way for every failure."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

PROBLEM_JSON = "application/problem+json"


def problem_response(
    status: int,
    *,
    title: str,
    detail: str,
    type: str = "about:blank",  # noqa: A002 - the member's name in RFC 9457
    request=None,
    headers: dict | None = None,
    **extensions,
) -> HttpResponse:
    """A problem+json answer. `title` and `detail` are already in the reader's language; the
    request id is added so that a report can be matched with the log."""
    body = {"type": type, "title": str(title), "status": status, "detail": str(detail)}
    body.update(extensions)
    request_id = getattr(request, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, cls=DjangoJSONEncoder),
        status=status,
        content_type=f"{PROBLEM_JSON}; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
