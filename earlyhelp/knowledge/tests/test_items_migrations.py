"""The migrations that made records keep their method's version point every existing record to
the shipped version of its service, made then if the service had none."""

import importlib

import pytest
from django.apps import apps

from earlyhelp.cases.tests.test_cases import _open
from earlyhelp.contacts.models import Arrangement
from earlyhelp.fostercare import services as fostercare
from earlyhelp.fostercare.models import Household
from earlyhelp.knowledge.items import Kind, entry_for
from earlyhelp.knowledge.models import Method
from earlyhelp.knowledge.tests.test_items_methods import arrangement
from earlyhelp.organisations.models import Role
from earlyhelp.safety import services as safety

pytestmark = pytest.mark.django_db


def _migrate(app: str, name: str) -> None:
    importlib.import_module(f"earlyhelp.{app}.migrations.{name}").point_to_shipped(apps, None)


def test_existing_records_point_to_their_services_shipped_version(world):
    made = arrangement(world)
    household = fostercare.household_create(
        user=world.users[Role.CASE_WORKER], service=world.service_a, data={"name": "A"}
    )
    case = _open(world)
    safety.mapping_add(
        user=world.users[Role.SOCIAL_HELPER], case=case, category="safety", text="Grandma."
    )
    # As before the migrations: no entries, no versions kept.
    Arrangement.objects.update(stages_version=None, competences_version=None)
    Household.objects.update(steps_version=None)
    type(case).objects.update(safety_tools_version=None)
    Method.objects.all().delete()

    _migrate("contacts", "0005_arrangements_follow_shipped")
    _migrate("fostercare", "0006_households_follow_shipped")
    _migrate("safety", "0005_meetings_follow_shipped")

    made = Arrangement.objects.get(pk=made.pk)
    household = Household.objects.get(pk=household.pk)
    case.refresh_from_db()
    for version, kind in (
        (made.stages_version, Kind.CONTACT_STAGES),
        (made.competences_version, Kind.CONTACT_COMPETENCES),
        (household.steps_version, Kind.FOSTERCARE_STEPS),
        (case.safety_tools_version, Kind.SAFETY_TOOLS),
    ):
        entry = entry_for(world.service_a, kind)
        assert version.method == entry and entry.code == "shipped", kind
        assert [i["code"] for i in version.items] == [i["code"] for i in entry.items]
    # Run again, it makes nothing twice.
    _migrate("contacts", "0005_arrangements_follow_shipped")
    assert Method.objects.filter(service=world.service_a).count() == 4
