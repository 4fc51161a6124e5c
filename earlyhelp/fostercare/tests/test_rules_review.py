"""The review's findings on the requirement rules and the compliance overview: a rule's period
must fit its requirement and can never stall the computation, the configured months and amounts
are used, last year's short respite is reported missed in January, respite days are the carers'
rest days up to today, small cells and the cells that would reveal them are hidden from managers
and analysts, and a carer or a visit from before they belonged is not held against the
agreement."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from earlyhelp.fostercare import rules, selectors, services
from earlyhelp.fostercare.models import (
    Placement,
    Requirement,
    RequirementRule,
    Respite,
    Training,
    Visit,
)
from earlyhelp.organisations.models import Role
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def _family(world, *, signed_on, name="Novákovi", service=None, child=None, since=None):
    worker = world.users[Role.CASE_WORKER]
    household = services.household_create(
        user=worker, service=service or world.service_a,
        data={"name": name, "address": "Lipová 12", "address_protected": False},
    )  # fmt: skip
    services.carer_create(
        user=worker, household=household, given_name="Jana", family_name="Nováková", since=since
    )
    services.agreement_create(
        user=worker, household=household,
        data={"key_worker": worker, "reference": "DPP", "signed_on": signed_on},
    )  # fmt: skip
    # Placed directly: the other families' children are not on the worker's caseload.
    Placement.objects.create(
        household=household, municipality=household.municipality, child=child or world.inside,
        kind=Placement.Kind.LONG_TERM, starts_on=signed_on,
    )  # fmt: skip
    return household


def _status(household, code, today):
    compliance = rules.compliance_of(household, today)
    return [r for r in compliance.requirements if r.code == code][0]


def _respite(world, household, placement, starts_on, ends_on):
    Respite.objects.create(
        household=household, municipality=household.municipality, placement=placement,
        starts_on=starts_on, ends_on=ends_on, recorded_by=world.users[Role.CASE_WORKER],
    )  # fmt: skip


def _rule(world, **fields):
    return RequirementRule(municipality=world.municipality_a, **fields)


# --- A and B: a rule's period fits its requirement ------------------------------------------


def test_a_rule_must_use_the_period_its_requirement_is_counted_over(world):
    with pytest.raises(ValidationError) as training:
        _rule(world, code="training", amount=24, period="calendar_year", months=0).full_clean()
    assert "period" in training.value.message_dict
    with pytest.raises(ValidationError) as respite:
        _rule(world, code="respite", amount=14, period="months", months=6).full_clean()
    assert respite.value.message_dict["period"] == ["Respite is counted per calendar year."]
    for code in ("key_worker_contact", "counselling"):
        with pytest.raises(ValidationError):
            _rule(world, code=code, amount=1, period="calendar_year").full_clean()
    for months in (0, 37):
        with pytest.raises(ValidationError) as error:
            _rule(world, code="training", amount=24, period="months", months=months).full_clean()
        assert "months" in error.value.message_dict
    # What each requirement supports passes.
    _rule(world, code="training", amount=24, period="months", months=36).full_clean()
    _rule(world, code="respite", amount=10, period="calendar_year", months=0).full_clean()
    _rule(world, code="counselling", amount=1, period="months", months=1).full_clean()


def test_the_training_period_is_computed_without_stepping_and_never_stalls(world):
    # Even a length of 0 (an old row that escaped validation) ends: it is taken as 1 month.
    assert rules._training_period(date(2020, 1, 31), date(2026, 3, 5), 0) == (
        date(2026, 2, 28),
        date(2026, 3, 30),
    )
    assert rules._training_period(date(2020, 3, 1), date(2026, 2, 28), 12) == (
        date(2025, 3, 1),
        date(2026, 2, 28),
    )
    assert rules._training_period(date(2020, 3, 1), date(2026, 3, 1), 12) == (
        date(2026, 3, 1),
        date(2027, 2, 28),
    )
    # The day is kept from the signing, not worn down by short months.
    assert rules._training_period(date(2026, 1, 31), date(2026, 4, 5), 1)[0] == date(2026, 3, 31)
    # A stored row with the wrong period and 0 months is computed, not looped over.
    household = _family(world, signed_on=date(2025, 1, 10))
    RequirementRule.objects.create(
        municipality=world.municipality_a, code="training", amount=24, period="calendar_year",
        months=0,
    )  # fmt: skip
    training = _status(household, Requirement.TRAINING, date(2026, 3, 1))
    assert training.due_on == date(2026, 3, 9)


def test_the_configured_months_and_amounts_are_used(world):
    world.inside.birth_date = date(2018, 1, 1)
    world.inside.save()
    household = _family(world, signed_on=date(2026, 1, 10))
    for code, amount, period, months in (
        ("training", 6, "months", 6),
        ("respite", 5, "calendar_year", 12),
        ("counselling", 2, "months", 3),
    ):
        RequirementRule.objects.create(
            municipality=world.municipality_a, code=code, amount=amount, period=period,
            months=months,
        )  # fmt: skip
    carer = household.carers.get()
    Training.objects.create(
        household=household, municipality=household.municipality, carer=carer,
        on=date(2026, 2, 1), title="Attachment", hours=6, recorded_by=world.users[Role.CASE_WORKER],
    )  # fmt: skip
    _respite(world, household, household.placements.get(), date(2026, 3, 1), date(2026, 3, 5))
    compliance = rules.compliance_of(household, date(2026, 4, 1))
    found = {r.code: r for r in compliance.requirements}
    assert (found["training"].status, found["training"].due_on) == (rules.MET, date(2026, 7, 9))
    assert (found["respite"].status, found["respite"].done) == (rules.MET, 5)
    counselling = found["counselling"]
    assert (counselling.required, counselling.due_on) == (2, date(2026, 4, 10))


# --- C: last year's short respite is missed in January --------------------------------------


def test_last_years_short_respite_is_missed_until_the_end_of_january(world):
    world.inside.birth_date = date(2018, 1, 1)
    world.inside.save()
    household = _family(world, signed_on=date(2024, 6, 1))
    _respite(world, household, household.placements.get(), date(2025, 8, 1), date(2025, 8, 5))
    january = _status(household, Requirement.RESPITE, date(2026, 1, 20))
    assert (january.status, january.due_on, january.done, january.left) == (
        rules.MISSED,
        date(2025, 12, 31),
        5,
        9,
    )
    assert "2025" in january.note
    # The overview sees it too.
    overview = selectors.service_overview(world.users[Role.SUPERVISOR], today=date(2026, 1, 20))
    row = [r for r in overview["services"][0]["requirements"] if r.code == "respite"][0]
    assert dict(row.counts)[rules.STATUS_LABELS[rules.MISSED]] == 1
    # From February the new year counts.
    february = _status(household, Requirement.RESPITE, date(2026, 2, 1))
    assert (february.status, february.due_on) == (rules.ON_TRACK, date(2026, 12, 31))


def test_last_years_respite_is_not_missed_when_taken_or_not_owed(world):
    world.inside.birth_date = date(2024, 6, 1)
    world.inside.save()
    # The child turns 2 in June 2026: nothing was owed in 2025, nor yet in January 2026.
    baby = _family(world, signed_on=date(2024, 7, 1))
    assert _status(baby, Requirement.RESPITE, date(2026, 1, 10)).status == rules.NOT_APPLICABLE
    # An older child whose carers took the 14 days: this year's status, not last year's.
    older = f.ChildFactory(municipality=world.municipality_a, birth_date=date(2015, 1, 1))
    rested = _family(world, signed_on=date(2024, 1, 1), name="Dvořákovi", child=older)
    _respite(world, rested, rested.placements.get(), date(2025, 7, 1), date(2025, 7, 14))
    status = _status(rested, Requirement.RESPITE, date(2026, 1, 10))
    assert (status.status, status.due_on) == (rules.ON_TRACK, date(2026, 12, 31))


# --- D: respite days are the carers' rest days up to today -----------------------------------


def test_respite_days_count_once_for_all_children_and_only_up_to_today(world):
    world.inside.birth_date = date(2018, 1, 1)
    world.inside.save()
    household = _family(world, signed_on=date(2025, 1, 1))
    sister = f.ChildFactory(municipality=world.municipality_a, birth_date=date(2019, 1, 1))
    second = Placement.objects.create(
        household=household, municipality=household.municipality, child=sister,
        kind=Placement.Kind.LONG_TERM, starts_on=date(2025, 1, 1),
    )  # fmt: skip
    first = household.placements.exclude(pk=second.pk).get()
    # The same week for both children: 7 rest days, not 14.
    _respite(world, household, first, date(2026, 5, 4), date(2026, 5, 10))
    _respite(world, household, second, date(2026, 5, 4), date(2026, 5, 10))
    status = _status(household, Requirement.RESPITE, date(2026, 6, 1))
    assert (status.done, status.left, status.status) == (7, 7, rules.ON_TRACK)
    # Days booked after today are planned, not taken.
    _respite(world, household, first, date(2026, 8, 1), date(2026, 8, 10))
    june = _status(household, Requirement.RESPITE, date(2026, 6, 1))
    assert (june.done, june.planned, june.status) == (7, 10, rules.ON_TRACK)
    assert "10" in june.note
    august = _status(household, Requirement.RESPITE, date(2026, 8, 5))
    assert (august.done, august.planned) == (12, 5)
    assert _status(household, Requirement.RESPITE, date(2026, 8, 10)).status == rules.MET


# --- E: small cells and the cells that would reveal them -------------------------------------


def test_a_row_below_5_hides_every_cell_zeros_included():
    assert selectors._suppressed_row([0, 0, 0, 1, 0]) == [None] * 5
    assert selectors._suppressed_row([4, 0, 0, 0, 0]) == [None] * 5


def test_a_single_small_cell_is_hidden_with_the_next_smallest():
    # Met 5, missed 2 of 7: showing 5 would tell the 2.
    assert selectors._suppressed_row([5, 0, 0, 2, 0]) == [None, 0, 0, None, 0]
    assert selectors._suppressed_row([9, 6, 0, 3, 0]) == [9, None, 0, None, 0]
    # Two small cells already hide each other.
    assert selectors._suppressed_row([8, 2, 0, 3, 0]) == [8, None, 0, None, 0]
    # Nothing small: all shown.
    assert selectors._suppressed_row([6, 0, 0, 5, 0]) == [6, 0, 0, 5, 0]


def test_the_overview_hides_a_small_service_entirely_from_managers(world):
    _family(world, signed_on=date.today() - timedelta(days=100))
    manager = selectors.service_overview(world.users[Role.MANAGER], today=date.today())
    service = manager["services"][0]
    assert service["households"] is None
    assert [c for _, c in service["overall"]] == [None] * 5
    assert all(c is None for row in service["requirements"] for _, c in row.counts)
    # The service's supervisor reads the exact figures, zeros included.
    exact = selectors.service_overview(world.users[Role.SUPERVISOR], today=date.today())
    assert exact["services"][0]["households"] == 1
    assert sum(c for _, c in exact["services"][0]["overall"]) == 1


def test_no_hidden_cell_follows_from_the_total(world):
    today = date(2026, 6, 1)
    for i in range(7):
        household = _family(
            world, signed_on=date(2026, 1, 1), name=f"Rodina {i}",
            child=f.ChildFactory(municipality=world.municipality_a, birth_date=date(2024, 12, 1)),
        )  # fmt: skip
        if i < 2:
            Visit.objects.create(
                household=household, municipality=household.municipality,
                kind="key_worker_contact", on=date(2026, 5, 20), by=world.users[Role.CASE_WORKER],
            )  # fmt: skip
    exact = selectors.service_overview(world.users[Role.SUPERVISOR], today=today)
    contact = [r for r in exact["services"][0]["requirements"] if r.code == "key_worker_contact"]
    assert [c for _, c in contact[0].counts] == [2, 0, 0, 5, 0]
    overview = selectors.service_overview(world.users[Role.MANAGER], today=today)
    service = overview["services"][0]
    assert service["households"] == 7
    contact = [r for r in service["requirements"] if r.code == "key_worker_contact"]
    # Missed 5 of 7 would tell the 2 met: both hidden.
    assert [c for _, c in contact[0].counts] == [None, 0, 0, None, 0]
    rows = [service["overall"]] + [row.counts for row in service["requirements"]]
    for counts in rows:
        hidden = [c for _, c in counts if c is None]
        assert len(hidden) != 1
        shown = [c for _, c in counts if c is not None]
        assert all(c == 0 or c >= 5 for c in shown)


# --- F: a carer or a visit from before they belonged -----------------------------------------


def test_a_carer_who_joined_later_is_not_missed_for_the_last_period(world):
    household = _family(world, signed_on=date(2024, 3, 1), since=date(2025, 6, 1))
    # The period 1 March 2025 – 28 February 2026 ended short of hours, but Jana joined in June
    # 2025, after it had begun: it was no full period for her, so on track, not missed.
    training = _status(household, Requirement.TRAINING, date(2026, 4, 1))
    assert training.status == rules.ON_TRACK
    child = f.ChildFactory(municipality=world.municipality_a, birth_date=date(2015, 1, 1))
    veteran = _family(
        world, signed_on=date(2024, 3, 1), name="Starí", since=date(2020, 1, 1), child=child
    )
    assert _status(veteran, Requirement.TRAINING, date(2026, 4, 1)).status == rules.MISSED


def test_a_visit_before_the_agreement_was_signed_is_not_its_first_contact(world):
    household = _family(world, signed_on=date(2026, 3, 1))
    Visit.objects.create(
        household=household, municipality=household.municipality, kind="key_worker_contact",
        on=date(2026, 2, 20), by=world.users[Role.CASE_WORKER],
    )  # fmt: skip
    contact = _status(household, Requirement.KEY_WORKER_CONTACT, date(2026, 3, 10))
    assert (contact.due_on, contact.last_on, contact.done) == (
        date(2026, 5, 1),
        None,
        Decimal(0),
    )
