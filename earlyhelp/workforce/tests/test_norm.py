"""Training hours per person per year against the municipality's norm, or the earlyhelp
default when it has set none."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from earlyhelp.organisations.models import Role
from earlyhelp.workforce.models import DEFAULT_NORM_HOURS, TrainingNorm
from earlyhelp.workforce.selectors import norm_check, norm_checks, norm_for
from earlyhelp.workforce.tests.builders import attended, event, helper_profile, profile_of

pytestmark = pytest.mark.django_db


def test_a_municipality_without_a_norm_is_held_to_the_default(world):
    norm = norm_for(world.municipality_a.pk)
    assert norm.default and norm.hours == DEFAULT_NORM_HOURS == Decimal(24)
    assert "108/2006" in norm.source


def test_a_municipality_s_own_norm_replaces_the_default(world):
    TrainingNorm.objects.create(
        municipality=world.municipality_a, hours_per_year=Decimal(40), source="Council decision"
    )
    norm = norm_for(world.municipality_a.pk)
    assert not norm.default and norm.hours == 40 and norm.source == "Council decision"
    assert norm_for(world.municipality_b.pk).default


def test_exactly_the_norm_is_met_and_one_tenth_below_is_behind(world):
    TrainingNorm.objects.create(
        municipality=world.municipality_a, hours_per_year=Decimal(16), source="Decision"
    )
    first = attended(world, True, hours=Decimal("7.9"))
    profile = first.staff
    year = date.today().year
    assert not norm_check(world.users[Role.SUPERVISOR], profile, year).met
    assert norm_check(world.users[Role.SUPERVISOR], profile, year).missing == Decimal("8.1")
    more = event(world, True, hours=Decimal("8.1"))
    more.attendances.create(staff=profile, hours=Decimal("8.1"))
    check = norm_check(world.users[Role.SUPERVISOR], profile, year)
    assert check.hours == Decimal(16) and check.met and check.missing == 0


def test_only_events_ended_this_year_count(world):
    profile = helper_profile(world, True)
    year = date.today().year
    old = event(world, True, hours=Decimal(30), on=date(year - 1, 6, 1))
    old.attendances.create(staff=profile, hours=Decimal(30))
    assert norm_check(world.users[Role.SUPERVISOR], profile, year).hours == 0


def test_the_supervisor_s_check_lists_their_workers_with_behind_or_met_in_words(world, signed_in):
    attended(world, True, hours=Decimal(24))  # the helper meets the default norm
    worker = profile_of(world.users[Role.CASE_WORKER])
    profile_of(world.outsiders[Role.CASE_WORKER])  # another municipality's: not listed
    checks = norm_checks(world.users[Role.SUPERVISOR], date.today().year)
    assert [c.profile for c in checks] == [worker, helper_profile(world, True)]
    page = signed_in(world.users[Role.SUPERVISOR]).get(reverse("workforce:norm_check"))
    html = page.content.decode()
    assert "Behind: 0 of 24 hours, 24 to go" in html
    assert "Met: 24" in html
    assert "earlyhelp default" in html


def test_the_administrator_sets_the_norm_and_the_check_follows_it(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    url = reverse("workforce:norm_edit", args=[world.municipality_a.pk])
    response = client.post(url, {"hours_per_year": "30", "source": "Collective agreement"})
    assert response.status_code == 302
    norm = norm_for(world.municipality_a.pk)
    assert norm.hours == 30 and not norm.default
    # A second save based on the first version is refused, what was typed kept.
    client.post(url, {"hours_per_year": "32", "source": "First", "version": "1"})
    stale = client.post(url, {"hours_per_year": "35", "source": "Second typed", "version": "1"})
    assert stale.status_code == 200
    assert "Someone else changed this record" in stale.content.decode()
    assert "Second typed" in stale.content.decode()
    assert TrainingNorm.objects.get().hours_per_year == 32


def test_a_supervisor_does_not_set_the_norm(world, signed_in):
    client = signed_in(world.users[Role.SUPERVISOR])
    url = reverse("workforce:norm_edit", args=[world.municipality_a.pk])
    assert client.post(url, {"hours_per_year": "1", "source": "x"}).status_code == 404
    assert not TrainingNorm.objects.exists()
