import pytest

from earlyhelp.core.versioning import StaleVersionError, update_versioned
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
