import pytest

from earlyhelp.core.text import fold_text


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Szőke", "szoke"),
        ("Řezníček", "reznicek"),
        ("Søren", "soren"),
        ("Ærø  Ålborg", "aero alborg"),
        ("ÁRVÍZTŰRŐ tükörfúrógép", "arvizturo tukorfurogep"),
    ],
)
def test_fold_text_strips_diacritics_of_all_three_languages(name, folded):
    assert fold_text(name) == folded
