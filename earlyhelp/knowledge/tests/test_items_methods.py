"""A service's own methods as data: the shipped default is today's lists; a keeper renames,
adds, reorders and retires items, each save a new version; records keep the version they were
made under, so renewing a method never rewrites an old record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from earlyhelp.cases.tests.test_cases import _open
from earlyhelp.contacts import services as contacts
from earlyhelp.contacts.models import Arrangement, Competence
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.fostercare import services as fostercare
from earlyhelp.fostercare.models import MethodStep
from earlyhelp.knowledge.items import (
    KINDS,
    Kind,
    current_version,
    entry_for,
    items_of,
    items_update,
)
from earlyhelp.knowledge.models import Method
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Relationship
from earlyhelp.safety import services as safety
from earlyhelp.safety.models import Tool
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db

SHIPPED = {
    Kind.CONTACT_STAGES: Arrangement.Stage,
    Kind.CONTACT_COMPETENCES: Competence,
    Kind.FOSTERCARE_STEPS: MethodStep,
    Kind.SAFETY_TOOLS: Tool,
}


def rows(entry, **changes):
    """The entry's items as the page posts them back; `changes` by code: a dict of what to
    change (label, order, in_use)."""
    return [
        {
            "code": item["code"],
            "label": item.get("label", ""),
            "order": place,
            "in_use": not item.get("retired"),
            **changes.get(item["code"], {}),
        }
        for place, item in enumerate(entry.items, start=1)
    ]


def edit(world, entry, added=(), user=None, **changes):
    return items_update(
        user=user or world.users[Role.SUPERVISOR],
        entry=entry,
        rows=rows(entry, **changes),
        added=list(added),
        version=entry.version,
    )


def arrangement(world, competences=("needs",)):
    father = f.AdultFactory(municipality=world.municipality_a)
    f.RelationshipFactory(child=world.inside, adult=father, kind=Relationship.Kind.FATHER)
    return contacts.arrangement_create(
        user=world.users[Role.CASE_WORKER], service=world.service_a, child=world.inside,
        data={
            "visitor": father, "basis": "agreement", "competences": list(competences),
            "frequency": "weekly", "minutes": 60, "starts_on": timezone.localdate(),
        },
    )  # fmt: skip


def test_the_shipped_default_is_todays_lists(world):
    for kind in KINDS:
        entry = entry_for(world.service_a, kind)
        assert entry.code == "shipped" and entry.version == 1
        shipped = [(c.value, str(c.label)) for c in SHIPPED[kind]]
        assert items_of(current_version(world.service_a, kind), kind).choices == shipped
        # A record that keeps no version reads the same.
        assert items_of(None, kind).choices == shipped
        assert entry_for(world.service_a, kind) == entry
    assert Method.objects.filter(service=world.service_a).count() == len(KINDS)


def test_a_renamed_and_added_stage_is_offered_to_new_arrangements_and_old_ones_keep_theirs(
    world,
):
    old = arrangement(world)
    assert old.stage == Arrangement.Stage.AGREEMENT
    entry = entry_for(world.service_a, Kind.CONTACT_STAGES)
    edit(
        world, entry, added=["Unsupervised contact"],
        handover={"label": "Guided handover", "order": 1}, agreement={"order": 2},
    )  # fmt: skip
    assert entry.version == 2
    new = arrangement(world)
    assert new.stages_version.number == 2
    assert new.stages.choices == [
        ("handover", "Guided handover"),
        ("agreement", "Agreement"),
        ("assisted", "Assisted contact"),
        ("unsupervised_con", "Unsupervised contact"),
    ]
    assert new.stage == "handover"  # a new arrangement starts at the first stage
    old = Arrangement.objects.get(pk=old.pk)
    assert old.stages.choices == [(c.value, str(c.label)) for c in Arrangement.Stage]
    with pytest.raises(ValidationError, match="different stage"):
        contacts.arrangement_stage(
            user=world.users[Role.CASE_WORKER], arrangement=old, stage="unsupervised_con",
            on=timezone.localdate(), reason="", version=old.version,
        )  # fmt: skip
    contacts.arrangement_stage(
        user=world.users[Role.CASE_WORKER], arrangement=new, stage="unsupervised_con",
        on=timezone.localdate(), reason="", version=new.version,
    )  # fmt: skip
    assert new.get_stage_display() == "Unsupervised contact"


def test_an_arrangement_works_only_on_the_competences_of_its_version(world):
    old = arrangement(world)
    entry = entry_for(world.service_a, Kind.CONTACT_COMPETENCES)
    edit(world, entry, added=["Comforts the child"], warmth={"in_use": False})
    # A new item's code is made from its name, short, and never changes.
    new = arrangement(world, competences=("needs", "comforts_the_chi"))
    assert new.competence_labels() == [
        ("needs", str(Competence.NEEDS.label)),
        ("comforts_the_chi", "Comforts the child"),
    ]
    assert "warmth" not in new.competence_items.codes
    with pytest.raises(ValidationError, match="Not a competence of this arrangement's method"):
        contacts.arrangement_update(
            user=world.users[Role.CASE_WORKER], arrangement=old,
            data={"competences": ["comforts_the_chi"]}, version=old.version,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="warmth"):
        arrangement(world, competences=("warmth",))


def test_an_item_a_record_follows_is_retired_and_one_nobody_followed_is_dropped(world):
    old = arrangement(world)
    entry = entry_for(world.service_a, Kind.CONTACT_STAGES)
    edit(world, entry, added=["Trial"])
    # Nobody followed version 2: its own stage goes; the shipped ones old follows stay, retired.
    edit(world, entry, trial={"in_use": False}, assisted={"in_use": False})
    assert entry.items == [
        {"code": "agreement", "label": ""},
        {"code": "handover", "label": ""},
        {"code": "assisted", "label": "", "retired": True},
    ]
    new = arrangement(world)
    assert new.stages.codes == ["agreement", "handover"]
    assert new.stages.label("assisted") == "Assisted contact"
    assert Arrangement.objects.get(pk=old.pk).stages.codes == ["agreement", "handover", "assisted"]
    # Brought back into use, it keeps its code.
    edit(world, entry, assisted={"in_use": True})
    assert [i["code"] for i in entry.items] == ["agreement", "handover", "assisted"]
    with pytest.raises(ValidationError, match="at least one"):
        edit(world, entry, **{c: {"in_use": False} for c in ("agreement", "handover", "assisted")})


def test_a_stale_edit_is_refused(world):
    entry = entry_for(world.service_a, Kind.FOSTERCARE_STEPS)
    stale = Method.objects.get(pk=entry.pk)
    edit(world, entry, intake={"label": "First visit"})
    with pytest.raises(StaleVersionError):
        edit(world, stale, review={"label": "Review"})
    assert entry.versions.count() == 2


def test_only_the_keepers_change_a_method(world):
    entry = entry_for(world.service_a, Kind.SAFETY_TOOLS)
    for role in (Role.CASE_WORKER, Role.SOCIAL_HELPER, Role.EDUCATOR):
        with pytest.raises(PermissionDenied):
            edit(world, entry, user=world.users[role], mapping={"label": "Map"})
    with pytest.raises(PermissionDenied):
        edit(world, entry, user=world.outsiders[Role.ADMIN], mapping={"label": "Map"})
    edit(world, entry, user=world.users[Role.MANAGER], mapping={"label": "Map"})
    assert entry.versions.count() == 2


def test_a_household_ticks_the_steps_of_its_own_version(world):
    worker = world.users[Role.CASE_WORKER]
    old = fostercare.household_create(user=worker, service=world.service_a, data={"name": "A"})
    edit(world, entry_for(world.service_a, Kind.FOSTERCARE_STEPS), added=["Peer group joined"])
    new = fostercare.household_create(user=worker, service=world.service_a, data={"name": "B"})
    fostercare.step_set(user=worker, household=new, step="peer_group_joine", done=True)
    assert str(new.steps.get()) == "Peer group joined"
    with pytest.raises(ValidationError, match="Not a step of this household's support method"):
        fostercare.step_set(user=worker, household=old, step="peer_group_joine", done=True)


def test_a_case_keeps_the_tools_it_began_with(world):
    helper = world.users[Role.SOCIAL_HELPER]
    old = _open(world)
    safety.mapping_add(user=helper, case=old, category="safety", text="Grandma checks in.")
    assert old.safety_tools_version.number == 1
    edit(world, entry_for(world.service_a, Kind.SAFETY_TOOLS), three_houses={"in_use": False})
    new = _open(world)
    assert "three_houses" not in safety.case_tools(new).codes
    safety.scaling_answer(
        user=helper, case=new, respondent="parent", respondent_name="Anya", score=4,
        answered_on=timezone.localdate(),
    )  # fmt: skip
    assert new.safety_tools_version.number == 2
    with pytest.raises(ValidationError, match="do not include"):
        safety.three_houses(
            user=helper, case=new, child=world.inside, held_on=timezone.localdate(),
            worries="", good_things="", dreams="", drawing=None,
        )  # fmt: skip
    assert "three_houses" in safety.case_tools(old).codes
