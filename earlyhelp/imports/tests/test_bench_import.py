"""The benchmark's roster import, small: a first load creates every child, parent and class;
the same file again changes nothing."""

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_a_generated_roster_loads_and_loads_again_without_a_change(world, tmp_path):
    output = tmp_path / "import.json"
    call_command("bench_import", "--children", "300", "--output", str(output))
    result = json.loads(output.read_text())
    first, again = result["first"], result["again"]
    assert first["found"]["create"] == 300 and first["found"]["bad"] == 0
    assert first["written"]["children_created"] == 300
    assert first["written"]["enrolments_created"] == 300
    assert first["written"]["adults_created"] < first["written"]["relationships_created"]
    assert again["found"]["unchanged"] == 300, again["found"]
    assert again["written"].get("children_created", 0) == 0
    assert again["written"].get("relationships_created", 0) == 0
