"""A choice of several rows refuses an id no integer column can hold, instead of letting the
database driver fail on it (an OverflowError on SQLite, a DataError on PostgreSQL)."""

import pytest
from django import forms

from earlyhelp.core.forms import RowsField
from earlyhelp.people.models import Child


class PickForm(forms.Form):
    children = RowsField(queryset=Child.objects.all(), required=False)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [str(2**63), str(-(2**63) - 1), str(10**30)])
def test_an_id_beyond_the_column_is_refused_as_not_offered(world, value):
    form = PickForm(data={"children": [str(world.inside.pk), value]})
    assert not form.is_valid()
    assert form.errors.as_data()["children"][0].code == "invalid_choice"


@pytest.mark.django_db
def test_offered_ids_are_still_chosen(world):
    form = PickForm(data={"children": [str(world.inside.pk)]})
    assert form.is_valid()
    assert list(form.cleaned_data["children"]) == [world.inside]
