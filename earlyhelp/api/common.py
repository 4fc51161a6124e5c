"""What every resource of the API shares (docs/api.md, "Conventions"): strict inputs, unknown
query parameters refused, and cursor pages read by keyset (never OFFSET)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Schema
from pydantic import ConfigDict

from earlyhelp.api.problems import Problem
from earlyhelp.core.keyset import Key, decode_cursor

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
