"""The workforce slice of the bench data: written at the end of a generation and again, with
nothing doubled, against a database that has bench data already (`bench_extend_workforce`);
the coverage page of a bench manager then reads the aggregate."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from earlyhelp.organisations.models import Membership, Role
from earlyhelp.sampledata.bench import generate
from earlyhelp.sampledata.bench.workforce import write_workforce
from earlyhelp.workforce.models import Employment, InstitutionCoverage, StaffProfile
from earlyhelp.workforce.selectors import coverage_rows

pytestmark = pytest.mark.django_db


def test_bench_staff_get_profiles_employment_and_coverage():
    generate(scale_factor=0.0005, seed=7, bench_accounts=2, now=datetime(2026, 3, 16, tzinfo=UTC))
    workers = (
        Membership.objects.filter(role__in=[Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR])
        .values("user_id")
        .distinct()
        .count()
    )
    assert StaffProfile.objects.count() == workers
    assert Employment.objects.count() == workers
    assert set(Employment.objects.values_list("hours_per_week", flat=True)) <= {20, 30, 40}
    helper = StaffProfile.objects.filter(user__memberships__role=Role.SOCIAL_HELPER).first()
    assert set(helper.institutions.values_list("pk", flat=True)) == set(
        helper.user.memberships.filter(role=Role.SOCIAL_HELPER).values_list(
            "institution_id", flat=True
        )
    )
    # Against the same database again: nothing is doubled.
    assert set(write_workforce().values()) == {0}
    call_command("bench_extend_workforce")
    assert Employment.objects.count() == workers
    assert InstitutionCoverage.objects.filter(helper_hours__gt=0, children__gt=0).exists()
    manager = Membership.objects.filter(role=Role.MANAGER).select_related("user").first()
    rows = coverage_rows(manager.user, manager.municipality_id)
    assert rows and any(r.helper_hours > 0 for r in rows)
