import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from earlyhelp.people.identifiers import clean_national_id, generate_national_id


@pytest.mark.parametrize("code", ["HU", "CZ", "DK"])
def test_generated_identifiers_are_valid(code):
    rng = random.Random(7)
    for year in range(2008, 2024):
        value = generate_national_id(code, date(year, 3, 14), "female", rng)
        assert clean_national_id(code, value) == value


@pytest.mark.parametrize(
    ("code", "value", "fragment"),
    [
        ("HU", "123456789", "check digit"),
        ("HU", "12345", "wrong number of digits"),
        ("CZ", "7103192746", "check digit"),
        ("DK", "3213790000", "impossible date"),
        ("DK", "abc", "digits"),
    ],
)
def test_a_bad_identifier_says_what_is_wrong(code, value, fragment):
    with pytest.raises(ValidationError) as error:
        clean_national_id(code, value)
    assert fragment in error.value.messages[0]


def test_the_identifier_is_optional():
    assert clean_national_id("CZ", "  ") == ""
