"""What a second reader found in foster-carer support: names of restricted children, audit
rows per person, the carers' own records, a former key worker, and editing agreements and
placements."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.policy import Action, can
from earlyhelp.audit.models import AuditEvent
from earlyhelp.fostercare import services
from earlyhelp.fostercare.models import Placement
from earlyhelp.fostercare.tests.test_fostercare import _family
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Adult

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_restricted_childs_name_stays_off_the_page_for_those_outside_the_team(world, signed_in):
    worker = world.users[Role.CASE_WORKER]  # on Luca's team
    household = _family(world)
    placement = services.placement_create(
        user=worker, household=household, child=world.secret,
        data={"kind": Placement.Kind.TEMPORARY, "starts_on": TODAY - timedelta(days=20)},
    )  # fmt: skip
    services.respite_record(
        user=worker, household=household, placement=placement,
        starts_on=TODAY - timedelta(days=5), ends_on=TODAY - timedelta(days=4),
    )  # fmt: skip
    page = signed_in(world.users[Role.SUPERVISOR]).get(household.get_absolute_url())
    assert page.status_code == 200
    assert world.secret.family_name not in page.content.decode()
    own = signed_in(worker).get(household.get_absolute_url()).content.decode()
    assert world.secret.family_name in own


def test_reads_are_audited_for_each_person_named_and_the_list_by_ids(world, signed_in):
    household = _family(world)
    client = signed_in(world.users[Role.CASE_WORKER])
    client.get(household.get_absolute_url())
    subjects = set(
        AuditEvent.objects.filter(
            action="view", object_type="fostercare.household", object_id=str(household.pk)
        ).values_list("subject", flat=True)
    )
    carers = household.carers.values_list("adult_id", flat=True)
    assert f"people.child:{world.inside.pk}" in subjects
    assert {f"people.adult:{pk}" for pk in carers} <= subjects
    client.get(reverse("fostercare:list"))
    listed = AuditEvent.objects.get(action="list", object_type="fostercare.household")
    assert listed.changes["households"] == [household.pk] and listed.subject == ""


def test_a_carers_own_address_is_protected_versioned_and_audited(world):
    worker = world.users[Role.CASE_WORKER]
    household = _family(world)
    grandmother = Adult.objects.create(
        municipality=world.municipality_a, given_name="Marie", family_name="Dvořáková",
        kind=Adult.Kind.OTHER, address="Polní 3",
    )  # fmt: skip
    world.inside.relationships.create(adult=grandmother, kind="grandparent")
    services.carer_add(user=worker, household=household, adult=grandmother)
    grandmother.refresh_from_db()
    assert grandmother.address_protected and grandmother.kind == Adult.Kind.FOSTER_CARER
    assert grandmother.version == 3  # two changes, each a new version
    rows = AuditEvent.objects.filter(object_type="people.adult", object_id=str(grandmother.pk))
    assert {tuple(sorted(r.changes)) for r in rows} == {("kind",), ("address_protected",)}
    assert all(
        a.address_protected
        for a in Adult.objects.filter(pk__in=household.carers.values("adult_id"))
    )


def test_a_former_key_worker_loses_the_household(world):
    worker, supervisor = world.users[Role.CASE_WORKER], world.users[Role.SUPERVISOR]
    household = _family(world, signed_on=TODAY - timedelta(days=400))
    agreement = household.agreements.get()
    services.agreement_update(
        user=supervisor, agreement=agreement, version=agreement.version,
        data={"ends_on": TODAY - timedelta(days=10)},
    )  # fmt: skip
    agreement.refresh_from_db()
    assert agreement.ends_on == TODAY - timedelta(days=10)
    # The case worker now works in another service: the ended agreement gives nothing.
    worker.memberships.update(service=None)
    from earlyhelp.accounts.models import User

    fresh = User.objects.get(pk=worker.pk)
    assert not can(fresh, Action.VIEW, household)


def test_a_placement_can_be_changed(world):
    worker = world.users[Role.CASE_WORKER]
    household = _family(world)
    placement = household.placements.get()
    services.placement_update(
        user=worker, placement=placement, version=placement.version,
        data={"ends_on": TODAY - timedelta(days=1)},
    )  # fmt: skip
    placement.refresh_from_db()
    assert placement.ends_on == TODAY - timedelta(days=1)


def test_the_birth_familys_worker_on_the_childs_team_never_sees_the_carers_address(world):
    from earlyhelp.tests import factories as f

    def address_shown(user, adult):
        return can(user, Action.VIEW_CONTACT, adult)

    household = _family(world)
    carer = household.carers.first().adult
    carer.address = "Lipová 12"
    carer.save(update_fields=["address"])
    # The birth mother's contact worker: a case worker of another service, on Bence's team.
    other = f.ServiceFactory(municipality=world.municipality_a)
    contact_worker = f.UserFactory(municipality=world.municipality_a)
    f.MembershipFactory(
        user=contact_worker, role=Role.CASE_WORKER, municipality=world.municipality_a,
        service=other,
    )  # fmt: skip
    world.inside.team_members.create(user=contact_worker)
    world.inside.relationships.create(adult=carer, kind="other")
    assert not address_shown(contact_worker, carer)
    assert address_shown(world.users[Role.CASE_WORKER], carer)
