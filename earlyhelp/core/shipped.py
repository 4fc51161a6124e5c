"""Rows that earlyhelp ships as data (in migrations) but people read in their own language.

A shipped row stores its English text, which never changes once shipped; the reader sees the
translation of a gettext_lazy string keyed by the row's code. A row a municipality added or
renamed itself keeps the text it was given. docs/architecture.md, "Data shipped in migrations".
"""

from __future__ import annotations

from django.utils import translation


def shipped_text(stored: str, translatable) -> str:
    """`translatable` (a gettext_lazy string) in the active language when `stored` is its
    English source, i.e. the row still holds what earlyhelp shipped; otherwise `stored`."""
    if translatable is None:
        return stored
    with translation.override(None):
        source = str(translatable)
    return str(translatable) if stored == source else stored
