"""What every resource of the API shares (docs/api.md, "Conventions"): strict inputs, unknown
query parameters refused, cursor pages read by keyset (never OFFSET), the record's version as
ETag and If-Match, and a form's errors as a problem naming each field."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Schema
from pydantic import ConfigDict

from earlyhelp.api.problems import Problem
from earlyhelp.core.keyset import Key, decode_cursor
from earlyhelp.core.list_filters import day_start

LIMIT = Query(50, ge=1, le=100, description="Rows per page, 1–100.")
CURSOR = Query(
    None,
    max_length=500,
    description="`next_cursor` of the previous page, sent back unchanged; none for the first page.",
)


class StrictSchema(Schema):
    """An input: an unknown or misspelled field is refused (422), never dropped silently."""

    model_config = ConfigDict(extra="forbid")


def refused(field: str | None, message: str) -> Problem:
    """A 422 naming the field at fault (None: the request as a whole)."""
    return Problem(422, message, kind="validation", errors=[{"field": field, "message": message}])


def known_query(request, *names: str) -> None:
    """Unknown query parameters are refused like unknown body fields: a misspelled `limit`
    would otherwise page silently by the default."""
    unknown = sorted(set(request.GET) - set(names))
    if unknown:
        message = _("Unknown field. Check its name against the API documentation.")
        raise Problem(
            422,
            _("Check these fields: %(fields)s.") % {"fields": ", ".join(unknown)},
            kind="validation",
            errors=[{"field": name, "message": message} for name in unknown],
        )


def check_cursor(cursor: str | None, queryset: QuerySet, keys: list[Key]) -> str:
    """The cursor of a list in the order of `keys` over `queryset`'s model, as the web's keyset
    pages read it (core.keyset), except that one this list did not write is refused (422)
    instead of starting again from the first page, which a program would take for new rows."""
    if cursor and decode_cursor(cursor, queryset, keys) is None:
        raise refused("cursor", _("This cursor is not one this list gave. Start again without it."))
    return cursor or ""


# An entity tag is the record's version (core.versioning): "7", or W/"7" as some proxies send it.
_TAG = re.compile(r'\s*(?:W/)?"(\d{1,18})"\s*')


def etag(version: int) -> str:
    return f'"{version}"'


def if_match_version(header: str | None) -> int:
    """The version an update is based on, from its `If-Match` header: missing is 428, a tag
    this API never gave is 412 (as a version nobody has)."""
    if not header:
        raise Problem(
            428,
            _(
                "Send the ETag of the record you read in an If-Match header, so that a change "
                "made meanwhile by someone else is never overwritten."
            ),
            kind="if-match-missing",
        )
    found = _TAG.fullmatch(header)
    return int(found.group(1)) if found else 0


def stale() -> Problem:
    return Problem(
        412,
        _(
            "The record was changed since you read it. Read it again, make your change on what "
            "it holds now and send it with the new ETag."
        ),
        kind="stale",
    )


def form_refused(form, names: dict[str, str] | None = None) -> Problem:
    """A 422 naming each field a form refused, with the form's own messages: the API checks
    input with the same fields as the pages. `names`: the API's name of a form field where
    they differ (the form's `group` is the API's `group_id`)."""
    names = names or {}
    errors = [
        {"field": None if name == "__all__" else names.get(name, name), "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]
    fields = ", ".join(e["field"] for e in errors if e["field"])
    detail = (
        _("Check these fields: %(fields)s.") % {"fields": fields}
        if fields
        else errors[0]["message"]
    )
    return Problem(422, detail, kind="validation", errors=errors)


def period(since, until) -> dict:
    """A list's period filter from two days, both included, as the web lists' filters give it
    (`core.list_filters`): aware moments from the start of `since` to the start of the day
    after `until`. A period that ends before it starts is refused, naming `until`."""
    if since and until and until < since:
        raise refused("until", _("The last day is before the first day."))
    found = {}
    if since:
        found["received_from"] = day_start(since)
    if until:
        found["received_before"] = day_start(until + timedelta(days=1))
    return found
