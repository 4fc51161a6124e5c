"""One roster row checked: each value by the form field of its kind, with the messages the
pages give, in the uploader's language. A row's problems name the column they are about."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from earlyhelp.core.dates import validate_child_birth_date, validate_date
from earlyhelp.core.text import fold_text
from earlyhelp.imports.fields import PARENTS, parent_field
from earlyhelp.imports.reading import Formula
from earlyhelp.people.identifiers import clean_national_id
from earlyhelp.people.models import Relationship, Sex

DATE_FORMATS = [
    "%Y-%m-%d",
    "%Y.%m.%d",
    "%Y.%m.%d.",
    "%Y. %m. %d.",
    "%d.%m.%Y",
    "%d. %m. %Y",
    "%d/%m/%Y",
    "%d-%m-%Y",
]
# The words the countries' exports use, folded (no accents, lower case).
SEX_WORDS = {
    Sex.FEMALE: {"f", "female", "girl", "no", "lany", "zena", "z", "divka", "pige", "k", "kvinde"},
    Sex.MALE: {"m", "male", "boy", "ferfi", "fiu", "ffi", "muz", "chlapec", "dreng", "mand"},
}  # fmt: skip
RELATIONSHIP_WORDS = {
    Relationship.Kind.MOTHER: {"mother", "anya", "edesanya", "matka", "mor"},
    Relationship.Kind.FATHER: {"father", "apa", "edesapa", "otec", "far"},
    Relationship.Kind.GUARDIAN: {
        "guardian", "parent", "gondviselo", "szulo", "gyam", "zakonny zastupce", "porucnik",
        "vaerge", "foraelder",
    },
    Relationship.Kind.STEP_PARENT: {
        "step-parent", "step parent", "mostohaszulo", "mostohaanya", "mostohaapa",
        "nevlastni rodic", "nevlastni matka", "nevlastni otec", "stedforaelder", "stedmor",
        "stedfar",
    },
    Relationship.Kind.FOSTER_CARER: {"foster carer", "neveloszulo", "pestoun", "plejeforaelder"},
    Relationship.Kind.GRANDPARENT: {
        "grandparent", "nagyszulo", "nagymama", "nagypapa", "prarodic", "babicka", "dedecek",
        "bedsteforaelder", "mormor", "farmor", "morfar", "farfar",
    },
}  # fmt: skip
# The relationships that carry parental responsibility when a roster names them.
RESPONSIBLE = {
    Relationship.Kind.MOTHER,
    Relationship.Kind.FATHER,
    Relationship.Kind.GUARDIAN,
    Relationship.Kind.FOSTER_CARER,
}
FORMULA_STARTS = ("=", "@")


def no_formula(value: str) -> None:
    if value.startswith(FORMULA_STARTS):
        raise ValidationError(_("This looks like a spreadsheet formula, which is never imported."))


class WordField(forms.CharField):
    """A value written in words in any of the four languages (a sex, a relationship)."""

    def __init__(self, mapping: dict, message, **kwargs):
        self.words = {
            fold_text(word): choice for choice, words in mapping.items() for word in words
        }
        self.message = message
        super().__init__(required=False, max_length=40, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        found = self.words.get(fold_text(value))
        if found is None:
            raise ValidationError(str(self.message) % {"value": value})
        return found


def _text(max_length: int, required: bool = False) -> forms.CharField:
    return forms.CharField(max_length=max_length, required=required, validators=[no_formula])


class RowForm(forms.Form):
    institution_code = _text(20)
    institution = _text(200)
    group = _text(100, required=True)
    school_year = _text(9)
    family_name = _text(100)
    given_name = _text(100)
    full_name = _text(201)
    birth_date = forms.DateField(input_formats=DATE_FORMATS, validators=[validate_child_birth_date])
    national_id = _text(20)
    sex = WordField(
        SEX_WORDS, gettext_lazy("“%(value)s” is not a sex earlyhelp knows: use female or male.")
    )
    starts_on = forms.DateField(
        input_formats=DATE_FORMATS, required=False, validators=[validate_date]
    )

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country

    def _names(self, prefix: str, data: dict, required: bool) -> None:
        family, given = data.get(f"{prefix}family_name", ""), data.get(f"{prefix}given_name", "")
        full = data.get(f"{prefix}full_name", "")
        if full and not (family or given):
            family, given = split_name(full, self.country)
        if required and not (family and given):
            self.add_error(
                f"{prefix}full_name" if full else f"{prefix}family_name",
                _("Give both the family name and the given name."),
            )
        data[f"{prefix}family_name"], data[f"{prefix}given_name"] = family, given

    def _identifier(self, name: str, data: dict) -> None:
        try:
            data[name] = clean_national_id(self.country, data.get(name, ""))
        except ValidationError as error:
            self.add_error(name, error)

    def clean(self):
        data = super().clean()
        self._names("", data, required=True)
        self._identifier("national_id", data)
        if not data.get("institution_code") and not data.get("institution"):
            self.add_error("institution", _("Give the institution's code or its name."))
        for n in PARENTS:
            prefix = parent_field(n, "")
            self._names(prefix, data, required=False)
            named = data.get(f"{prefix}family_name") or data.get(f"{prefix}given_name")
            others = any(data.get(f"{prefix}{k}") for k in ("national_id", "phone", "email"))
            if others and not named:
                self.add_error(f"{prefix}full_name", _("Give the parent's name too."))
            if named:
                self._names(prefix, data, required=True)
                self._identifier(f"{prefix}national_id", data)
        return data


def _parent_fields(n: int) -> dict[str, forms.Field]:
    return {
        parent_field(n, "full_name"): _text(201),
        parent_field(n, "family_name"): _text(100),
        parent_field(n, "given_name"): _text(100),
        parent_field(n, "relationship"): WordField(
            RELATIONSHIP_WORDS,
            gettext_lazy(
                "“%(value)s” is not a relationship earlyhelp knows: use mother, father or guardian."
            ),
        ),
        parent_field(n, "national_id"): _text(20),
        parent_field(n, "phone"): forms.RegexField(
            regex=r"^[0-9+()/ .-]{0,40}$",
            required=False,
            error_messages={
                "invalid": gettext_lazy("A phone number has digits, spaces and + ( ) / - only.")
            },
        ),
        parent_field(n, "email"): forms.EmailField(required=False, max_length=254),
    }


# The parents' fields, declared once for the class (a form is made for every row of a file).
for _n in PARENTS:
    RowForm.base_fields.update(_parent_fields(_n))


def split_name(full: str, country: str) -> tuple[str, str]:
    """(family, given) of a full name: Hungarian names put the family name first, the others
    last."""
    words = full.split()
    if len(words) < 2:
        return "", full.strip()
    if country == "HU":
        return words[0], " ".join(words[1:])
    return words[-1], " ".join(words[:-1])


def check_values(form_class, values: dict, country: str) -> tuple[dict | None, list[dict]]:
    """A row's cleaned values by `form_class` (a roster's or a staff list's), or None and its
    problems ({"field", "message"}); a formula cell is refused before any field reads it."""
    problems = [
        {"field": name, "message": _("This cell holds a formula; earlyhelp reads only values.")}
        for name, value in values.items()
        if isinstance(value, Formula)
    ]
    if problems:
        return None, problems
    form = form_class(
        {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()},
        country=country,
    )
    if form.is_valid():
        return form.cleaned_data, []
    return None, [
        {"field": None if name == "__all__" else name, "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]


def check_row(values: dict, country: str) -> tuple[dict | None, list[dict]]:
    """A roster row (children, parents, classes) checked."""
    return check_values(RowForm, values, country)
