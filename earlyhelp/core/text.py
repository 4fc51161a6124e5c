"""Name folding for diacritics-insensitive search that behaves the same on SQLite and PostgreSQL.

The folded form is stored in a column next to the name, so the database only ever compares plain
lower-case ASCII: "Szőke" → "szoke", "Řezníček" → "reznicek", "Søren" → "soren".
"""

import unicodedata

# Letters that Unicode does not decompose into a base letter and a combining mark.
_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
    }
)


def fold_text(value: str) -> str:
    """Lower-case, strip diacritics and collapse whitespace. A NUL is no letter of any name (and
    PostgreSQL refuses it in a query): it is dropped, so every search folded here is safe."""
    decomposed = unicodedata.normalize("NFKD", value.replace("\x00", "").translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def plain_number(value) -> int | None:
    """A number as an address, a hidden field or a small form sends it (`?child=12`, a
    record's version), or None for anything else: "²" is a digit to `str.isdigit` but not to
    `int()`, and a number beyond the database's 64-bit integers fails the query; neither names
    a record."""
    value = str(value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None
