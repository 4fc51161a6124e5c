"""Django's own strings (the administration, sign-in, validation) read in every language of
earlyhelp: what Django's catalogues leave out, earlyhelp's catalogue says
(organisations/django_strings.py)."""

import ast
from pathlib import Path

import django
import pytest
from django.utils import translation
from django.utils.translation import trans_real

CATALOGUES = ("contrib/admin", "contrib/auth", "conf")


def source_keys(catalogue: str) -> list:
    """The key of every msgid of one of Django's catalogues (its English .po, which lists
    them all) as a compiled catalogue holds it: a context before \\x04, a plural by its first
    form."""
    po = Path(django.__file__).parent / catalogue / "locale" / "en" / "LC_MESSAGES" / "django.po"
    keys = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields, current = {}, None
        for line in block.splitlines():
            if line.startswith(("msgctxt ", "msgid ", "msgid_plural ")):
                current, _, line = line.partition(" ")
                fields[current] = ""
            elif line.startswith("msgstr"):
                current = None
            if current and line.startswith('"'):
                fields[current] += ast.literal_eval(line)
        if not fields.get("msgid"):
            continue  # the header, or an obsolete entry (#~)
        key = fields["msgid"]
        if "msgctxt" in fields:
            key = f"{fields['msgctxt']}\x04{key}"
        keys.append((key, 0) if "msgid_plural" in fields else key)
    return keys


@pytest.mark.parametrize("language", ["hu", "cs", "da"])
def test_every_string_of_the_administration_is_translated(language):
    with translation.override(language):
        catalogue = trans_real.translation(language)._catalog
        missing = [
            key for name in CATALOGUES for key in source_keys(name) if catalogue.get(key) is None
        ]
    assert missing == []
