"""Coverage and caseload. Each institution's children enrolled today and its social helpers'
hours (a helper's hours shared evenly over the institutions they serve), kept as an aggregate
by `rebuild_coverage` and by the staff changes that touch it, against the municipality's norm;
counts under 5 leave a supervisor's team only as "<5". Each worker's open cases, activities a
week and contact arrangements against the thresholds."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from earlyhelp.activities.models import Session
from earlyhelp.activities.tests.access_expectations import make_activity
from earlyhelp.cases.tests.access_expectations import make_case
from earlyhelp.organisations.models import Role
from earlyhelp.tests import factories as f
from earlyhelp.workforce.models import (
    DEFAULT_CHILDREN_PER_HELPER,
    CaseloadNorm,
    CoverageNorm,
    Employment,
    InstitutionCoverage,
)
from earlyhelp.workforce.selectors import caseloads, coverage_rows
from earlyhelp.workforce.tests.builders import helper_profile

pytestmark = pytest.mark.django_db


def _employ(profile, service, hours):
    return Employment.objects.create(
        profile=profile, service=service, hours_per_week=Decimal(hours), starts_on=date(2020, 1, 1)
    )


def test_a_helpers_hours_are_shared_evenly_over_the_institutions_served(world):
    helper = helper_profile(world, True)
    helper.institutions.set([world.school_a1, world.school_a2])
    _employ(helper, world.service_a, 40)
    ended = _employ(helper, world.service_a, 10)
    ended.ends_on = date(2021, 1, 1)
    ended.save()
    call_command("rebuild_coverage")
    a1 = InstitutionCoverage.objects.get(institution=world.school_a1)
    assert (a1.children, a1.helper_hours, a1.helpers) == (2, Decimal(20), 1)
    assert InstitutionCoverage.objects.get(institution=world.school_a2).helper_hours == 20
    assert InstitutionCoverage.objects.get(institution=world.school_b1).helper_hours == 0


def test_a_change_of_the_institutions_served_updates_the_aggregate(world, signed_in):
    helper = helper_profile(world, True)
    helper.institutions.set([world.school_a1])
    _employ(helper, world.service_a, 30)
    call_command("rebuild_coverage")
    client = signed_in(world.users[Role.SUPERVISOR])
    answer = client.post(
        reverse("workforce:staff_edit", args=[helper.pk]),
        {"version": helper.version, "institutions": [world.school_a1.pk, world.school_a2.pk]},
    )
    assert answer.status_code == 302
    hours = dict(InstitutionCoverage.objects.values_list("institution_id", "helper_hours"))
    assert hours[world.school_a1.pk] == 15 and hours[world.school_a2.pk] == 15


def test_coverage_against_the_norm_and_the_small_cell_rule(world, signed_in):
    helper = helper_profile(world, True)
    helper.institutions.set([world.school_a1])
    _employ(helper, world.service_a, 4)
    for _ in range(4):
        f.EnrolmentFactory(
            child=f.ChildFactory(municipality=world.municipality_a), group=world.class_a2
        )
    call_command("rebuild_coverage")
    CoverageNorm.objects.create(
        municipality=world.municipality_a,
        children_per_helper=10,
        full_time_hours=Decimal(40),
        source="Council decision",
    )
    # The supervisor of A1's helper sees A1 exactly; A2's 5 children are not under 5.
    rows = {r.name: r for r in coverage_rows(world.users[Role.SUPERVISOR], world.municipality_a.pk)}
    assert set(rows) == {world.school_a1.name}
    a1 = rows[world.school_a1.name]
    assert (a1.children, a1.full_time, a1.needed, a1.short) == (
        2, Decimal("0.10"), Decimal("0.20"), True,
    )  # fmt: skip
    # The manager sees the municipality; A1's 2 children leave the team as "<5".
    rows = {r.name: r for r in coverage_rows(world.users[Role.MANAGER], world.municipality_a.pk)}
    assert rows[world.school_a1.name].children is None
    assert rows[world.school_a1.name].needed == 0 and not rows[world.school_a1.name].short
    assert rows[world.school_a2.name].children == 5 and rows[world.school_a2.name].short
    page = signed_in(world.users[Role.MANAGER]).get(reverse("workforce:coverage"))
    html = page.content.decode()
    assert "&lt;5" in html and "Council decision" in html
    # Nobody of A reads B's rows.
    assert coverage_rows(world.users[Role.MANAGER], world.municipality_b.pk) == []


def test_without_its_own_norm_a_municipality_is_held_to_the_default(world, signed_in):
    call_command("rebuild_coverage")
    page = signed_in(world.users[Role.ADMIN]).get(reverse("workforce:coverage"))
    assert page.context["norm"].default
    assert page.context["norm"].children_per_helper == DEFAULT_CHILDREN_PER_HELPER
    assert "earlyhelp default" in page.content.decode()


def test_the_administrator_sets_the_coverage_norm(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    url = reverse("workforce:coverage_norm_edit", args=[world.municipality_a.pk])
    data = {"children_per_helper": "800", "full_time_hours": "37", "source": "Agreement"}
    assert client.post(url, data).status_code == 302
    norm = CoverageNorm.objects.get()
    assert (norm.children_per_helper, norm.full_time_hours) == (800, Decimal(37))
    # A stale change is refused.
    answer = client.post(url, {**data, "children_per_helper": "900", "version": "0"})
    assert answer.status_code == 200
    assert CoverageNorm.objects.get().children_per_helper == 800


def test_a_worker_over_a_threshold_comes_first(world, signed_in):
    worker = helper_profile(world, True)
    lead = world.users[Role.SOCIAL_HELPER]
    case = make_case(world, True)
    case.lead_worker = lead
    case.save()
    CaseloadNorm.objects.create(
        municipality=world.municipality_a,
        open_cases=0,
        activities_per_week=Decimal(1),
        open_arrangements=3,
        source="Team agreement",
    )
    activity = make_activity(world, True)
    for days in (1, 2, 3, 40):  # the one 40 days ago is outside the 4 weeks
        Session.objects.create(
            activity=activity,
            municipality=world.municipality_a,
            lead=lead,
            starts_at=timezone.now() - timedelta(days=days),
            minutes=45,
            status=Session.Status.HELD,
        )
    loads = caseloads(world.users[Role.SUPERVISOR], timezone.localdate())
    first = loads[0]
    assert first.profile == worker and first.open_cases == 1 and "open_cases" in first.over
    assert first.activities_per_week == Decimal("0.8")
    page = signed_in(world.users[Role.SUPERVISOR]).get(reverse("workforce:caseload"))
    assert "Over a threshold" in page.content.decode() and "Team agreement" in page.content.decode()
