"""Every error of the API as RFC 9457 problem details (`application/problem+json`), in the
account's language, or the `Accept-Language` language before sign-in: the exception handlers
of the NinjaAPI, the schema that documents them, and the wording of pydantic's refusals."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from earlyhelp.core.limits import body_limit
from earlyhelp.core.problems import problem_response

logger = logging.getLogger("earlyhelp.api")

PREFIX = "urn:earlyhelp:problem:"
IDEMPOTENCY_KEY = ("header", "Idempotency-Key")
MAX_ERRORS = 50

TITLES = {
    400: gettext_lazy("Bad request"),
    401: gettext_lazy("Not signed in"),
    403: gettext_lazy("Not permitted"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    409: gettext_lazy("Conflict"),
    412: gettext_lazy("Precondition failed"),
    413: gettext_lazy("The request is too large"),
    415: gettext_lazy("Unsupported media type"),
    422: gettext_lazy("The request cannot be processed"),
    428: gettext_lazy("Precondition required"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Something went wrong"),
}


class FieldErrorOut(Schema):
    field: str | None = None
    message: str


class ProblemOut(Schema):
    """RFC 9457 problem details; `errors` names each refused field of bad input."""

    type: str
    title: str
    status: int
    detail: str
    request_id: str | None = None
    errors: list[FieldErrorOut] | None = None
    limit: int | None = None


def documented(*statuses: int) -> dict:
    """The `response=` entries of an operation's error statuses."""
    return dict.fromkeys(statuses, ProblemOut)


class Problem(Exception):
    """Raised in an API view to answer with problem details."""

    def __init__(self, status: int, detail: str, *, kind: str = "", errors=None, headers=None):
        super().__init__(detail)
        self.status, self.detail, self.kind = status, detail, kind
        self.errors, self.headers = errors, headers


def problem(
    request, status: int, detail: str, *, kind: str = "", errors=None, headers=None, **extra
):
    if errors is not None:
        extra["errors"] = errors
    return problem_response(
        status,
        type=PREFIX + kind if kind else "about:blank",
        title=TITLES.get(status, TITLES[500 if status >= 500 else 400]),
        detail=detail,
        request=request,
        headers=headers,
        **extra,
    )


def _field(loc) -> str | None:
    """`body.payload.children.0.described_as` -> `children.0.described_as`: the name a caller
    sent, without ninja's wrapping."""
    parts = [str(part) for part in loc]
    if parts[:1] == ["body"]:
        parts = parts[2:]
    elif parts[:1] in (["query"], ["path"], ["header"]):
        parts = parts[1:]
    return ".".join(parts) or None


def _message(error: dict) -> str:
    """pydantic's English message in the reader's language."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if tuple(error.get("loc", ()))[:2] == IDEMPOTENCY_KEY and kind != "missing":
        return _("Use 8 to 200 visible ASCII characters, such as a UUID.")
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field. Check its name against the API documentation.")
    if kind == "string_too_long":
        return _("At most %(limit)s characters.") % {"limit": ctx.get("max_length")}
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("This field may not be empty.")
        return _("At least %(limit)s characters.") % {"limit": ctx.get("min_length")}
    if kind in {"string_pattern_mismatch", "string_unicode"}:
        return _("Control characters (such as NUL) are not allowed in text.")
    if kind == "too_long":
        return _("At most %(limit)s items.") % {"limit": ctx.get("max_length")}
    if kind == "too_short":
        return _("At least %(limit)s items.") % {"limit": ctx.get("min_length")}
    if kind in {"enum", "literal_error"}:
        return _("Not one of the allowed values: %(values)s.") % {"values": ctx.get("expected")}
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Must be at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Must be at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind.startswith("int_"):
        return _("Must be a whole number.")
    if kind.startswith("bool_"):
        return _("Must be true or false.")
    if kind == "string_type":
        return _("Must be text.")
    if kind == "list_type":
        return _("Must be a list.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("Must be an object.")
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return _("This value is not valid.")


def install(api) -> None:
    """Replace ninja's default handlers, so no error leaves the API in another shape."""

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        if any(
            e.get("type") == "missing"
            and tuple(e.get("loc", ()))[:2] == ("header", "Idempotency-Key")
            for e in exc.errors
        ):
            detail = _("This request needs an Idempotency-Key header (8 to 200 characters).")
            return problem(request, 400, detail, kind="idempotency-key-missing")
        errors = [{"field": _field(e.get("loc", ())), "message": _message(e)} for e in exc.errors]
        names = ", ".join(sorted({e["field"] for e in errors if e["field"]}))
        detail = (
            _("Check these fields: %(fields)s.") % {"fields": names}
            if names
            else _("The request is not valid.")
        )
        return problem(request, 422, detail, kind="validation", errors=errors[:MAX_ERRORS])

    @api.exception_handler(DjangoValidationError)
    def service_refusal(request, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = [
                {"field": name, "message": message}
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": None, "message": message} for message in exc.messages]
        detail = " ".join(error["message"] for error in errors)
        return problem(request, 422, detail, kind="validation", errors=errors[:MAX_ERRORS])

    @api.exception_handler(Problem)
    def raised_problem(request, exc: Problem):
        return problem(
            request, exc.status, exc.detail, kind=exc.kind, errors=exc.errors, headers=exc.headers
        )

    @api.exception_handler(AuthenticationError)
    def not_signed_in(request, exc):
        detail = _("Send a valid API token: Authorization: Bearer <token>.")
        return problem(request, 401, detail, headers={"WWW-Authenticate": "Bearer"})

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        cause = exc.__cause__
        if isinstance(cause, RequestDataTooBig):
            return too_large(request, cause)
        if isinstance(cause, UnsupportedMediaType):
            detail = _("Send the body as JSON (Content-Type: application/json).")
            return problem(request, 415, detail)
        if exc.status_code == 400:
            detail = _("The body is not valid JSON.")
            if isinstance(cause, DuplicateKey):
                detail = _("The body names the field %(field)s twice.") % {"field": cause.args[0]}
            return problem(request, 400, detail)
        return problem(request, exc.status_code, str(TITLES.get(exc.status_code, exc.message)))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(request, 404, _("There is no such resource for this account."))

    @api.exception_handler(PermissionDenied)
    def not_permitted(request, exc):
        return problem(request, 403, _("This account may not do this."))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        limit = body_limit(request)
        detail = _("The body may have at most %(limit)s bytes.") % {"limit": limit}
        return problem(request, 413, detail, kind="too-large", limit=limit)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("API request failed", exc_info=exc)
        detail = _("The error has been logged. Nothing was saved; you may try again.")
        return problem(request, 500, detail)


class UnsupportedMediaType(Exception):
    pass


class DuplicateKey(ValueError):
    pass
