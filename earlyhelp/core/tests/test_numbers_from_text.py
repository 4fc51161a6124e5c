"""A number typed or sent as text is read one way: `str.isdigit()` alone lets "²" and other
Unicode digits through to `int()`, which fails (a 500), so every check pairs it with
`isascii()`, and ids and versions go through `core.text.plain_number`."""

import re
from pathlib import Path

import pytest

import earlyhelp
from earlyhelp.core.text import plain_number

ROOT = Path(earlyhelp.__file__).parent


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (" 7 ", 7), ("", None), (None, None), ("²", None), ("١٢", None), ("-3", None),
     ("1e3", None), ("9" * 19, None), ("9" * 18, int("9" * 18)), (5, 5)],
)  # fmt: skip
def test_a_plain_number_is_one_a_database_id_can_hold(value, expected):
    assert plain_number(value) == expected


def test_no_code_trusts_isdigit_alone():
    loose = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.search(r"\.isdigit\(\)", code) and "isascii()" not in code:
                loose.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert loose == []


@pytest.mark.django_db
def test_a_taj_number_of_superscript_digits_is_refused_not_a_fault():
    from earlyhelp.people.identifiers import SCHEMES

    validate, _name = SCHEMES["HU"]
    with pytest.raises(Exception) as refused:
        validate("²" * 9)
    assert type(refused.value).__name__ == "InvalidFormat"
