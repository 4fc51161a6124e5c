"""The values a roster row may carry (each mapped from one column of the export), and the
presets: the column headings of the three countries' common school systems (docs/import.md
says what each is built from)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PARENTS = (1, 2)

CHILD_FIELDS = {
    "institution_code": _("Institution code (OM, IZO, institution number)"),
    "institution": _("Institution name"),
    "group": _("Class or group"),
    "school_year": _("School year"),
    "family_name": _("Family name"),
    "given_name": _("Given name"),
    "full_name": _("Full name (instead of the two above)"),
    "birth_date": _("Date of birth"),
    "national_id": _("National identifier"),
    "sex": _("Sex"),
    "starts_on": _("In the class since"),
}
PARENT_FIELDS = {
    "full_name": pgettext_lazy("parent", "full name"),
    "family_name": pgettext_lazy("parent", "family name"),
    "given_name": pgettext_lazy("parent", "given name"),
    "relationship": pgettext_lazy("parent", "relationship"),
    "national_id": pgettext_lazy("parent", "national identifier"),
    "phone": pgettext_lazy("parent", "phone"),
    "email": pgettext_lazy("parent", "e-mail"),
}


def parent_field(number: int, name: str) -> str:
    return f"parent{number}_{name}"


FIELDS: dict[str, object] = {
    **CHILD_FIELDS,
    **{
        parent_field(n, name): _("Parent %(n)s: %(what)s") % {"n": n, "what": label}
        for n in PARENTS
        for name, label in PARENT_FIELDS.items()
    },
}
# A mapping must say where these are (a full name stands for both names).
REQUIRED = ("group", "birth_date")

# A staff list: the people who work in the institutions, each with a role in one of them.
STAFF_FIELDS = {
    "institution_code": CHILD_FIELDS["institution_code"],
    "institution": CHILD_FIELDS["institution"],
    "group": _("Class or group (an educator of one class)"),
    "school_year": CHILD_FIELDS["school_year"],
    "family_name": CHILD_FIELDS["family_name"],
    "given_name": CHILD_FIELDS["given_name"],
    "full_name": CHILD_FIELDS["full_name"],
    "email": _("E-mail (the account's, where its invitation goes)"),
    "role": _("Role"),
    "starts_on": _("In the role since"),
}
STAFF_REQUIRED = ("email", "role")


def _parents(headings: dict[str, str]) -> dict[str, str]:
    """A preset's parent columns, "{n}" standing for the parent's number."""
    return {
        parent_field(n, name): heading.format(n=n)
        for n in PARENTS
        for name, heading in headings.items()
    }


PRESETS: dict[str, dict] = {
    "earlyhelp": {
        "label": _("earlyhelp's own template"),
        "columns": {name: name for name in FIELDS},
    },
    "kreta": {
        "label": _("KRÉTA (Hungary): student list export"),
        "columns": {
            "institution_code": "OM azonosító",
            "institution": "Intézmény neve",
            "group": "Osztály",
            "school_year": "Tanév",
            "full_name": "Tanuló neve",
            "birth_date": "Születési dátum",
            "national_id": "TAJ szám",
            "sex": "Neme",
            **_parents(
                {
                    "full_name": "Gondviselő {n} neve",
                    "relationship": "Gondviselő {n} típusa",
                    "phone": "Gondviselő {n} telefonszáma",
                    "email": "Gondviselő {n} e-mail címe",
                }
            ),
        },
    },
    "bakalari": {
        "label": _("Bakaláři (Czech Republic): pupil register export"),
        "columns": {
            "institution_code": "IZO",
            "institution": "Škola",
            "group": "Třída",
            "school_year": "Školní rok",
            "family_name": "Příjmení",
            "given_name": "Jméno",
            "birth_date": "Datum narození",
            "national_id": "Rodné číslo",
            "sex": "Pohlaví",
            **_parents(
                {
                    "family_name": "Zástupce {n} příjmení",
                    "given_name": "Zástupce {n} jméno",
                    "relationship": "Zástupce {n} vztah",
                    "phone": "Zástupce {n} telefon",
                    "email": "Zástupce {n} e-mail",
                }
            ),
        },
    },
    "dk_school": {
        "label": _("Denmark: pupil list of the school administration system"),
        "columns": {
            "institution_code": "Institutionsnummer",
            "institution": "Skole",
            "group": "Klasse",
            "school_year": "Skoleår",
            "given_name": "Fornavn",
            "family_name": "Efternavn",
            "birth_date": "Fødselsdato",
            "national_id": "CPR-nummer",
            "sex": "Køn",
            **_parents(
                {
                    "full_name": "Forælder {n} navn",
                    "relationship": "Forælder {n} relation",
                    "phone": "Forælder {n} telefon",
                    "email": "Forælder {n} e-mail",
                }
            ),
        },
    },
}


# Staff lists come in earlyhelp's own template only: the school systems' staff exports differ
# from school to school.
STAFF_PRESET = {
    "label": _("earlyhelp's staff template"),
    "columns": {name: name for name in STAFF_FIELDS},
}


def preset_choices() -> list[tuple[str, object]]:
    return [(code, preset["label"]) for code, preset in PRESETS.items()]
