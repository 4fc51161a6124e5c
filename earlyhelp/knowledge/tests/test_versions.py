"""Every change of a catalogue entry is kept as a version, and only its keepers change it."""

import pytest
from django.core.exceptions import PermissionDenied

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.knowledge.catalogue import method_create, method_update
from earlyhelp.knowledge.models import Method
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _method(world, **data):
    return method_create(
        user=world.users[Role.SUPERVISOR],
        municipality=world.municipality_a,
        data={"name": "Homework club", **data},
        note="First described",
    )


def test_each_change_writes_the_version_it_becomes(world):
    method = _method(world)
    assert [(v.number, v.content["name"]) for v in method.versions.all()] == [(1, "Homework club")]

    method_update(
        user=world.users[Role.ADMIN],
        method=method,
        data={"name": "Homework and reading club", "stage": Method.Stage.PROTOTYPE},
        version=1,
        note="Reading added",
    )

    versions = list(method.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content["stage"] == Method.Stage.IDEA
    assert versions[1].content["stage"] == Method.Stage.PROTOTYPE
    assert versions[1].note == "Reading added"


def test_a_stale_change_is_refused_and_writes_no_version(world):
    method = _method(world)
    method_update(user=world.users[Role.ADMIN], method=method, data={"name": "A"}, version=1)
    with pytest.raises(StaleVersionError):
        method_update(
            user=world.users[Role.ADMIN],
            method=Method.objects.get(pk=method.pk),
            data={"name": "B"},
            version=1,
        )
    assert method.versions.count() == 2


def test_everyone_of_the_municipality_sees_it_and_only_keepers_change_it(world):
    method = _method(world)
    for role, user in world.users.items():
        assert visible(user, Method.objects.all()).filter(pk=method.pk).exists(), role
    keepers = {role for role, user in world.users.items() if can(user, Action.CHANGE, method)}
    assert keepers == {Role.ADMIN, Role.MANAGER, Role.SUPERVISOR}
    for role, user in world.outsiders.items():
        assert not visible(user, Method.objects.all()).filter(pk=method.pk).exists(), role
    with pytest.raises(PermissionDenied):
        method_update(user=world.users[Role.EDUCATOR], method=method, data={}, version=1)


def test_the_people_responsible_keep_it(world):
    helper = world.users[Role.SOCIAL_HELPER]
    method = _method(world)
    assert not can(helper, Action.CHANGE, method)
    method.responsible.add(helper)
    assert can(helper, Action.CHANGE, method)
