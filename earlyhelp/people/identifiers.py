"""National identifiers of children and adults, validated per country.

CZ: rodné číslo and DK: CPR-nummer come from python-stdnum. python-stdnum has no Hungarian
personal scheme, so HU uses the TAJ number (social-security number carried by every child), whose
check digit is defined in law: the first eight digits weighted 3 and 7 alternately, modulo 10.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cz import rc
from stdnum.dk import cpr
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength


def _hu_taj(value: str) -> str:
    number = value.replace(" ", "").replace("-", "")
    if not (number.isascii() and number.isdigit()):
        raise InvalidFormat()
    if len(number) != 9:
        raise InvalidLength()
    total = sum(int(d) * (3 if i % 2 == 0 else 7) for i, d in enumerate(number[:8]))
    if total % 10 != int(number[8]):
        raise InvalidChecksum()
    return number


SCHEMES = {
    "HU": (_hu_taj, "TAJ"),
    "CZ": (rc.validate, "rodné číslo"),
    "DK": (cpr.validate, "CPR"),
}


def scheme_name(jurisdiction_code: str) -> str:
    return SCHEMES[jurisdiction_code][1] if jurisdiction_code in SCHEMES else ""


def clean_national_id(jurisdiction_code: str, value: str) -> str:
    """Return the identifier in its compact form, or raise a ValidationError that says why."""
    value = (value or "").strip()
    if not value or jurisdiction_code not in SCHEMES:
        return value
    validate, name = SCHEMES[jurisdiction_code]
    try:
        return validate(value)
    except InvalidLength:
        message = _("This %(scheme)s has the wrong number of digits.")
    except InvalidChecksum:
        message = _("This %(scheme)s does not add up: its check digit is wrong. Check for a typo.")
    except InvalidComponent:
        message = _("This %(scheme)s contains an impossible date or part.")
    except (InvalidFormat, ValueError):
        message = _("This is not a valid %(scheme)s: use digits only.")
    raise ValidationError(message % {"scheme": name}, code="invalid_national_id")


def generate_national_id(jurisdiction_code: str, birth_date, sex: str, rng) -> str:
    """A syntactically valid, made-up identifier for generated demo and benchmark people."""
    if jurisdiction_code == "HU":
        body = [rng.randint(0, 9) for _ in range(8)]
        check = sum(d * (3 if i % 2 == 0 else 7) for i, d in enumerate(body)) % 10
        return "".join(map(str, body)) + str(check)
    if jurisdiction_code == "CZ":
        month = birth_date.month + (50 if sex == "female" else 0)
        prefix = int(f"{birth_date:%y}{month:02d}{birth_date:%d}")
        while True:
            suffix = rng.randint(0, 9999)
            number = prefix * 10000 + suffix
            if number % 11 == 0:
                return f"{number:010d}"
    if jurisdiction_code == "DK":
        return f"{birth_date:%d%m%y}{rng.randint(0, 9999):04d}"
    return ""
