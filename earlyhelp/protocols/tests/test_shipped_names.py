"""The profiles and countries shipped in migrations, and the rules of their deadlines, read in
the reader's language; what an administrator named themselves is shown as named."""

import pytest
from django.utils import translation

from earlyhelp.organisations.models import Jurisdiction
from earlyhelp.protocols.deadlines import DEFAULT, LAW, SETTING, basis_display, basis_text
from earlyhelp.protocols.models import Profile

pytestmark = pytest.mark.django_db


def test_the_shipped_profiles_and_countries_are_named_in_each_language():
    hungary = Profile.objects.filter(key="HU").first()
    assert hungary.name == "Hungary: Gyvt. 17. §"  # stored as shipped, never rewritten
    with translation.override("hu"):
        assert hungary.display_name() == "Magyarország: Gyvt. 17. §"
        assert str(hungary.jurisdiction) == "Magyarország"
    with translation.override("da"):
        assert Profile.objects.filter(key="DK").first().display_name() == "Danmark: Barnets Lov"
        assert str(Jurisdiction.objects.get(code="CZ")) == "Tjekkiet"
    with translation.override("cs"):
        names = {p.key: p.display_name() for p in Profile.objects.published()}
        assert names["GENERIC"] == "Obecný: nastavení obce" and "zákon č. 359/1999" in names["CZ"]
    assert hungary.display_name() == hungary.name  # English reads the stored text


def test_a_name_an_administrator_gave_is_shown_as_given():
    draft = Profile(key="HU", version=99, name="Magyar jelzőrendszer (helyi)")
    country = Jurisdiction(code="DK", name="Kongeriget Danmark")
    with translation.override("cs"):
        assert draft.display_name() == "Magyar jelzőrendszer (helyi)"
        assert country.display_name() == "Kongeriget Danmark"


def _every_basis():
    for profile in Profile.objects.all():
        for rule in profile.rules["deadlines"]:
            origins = [LAW] if "amount" in rule else [SETTING, DEFAULT]
            for origin, amount in ((o, a) for o in origins for a in (1, 2, 5, 24)):
                yield {"unit": rule["unit"], "amount": amount, "origin": origin,
                       "source": rule.get("source", "")}  # fmt: skip


@pytest.mark.parametrize("language", ["hu", "cs", "da"])
def test_a_stored_rule_is_said_again_in_the_readers_language(language):
    for parts in _every_basis():
        stored = basis_text(**parts)  # concerns store it in English (settings.LANGUAGE_CODE)
        with translation.override(language):
            assert basis_display(stored) == basis_text(**parts), stored
    with translation.override(language):
        shown = basis_display("24 hours (Barnets Lov)")
        assert "Barnets Lov" in shown and "hours" not in shown
        shown = basis_display("2 working days (municipal setting, earlyhelp default)")
        assert "earlyhelp" in shown and "municipal" not in shown and shown.startswith("2 ")
        # Anything else (another language, typed by hand) is shown as it is.
        assert basis_display("2 munkanap (helyi szabály)") == "2 munkanap (helyi szabály)"
        assert basis_display("") == ""
