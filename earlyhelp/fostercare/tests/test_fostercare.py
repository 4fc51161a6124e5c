"""Foster-carer support, told as the service lives it: the Novák family signs a support
agreement with the key worker, takes in Bence, attends training and takes respite; the rules
say what is met, what falls due within 30 days and what was missed; the alerts go out once;
and the family's address stays hidden from the birth family's side."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.audit.models import AuditEvent
from earlyhelp.contacts.models import Arrangement
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.fostercare import rules, selectors, services
from earlyhelp.fostercare.access import fostercare_figures_for
from earlyhelp.fostercare.models import (
    ChecklistStep,
    Household,
    Placement,
    Requirement,
    RequirementRule,
    Respite,
    Training,
    Visit,
)
from earlyhelp.notifications.models import Notification
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Adult
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _family(world, *, signed_on=None, child=None, user=None):
    """The Nováks: two carers, a support agreement with the case worker as key worker, and
    Bence placed with them long-term."""
    worker = user or world.users[Role.CASE_WORKER]
    household = services.household_create(
        user=worker, service=world.service_a,
        data={"name": "Novákovi", "address": "Lipová 12", "address_protected": False},
    )  # fmt: skip
    signed_on = signed_on or TODAY - timedelta(days=100)
    services.carer_create(
        user=worker, household=household, given_name="Jana", family_name="Nováková"
    )
    services.carer_create(user=worker, household=household, given_name="Petr", family_name="Novák")
    services.agreement_create(
        user=worker, household=household,
        data={"key_worker": world.users[Role.CASE_WORKER], "reference": "DPP 1/2026",
              "signed_on": signed_on},
    )  # fmt: skip
    services.placement_create(
        user=worker, household=household, child=child or world.inside,
        data={"kind": Placement.Kind.LONG_TERM, "starts_on": signed_on},
    )  # fmt: skip
    return household


def _status(household, code, today, carer=None):
    compliance = rules.compliance_of(household, today)
    found = [r for r in compliance.requirements if r.code == code]
    if carer is not None:
        found = [r for r in found if r.carer == carer]
    return found[0]


# --- Rules ----------------------------------------------------------------------------------


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)
    assert rules.add_months(date(2026, 3, 10), -12) == date(2025, 3, 10)


def test_the_key_worker_contact_is_due_two_months_after_the_last(world):
    household = _family(world, signed_on=date(2026, 1, 5))
    Visit.objects.create(
        household=household, municipality=household.municipality, kind="key_worker_contact",
        on=date(2026, 3, 10), by=world.users[Role.CASE_WORKER],
    )  # fmt: skip
    # More than 30 days before the next is due: met.
    met = _status(household, Requirement.KEY_WORKER_CONTACT, date(2026, 4, 1))
    assert (met.status, met.due_on, met.last_on) == (
        rules.MET,
        date(2026, 5, 10),
        date(2026, 3, 10),
    )
    # Exactly 30 days before: due soon (the alert window).
    soon = _status(household, Requirement.KEY_WORKER_CONTACT, date(2026, 4, 10))
    assert soon.status == rules.DUE_SOON
    assert _status(household, Requirement.KEY_WORKER_CONTACT, date(2026, 4, 9)).status == rules.MET
    assert (
        _status(household, Requirement.KEY_WORKER_CONTACT, date(2026, 5, 10)).status
        == rules.DUE_SOON
    )
    assert (
        _status(household, Requirement.KEY_WORKER_CONTACT, date(2026, 5, 11)).status == rules.MISSED
    )


def test_counselling_is_due_six_months_after_the_last_or_after_signing(world):
    household = _family(world, signed_on=date(2026, 1, 5))
    first = _status(household, Requirement.COUNSELLING, date(2026, 6, 10))
    assert (first.status, first.due_on, first.last_on) == (rules.DUE_SOON, date(2026, 7, 5), None)
    Visit.objects.create(
        household=household, municipality=household.municipality, kind="counselling",
        on=date(2026, 6, 1), by=world.users[Role.CASE_WORKER],
    )  # fmt: skip
    after = _status(household, Requirement.COUNSELLING, date(2026, 6, 10))
    assert (after.status, after.due_on) == (rules.MET, date(2026, 12, 1))
    # Another kind of visit does not count.
    Visit.objects.create(
        household=household, municipality=household.municipality, kind="other",
        on=date(2026, 12, 20), by=world.users[Role.CASE_WORKER],
    )  # fmt: skip
    assert _status(household, Requirement.COUNSELLING, date(2026, 12, 20)).status == rules.MISSED


def test_training_hours_are_counted_per_carer_in_the_agreements_12_month_period(world):
    household = _family(world, signed_on=date(2025, 3, 1))
    jana, petr = list(household.carers.all())
    for carer, on, hours in (
        (jana, date(2025, 5, 1), 24), (petr, date(2025, 6, 1), 24),  # the first year: met
        (jana, date(2026, 4, 1), 12), (jana, date(2026, 9, 1), 8), (petr, date(2026, 3, 2), 24),
        (jana, date(2026, 2, 27), 6),  # in the first period, not the second
    ):  # fmt: skip
        Training.objects.create(
            household=household, municipality=household.municipality, carer=carer, on=on,
            title="Kurz", hours=Decimal(hours), recorded_by=world.users[Role.CASE_WORKER],
        )  # fmt: skip
    jana_now = _status(household, Requirement.TRAINING, date(2026, 10, 1), carer=jana)
    assert jana_now.due_on == date(2027, 2, 28)
    assert (jana_now.status, jana_now.done, jana_now.left) == (rules.ON_TRACK, 20, 4)
    jana_late = _status(household, Requirement.TRAINING, date(2027, 2, 1), carer=jana)
    assert jana_late.status == rules.DUE_SOON
    assert (
        _status(household, Requirement.TRAINING, date(2026, 10, 1), carer=petr).status == rules.MET
    )
    # A period that ended short is missed until the new period's hours are done.
    assert (
        _status(household, Requirement.TRAINING, date(2027, 3, 5), carer=jana).status
        == rules.MISSED
    )


def test_respite_counts_only_once_a_placed_child_is_two(world):
    world.inside.birth_date = date(2024, 6, 15)
    world.inside.save()
    household = _family(world, signed_on=date(2025, 1, 1))
    placement = household.placements.get()
    baby = _status(household, Requirement.RESPITE, date(2026, 6, 14))
    assert baby.status == rules.NOT_APPLICABLE
    Respite.objects.create(
        household=household, municipality=household.municipality, placement=placement,
        starts_on=date(2025, 12, 29), ends_on=date(2026, 1, 3),
        recorded_by=world.users[Role.CASE_WORKER],
    )  # fmt: skip
    two = _status(household, Requirement.RESPITE, date(2026, 6, 15))
    # Only the days of this calendar year count: 1 to 3 January.
    assert (two.status, two.done, two.left, two.due_on) == (
        rules.ON_TRACK,
        3,
        11,
        date(2026, 12, 31),
    )
    assert _status(household, Requirement.RESPITE, date(2026, 12, 1)).status == rules.DUE_SOON
    Respite.objects.create(
        household=household, municipality=household.municipality, placement=placement,
        starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 11),
        recorded_by=world.users[Role.CASE_WORKER],
    )  # fmt: skip
    full = _status(household, Requirement.RESPITE, date(2026, 12, 1))
    assert (full.status, full.done, full.left) == (rules.MET, 14, 0)


def test_a_municipality_sets_its_own_rules_or_switches_one_off(world):
    household = _family(world, signed_on=date(2026, 1, 5))
    RequirementRule.objects.create(
        municipality=world.municipality_a, code="key_worker_contact", amount=1, months=1
    )
    RequirementRule.objects.create(
        municipality=world.municipality_a, code="respite", amount=14, active=False,
        period="calendar_year",
    )  # fmt: skip
    compliance = rules.compliance_of(household, date(2026, 1, 20))
    contact = [r for r in compliance.requirements if r.code == "key_worker_contact"][0]
    assert contact.due_on == date(2026, 2, 5)
    assert not [r for r in compliance.requirements if r.code == "respite"]


def test_the_compliance_of_many_households_takes_the_same_queries(world):
    first = _family(world)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows = rules.compliance_for(Household.objects.all(), TODAY)
        return len(captured), rows

    few, _rows = queries()
    for n in range(6):
        child = f.ChildFactory(municipality=world.municipality_a)
        child.team_members.create(user=world.users[Role.CASE_WORKER])
        household = _family(world, child=child)
        household.name = f"Rodina {n}"
        for day in range(5):
            Visit.objects.create(
                household=household, municipality=household.municipality,
                kind="key_worker_contact", on=TODAY - timedelta(days=10 * day),
                by=world.users[Role.CASE_WORKER],
            )  # fmt: skip
    many, rows = queries()
    assert many == few and len(rows) == 7 and rows[0].household == first


# --- Services -------------------------------------------------------------------------------


def test_only_the_services_workers_record_a_household_and_every_change_is_audited(world):
    for role in (Role.SOCIAL_HELPER, Role.EDUCATOR, Role.MANAGER):
        with pytest.raises(PermissionDenied):
            services.household_create(
                user=world.users[role], service=world.service_a, data={"name": "X"}
            )
    with pytest.raises(PermissionDenied):
        services.household_create(
            user=world.outsiders[Role.CASE_WORKER], service=world.service_a, data={"name": "X"}
        )
    household = _family(world)
    assert AuditEvent.objects.filter(object_type="fostercare.household").exists()
    assert AuditEvent.objects.filter(object_type="fostercare.placement").exists()
    assert AuditEvent.objects.filter(object_type="fostercare.supportagreement").exists()
    assert household.carers.count() == 2
    assert {c.adult.kind for c in household.carers.all()} == {"foster_carer"}


def test_records_are_validated(world):
    worker = world.users[Role.CASE_WORKER]
    household = _family(world)
    placement = household.placements.get()
    carer = household.carers.first()
    with pytest.raises(ValidationError):
        services.respite_record(
            user=worker, household=household, placement=placement,
            starts_on=TODAY, ends_on=TODAY - timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.training_record(
            user=worker, household=household, carer=carer, on=TODAY, title="Kurz",
            hours=Decimal(0),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.visit_record(
            user=worker, household=household, kind="counselling", on=TODAY + timedelta(days=60)
        )
    respite = services.respite_record(
        user=worker, household=household, placement=placement,
        starts_on=TODAY - timedelta(days=3), ends_on=TODAY,
    )  # fmt: skip
    assert respite.days == 4
    with pytest.raises(ValidationError):  # the same days twice
        services.respite_record(
            user=worker, household=household, placement=placement, starts_on=TODAY,
            ends_on=TODAY,
        )  # fmt: skip
    with pytest.raises(ValidationError):  # the child cannot be placed twice at once
        services.placement_create(
            user=worker, household=household, child=world.inside,
            data={"kind": "temporary", "starts_on": TODAY},
        )  # fmt: skip
    with pytest.raises(ValidationError):  # a key worker outside the service
        services.agreement_create(
            user=worker, household=household,
            data={"key_worker": world.users[Role.EDUCATOR], "signed_on": TODAY},
        )  # fmt: skip


def test_a_stale_edit_is_refused(world):
    worker = world.users[Role.CASE_WORKER]
    household = _family(world)
    version = household.version
    services.household_update(
        user=worker, household=household, data={"name": "Novákovi ml."}, version=version
    )
    with pytest.raises(StaleVersionError):
        services.household_update(
            user=world.users[Role.SUPERVISOR], household=Household.objects.get(pk=household.pk),
            data={"name": "Novákovi st."}, version=version,
        )  # fmt: skip
    assert Household.objects.get(pk=household.pk).name == "Novákovi ml."


def test_the_methodology_checklist_is_ticked_and_unticked(world):
    worker = world.users[Role.CASE_WORKER]
    household = _family(world)
    services.step_set(user=worker, household=household, step="intake", done=True)
    services.step_set(user=worker, household=household, step="intake", done=True)
    assert ChecklistStep.objects.filter(household=household).count() == 1
    services.step_set(user=worker, household=household, step="intake", done=False)
    assert not ChecklistStep.objects.filter(household=household).exists()
    with pytest.raises(ValidationError):
        services.step_set(user=worker, household=household, step="nonsense", done=True)
    with pytest.raises(PermissionDenied):
        services.step_set(
            user=world.users[Role.SOCIAL_HELPER], household=household, step="intake", done=True
        )


# --- Policy ---------------------------------------------------------------------------------


def test_the_foster_side_sees_the_household_and_nobody_else(world):
    household = _family(world)
    for role in (Role.CASE_WORKER, Role.SUPERVISOR):
        assert can(world.users[role], Action.CHANGE, household)
        assert can(world.users[role], Action.VIEW_DETAILS, household)
    for role in (Role.EDUCATOR, Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER, Role.MANAGER,
                 Role.ANALYST, Role.ADMIN):  # fmt: skip
        assert not can(world.users[role], Action.VIEW, household)
        assert not visible(world.users[role], Placement.objects.all()).exists()
    assert not can(world.outsiders[Role.SUPERVISOR], Action.VIEW, household)


def test_a_key_worker_from_another_service_sees_the_households_they_support(world):
    other = f.ServiceFactory(municipality=world.municipality_a)
    key_worker = f.UserFactory(municipality=world.municipality_a)
    f.MembershipFactory(
        user=key_worker, role=Role.CASE_WORKER, municipality=world.municipality_a, service=other
    )
    household = _family(world)
    assert not can(key_worker, Action.VIEW, household)
    agreement = household.agreements.get()
    agreement.key_worker = key_worker
    agreement.save()
    assert can(key_worker, Action.CHANGE, household)


def test_the_birth_familys_contact_worker_never_sees_the_carers_protected_address(world, signed_in):
    household = _family(world)
    services.household_update(
        user=world.users[Role.CASE_WORKER], household=household,
        data={"address_protected": True}, version=household.version,
    )  # fmt: skip
    # The carers' own records now hide the address too.
    assert all(c.adult.address_protected for c in household.carers.select_related("adult"))
    contacts_service = f.ServiceFactory(municipality=world.municipality_a)
    contact_worker = f.UserFactory(municipality=world.municipality_a)
    f.TOTPDeviceFactory(user=contact_worker)
    f.MembershipFactory(
        user=contact_worker, role=Role.CASE_WORKER, municipality=world.municipality_a,
        service=contacts_service,
    )  # fmt: skip
    # The contact worker leads the arrangement of the foster service's child.
    Arrangement.objects.create(
        municipality=world.municipality_a, service=world.service_a, child=world.inside,
        visitor=world.parent_inside, carer=household.carers.first().adult, basis="agreement",
        lead=contact_worker, created_by=contact_worker, starts_on=TODAY,
    )  # fmt: skip
    assert not can(contact_worker, Action.VIEW_DETAILS, household)
    assert signed_in(contact_worker).get(household.get_absolute_url()).status_code == 404
    page = signed_in(world.users[Role.SUPERVISOR]).get(household.get_absolute_url())
    assert "Lipová 12" in page.content.decode()
    # And the household's page links to the child's contact arrangement.
    assert "Contacts with the birth family" in page.content.decode()


def test_a_restricted_childs_placement_is_seen_by_the_childs_team_only(world):
    household = _family(world, child=world.secret)
    assert visible(world.users[Role.CASE_WORKER], Placement.objects.all()).exists()
    assert can(world.users[Role.SUPERVISOR], Action.VIEW, household)
    assert not visible(world.users[Role.SUPERVISOR], Placement.objects.all()).exists()


def test_managers_read_only_figures_with_small_cells_suppressed(world, signed_in):
    _family(world)
    manager = world.users[Role.MANAGER]
    households, suppress = fostercare_figures_for(manager, Household.objects.all())
    assert households.count() == 1 and suppress
    overview = selectors.service_overview(manager, today=TODAY)
    assert overview["services"][0]["households"] is None
    exact = selectors.service_overview(world.users[Role.SUPERVISOR], today=TODAY)
    assert exact["services"][0]["households"] == 1
    page = signed_in(manager).get("/fostercare/overview/")
    assert page.status_code == 200 and "Novákovi" not in page.content.decode()


# --- Alerts ---------------------------------------------------------------------------------


def test_alerts_go_to_the_key_worker_and_supervisor_once(world):
    household = _family(world, signed_on=TODAY - timedelta(days=50))
    out = StringIO()
    call_command("fostercare_alerts", stdout=out)
    assert "alert(s) written" in out.getvalue()
    alerts = Notification.objects.filter(kind=Notification.Kind.FOSTER_REQUIREMENT_DUE)
    # Signed 50 days ago without a contact: the key worker's contact is due within 2 months.
    recipients = set(alerts.values_list("recipient_id", flat=True))
    assert recipients == {world.users[Role.CASE_WORKER].pk, world.users[Role.SUPERVISOR].pk}
    assert all(a.url == household.get_absolute_url() for a in alerts)
    first = alerts.count()
    assert first >= 2
    call_command("fostercare_alerts", stdout=StringIO())
    assert alerts.count() == first
    # A contact recorded: the requirement is met and no new alert follows.
    services.visit_record(
        user=world.users[Role.CASE_WORKER], household=household, kind="key_worker_contact",
        on=TODAY,
    )  # fmt: skip
    assert services.requirement_alerts(TODAY) == 0
    # Missed later on: a new alert for the new due date.
    assert services.requirement_alerts(TODAY + timedelta(days=70)) > 0


# --- Pages ----------------------------------------------------------------------------------


def test_the_household_page_asks_the_same_queries_however_many_records(world, signed_in):
    household = _family(world)
    client = signed_in(world.users[Role.CASE_WORKER])
    client.get(household.get_absolute_url())

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(household.get_absolute_url()).status_code == 200
        return len(queries)

    few = count()
    worker = world.users[Role.CASE_WORKER]
    carer = household.carers.first()
    for n in range(20):
        Visit.objects.create(
            household=household, municipality=household.municipality, kind="other",
            on=TODAY - timedelta(days=n), by=worker,
        )  # fmt: skip
        Training.objects.create(
            household=household, municipality=household.municipality, carer=carer,
            on=TODAY - timedelta(days=n), title=f"Kurz {n}", hours=2, recorded_by=worker,
        )  # fmt: skip
    services.step_set(user=worker, household=household, step="intake", done=True)
    services.development_item_create(user=worker, household=household, goal="Odpočinek")
    assert count() == few


def test_a_household_is_recorded_and_worked_through_the_pages(world, signed_in):
    client = signed_in(world.users[Role.CASE_WORKER])
    response = client.post("/fostercare/new/", {"service": world.service_a.pk, "name": "Dvořákovi"})
    household = Household.objects.get(name="Dvořákovi")
    assert response.status_code == 302 and response.url == household.get_absolute_url()
    client.post(
        f"/fostercare/{household.pk}/carers/new/", {"given_name": "Eva", "family_name": "Dvořáková"}
    )
    carer = household.carers.get()
    client.post(
        f"/fostercare/{household.pk}/trainings/new/",
        {
            "training-carer": carer.pk,
            "training-on": TODAY.isoformat(),
            "training-title": "První pomoc",
            "training-hours": "-2",
        },
    )
    assert not Training.objects.exists()
    client.post(
        f"/fostercare/{household.pk}/trainings/new/",
        {
            "training-carer": carer.pk,
            "training-on": TODAY.isoformat(),
            "training-title": "První pomoc",
            "training-hours": "4.5",
        },
    )
    assert Training.objects.get().hours == Decimal("4.5")
    page = client.get(household.get_absolute_url())
    assert "První pomoc" in page.content.decode()
    assert client.get("/fostercare/").status_code == 200


def test_an_adult_already_recorded_becomes_a_carer_only_where_the_worker_may_change_them(
    world, signed_in
):
    household = _family(world)
    grandmother = f.AdultFactory(
        municipality=world.municipality_a, given_name="Ilona", kind=Adult.Kind.OTHER
    )
    # Nobody's relative: the worker may not open her record, so she cannot be chosen.
    with pytest.raises(PermissionDenied):
        services.carer_add(
            user=world.users[Role.CASE_WORKER], household=household, adult=grandmother
        )
    f.RelationshipFactory(child=world.inside, adult=grandmother, kind="grandparent")
    client = signed_in(world.users[Role.CASE_WORKER])
    response = client.post(f"/fostercare/{household.pk}/carers/new/", {"adult": grandmother.pk})
    assert response.status_code == 302
    assert household.carers.filter(adult=grandmother).exists()
    grandmother.refresh_from_db()
    assert grandmother.kind == Adult.Kind.FOSTER_CARER
    # Neither a chosen adult nor names: the form says what is missing.
    page = client.post(f"/fostercare/{household.pk}/carers/new/", {"given_name": "Eva"})
    assert page.status_code == 200 and "give the new carer" in page.content.decode()


def test_the_list_puts_a_family_approaching_a_missed_contact_first_as_due_soon(world, signed_in):
    # A baby: no respite owed yet, so in December the year's end does not make it due either.
    world.inside.birth_date = TODAY - timedelta(days=300)
    world.inside.save()
    calm = _family(world)
    services.visit_record(
        user=world.users[Role.CASE_WORKER], household=calm, kind="key_worker_contact", on=TODAY
    )
    services.visit_record(
        user=world.users[Role.CASE_WORKER], household=calm, kind="counselling", on=TODAY
    )
    child = f.ChildFactory(municipality=world.municipality_a)
    child.team_members.create(user=world.users[Role.CASE_WORKER])
    # Signed 40 days ago, no contact since: the key worker's contact is due in about 3 weeks.
    approaching = _family(world, child=child, signed_on=TODAY - timedelta(days=40))
    services.household_update(
        user=world.users[Role.CASE_WORKER], household=approaching, data={"name": "Svobodovi"},
        version=approaching.version,
    )  # fmt: skip
    page = signed_in(world.users[Role.SUPERVISOR]).get("/fostercare/")
    rows = page.context["rows"]
    assert [r.household.pk for r in rows] == [approaching.pk, calm.pk]
    assert rows[0].status == rules.DUE_SOON
    assert "Contact with the key worker: Due soon" in page.content.decode()
    assert AuditEvent.objects.filter(action="list", purpose="foster households").exists()
