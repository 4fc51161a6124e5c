"""The API's value types: every string field is a `Text`, every id an `Id`, every list a
`UniqueList`, so that each limit is declared once and shows in the OpenAPI schema."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

# C0 and C1 control characters. PostgreSQL refuses NUL in text (a DataError, once a 500), and
# none of them means anything in a report; tab, line feed and carriage return are kept in
# multi-line text. The check is the schema's `pattern`, so the schema says exactly what is
# accepted; api/problems.py words its refusal. (Lone surrogates, which no database stores,
# are refused by pydantic itself.)
_SINGLE_LINE = "\\x00-\\x1f\\x7f-\\x9f"
_MULTI_LINE = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"

# The largest id the databases store (a 64-bit signed integer): larger ones are refused with
# a 422 instead of overflowing in the query.
MAX_ID = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def Text(max_length: int, *, min_length: int = 0, multiline: bool = False) -> Any:  # noqa: N802
    """A string of at most `max_length` characters without control characters (tab, line
    feed and carriage return allowed if `multiline`)."""
    chars = _MULTI_LINE if multiline else _SINGLE_LINE
    return Annotated[
        str, Field(min_length=min_length, max_length=max_length, pattern=f"^[^{chars}]*$")
    ]


def _unique(values: list) -> list:
    if len(set(values)) != len(values):
        raise ValueError(_("Each value may appear only once."))
    return values


def UniqueList(item: Any, *, min_length: int = 0, max_length: int) -> Any:  # noqa: N802
    """A list of at most `max_length` items, each at most once."""
    return Annotated[
        list[item],
        Field(
            min_length=min_length, max_length=max_length, json_schema_extra={"uniqueItems": True}
        ),
        AfterValidator(_unique),
    ]


def Choice(choices: type) -> Any:  # noqa: N802
    """One of a model's choices (a `TextChoices`), written out in the schema where it is used:
    as a class the enum would be a component named after it, and every model's `Status` would
    then be one component with one model's values."""
    return Literal[tuple(choices.values)]
