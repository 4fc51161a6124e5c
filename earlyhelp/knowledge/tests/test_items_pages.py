"""The page of a service's own method, as its keepers and its readers use it, and the pages of
records that follow an older version of the method."""

import pytest
from django.urls import reverse

from earlyhelp.cases.tests.test_cases import _open
from earlyhelp.fostercare import services as fostercare
from earlyhelp.knowledge.items import Kind, entry_for
from earlyhelp.knowledge.tests.test_items_methods import arrangement, edit
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def page(world, kind=Kind.CONTACT_STAGES):
    return reverse("knowledge:items", args=[world.service_a.pk, kind])


def posted(entry, **fields):
    """The form as the page sends it back, unchanged but for `fields`."""
    data = {"version": entry.version, "note": ""}
    for place, item in enumerate(entry.items, start=1):
        data[f"label__{item['code']}"] = item.get("label", "")
        data[f"order__{item['code']}"] = place
        if not item.get("retired"):
            data[f"use__{item['code']}"] = "on"
    data.update(fields)
    return data


def test_a_keeper_renames_and_adds_a_stage_and_the_history_shows_both_versions(world, signed_in):
    client = signed_in(world.users[Role.SUPERVISOR])
    assert client.get(page(world)).status_code == 200
    entry = entry_for(world.service_a, Kind.CONTACT_STAGES)
    response = client.post(
        page(world),
        posted(entry, label__handover="Guided handover", new__1="Trial weekend",
               note="After the pilot's review"),
    )  # fmt: skip
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.version == 2
    text = client.get(page(world)).content.decode()
    assert "Guided handover" in text and "Trial weekend" in text
    assert "Version 2" in text and "Version 1" in text and "After the pilot&#x27;s review" in text


def test_a_stale_save_is_refused_and_what_was_typed_is_kept(world, signed_in):
    entry = entry_for(world.service_a, Kind.CONTACT_STAGES)
    stale = posted(entry, new__1="Typed late")
    edit(world, entry, agreement={"label": "Agreement first"})
    response = signed_in(world.users[Role.MANAGER]).post(page(world), stale)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Someone else changed this record" in text and 'value="Typed late"' in text
    assert entry.versions.count() == 2


def test_readers_see_the_method_keepers_change_it_and_outsiders_find_nothing(world, signed_in):
    entry = entry_for(world.service_a, Kind.CONTACT_STAGES)
    worker = signed_in(world.users[Role.CASE_WORKER])
    response = worker.get(page(world))
    assert response.status_code == 200 and "Change the list" not in response.content.decode()
    assert worker.post(page(world), posted(entry, new__1="Mine")).status_code == 403
    outsider = signed_in(world.outsiders[Role.SUPERVISOR])
    assert outsider.get(page(world)).status_code == 404
    assert outsider.post(page(world), posted(entry, new__1="Mine")).status_code == 404
    assert entry.versions.count() == 1
    # A kind of method the service does not follow has no page.
    assert worker.get(page(world, "intervention")).status_code == 404


def test_the_index_lists_the_methods_of_ones_own_services(world, signed_in):
    text = signed_in(world.users[Role.EDUCATOR]).get(reverse("knowledge:items_index"))
    text = text.content.decode()
    assert page(world) in text and page(world, Kind.SAFETY_TOOLS) in text
    assert reverse("knowledge:items", args=[world.outsiders[Role.CASE_WORKER].memberships.get(
    ).service_id, Kind.CONTACT_STAGES]) not in text  # fmt: skip


def test_an_old_arrangement_shows_its_old_stages_and_a_new_one_the_new(world, signed_in):
    old = arrangement(world)
    edit(
        world, entry_for(world.service_a, Kind.CONTACT_STAGES), added=["Trial weekend"],
        handover={"label": "Guided handover"},
    )  # fmt: skip
    new = arrangement(world)
    client = signed_in(world.users[Role.CASE_WORKER])
    old_page = client.get(old.get_absolute_url()).content.decode()
    new_page = client.get(new.get_absolute_url()).content.decode()
    assert "Facilitated handover" in old_page and "Trial weekend" not in old_page
    assert "Guided handover" in new_page and "Trial weekend" in new_page


def test_a_new_household_shows_the_new_step_and_an_old_one_its_old_checklist(world, signed_in):
    worker = world.users[Role.CASE_WORKER]
    old = fostercare.household_create(user=worker, service=world.service_a, data={"name": "A"})
    edit(world, entry_for(world.service_a, Kind.FOSTERCARE_STEPS), added=["Peer group joined"])
    new = fostercare.household_create(user=worker, service=world.service_a, data={"name": "B"})
    client = signed_in(worker)
    assert "Peer group joined" not in client.get(old.get_absolute_url()).content.decode()
    assert "Peer group joined" in client.get(new.get_absolute_url()).content.decode()


def test_a_case_offers_only_the_tools_of_its_version(world, signed_in):
    edit(world, entry_for(world.service_a, Kind.SAFETY_TOOLS), three_houses={"in_use": False})
    case = _open(world)
    text = (
        signed_in(world.users[Role.SOCIAL_HELPER])
        .get(reverse("safety:page", args=[case.pk]))
        .content.decode()
    )
    assert reverse("safety:scaling_add", args=[case.pk]) in text
    assert reverse("safety:three_houses", args=[case.pk]) not in text
