import pytest

from earlyhelp.core.versioning import StaleVersionError, posted_version, update_versioned
from earlyhelp.tests.factories import ChildFactory


@pytest.mark.django_db
def test_a_save_based_on_an_old_version_is_refused():
    child = ChildFactory(given_name="Anna")
    first_editor = type(child).objects.get(pk=child.pk)
    second_editor = type(child).objects.get(pk=child.pk)

    update_versioned(first_editor, expected_version=1, fields={"given_name": "Anikó"})
    with pytest.raises(StaleVersionError):
        update_versioned(second_editor, expected_version=1, fields={"given_name": "Andrea"})

    child.refresh_from_db()
    assert child.given_name == "Anikó"
    assert child.version == 2


@pytest.mark.parametrize(
    ("sent", "version"),
    [("3", 3), (" 3 ", 3), ("", 0), (None, 0), ("3\x00", 0), ("²", 0), ("٣", 0), ("-1", 0),
     ("9" * 25, 0)],
)  # fmt: skip
def test_a_posted_version_that_is_no_plain_number_counts_as_stale(sent, version):
    assert posted_version(sent) == version
