"""Outcomes that count for programmes: on the case page, each programme the case counts for
with its outcome categories; an outcome reached is recorded on a day and shown with the days
from referral to resolution; a mistaken one is removed, named by its version; both are written
in the chronology and the audit log, and only where the case is."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import CaseConcern, ChronologyEntry
from earlyhelp.cases.outcomes import referred_on, resolution_days
from earlyhelp.cases.tests.test_cases import _decided_concern, _open
from earlyhelp.concerns.models import Concern
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.organisations.models import Role
from earlyhelp.programmes import outcomes
from earlyhelp.programmes.models import Outcome, OutcomeCategory, Programme
from earlyhelp.tests.clock import days_ago

pytestmark = pytest.mark.django_db


def _programme(world, case, name="Segítő programme"):
    today = timezone.localdate()
    programme = Programme.objects.create(
        municipality=world.municipality_a, name=name, starts_on=today - dt.timedelta(days=400),
        ends_on=today + dt.timedelta(days=400), created_by=world.users[Role.MANAGER],
    )  # fmt: skip
    case.programmes.add(programme)
    for position, code in enumerate(OutcomeCategory.SHIPPED):
        OutcomeCategory.objects.create(programme=programme, code=code, position=position)
    return programme


def _opened_days_ago(case, days):
    """Move the case's opening back (a case opened earlier)."""
    case.opened_at = days_ago(days)
    case.save(update_fields=["opened_at"])


def _link(world, signed_in, case, received_at):
    concern = _decided_concern(world, signed_in)
    Concern.objects.filter(pk=concern.pk).update(received_at=received_at)
    CaseConcern.objects.create(case=case, concern=concern, linked_by=world.users[Role.CASE_WORKER])
    return concern


def test_days_count_from_the_opening_without_a_concern(world):
    case = _open(world)
    opened = timezone.localdate(case.opened_at)
    assert referred_on(case) == opened
    assert resolution_days(case, opened) == 0
    assert resolution_days(case, opened + dt.timedelta(days=1)) == 1
    _opened_days_ago(case, 30)
    assert resolution_days(case, timezone.localdate()) == 30


def test_days_count_from_the_earliest_concern_received(world, signed_in):
    case = _open(world)
    today = timezone.localdate()
    _link(world, signed_in, case, days_ago(10))
    _link(world, signed_in, case, days_ago(45))
    assert referred_on(case) == today - dt.timedelta(days=45)
    assert resolution_days(case, today) == 45


def test_the_referral_day_is_the_local_calendar_day(world, signed_in, settings):
    settings.TIME_ZONE = "Europe/Budapest"
    case = _open(world)
    # 23:30 in Budapest on 1 March is 22:30 UTC on 1 March; 00:30 on 2 March is 23:30 UTC on
    # 1 March: the day that counts is Budapest's.
    budapest = ZoneInfo("Europe/Budapest")
    _link(world, signed_in, case, dt.datetime(2026, 3, 2, 0, 30, tzinfo=budapest))
    with timezone.override(budapest):
        assert referred_on(case) == dt.date(2026, 3, 2)
        assert resolution_days(case, dt.date(2026, 3, 2)) == 0
        assert resolution_days(case, dt.date(2026, 3, 31)) == 29


def test_an_outcome_is_recorded_with_its_days_in_the_chronology_and_the_audit(world, signed_in):
    case = _open(world)
    _opened_days_ago(case, 20)
    programme = _programme(world, case)
    kept = programme.outcome_categories.get(code="housing_kept")
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    section = reverse("cases:case_outcomes", args=[case.pk])
    page = client.get(section).content.decode()
    assert "Outcomes for programmes" in page and "Housing kept" in page
    form = client.get(reverse("cases:outcome_add", args=[case.pk]))
    assert kept in form.context["form"].fields["category"].queryset
    reached = timezone.localdate() - dt.timedelta(days=5)
    response = client.post(
        reverse("cases:outcome_add", args=[case.pk]),
        {"category": kept.pk, "achieved_on": reached.isoformat(), "note": "Rent agreement"},
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.case, outcome.category, outcome.achieved_on) == (case, kept, reached)
    assert outcome.municipality == case.municipality
    entry = case.chronology.get(kind=ChronologyEntry.Kind.OUTCOME)
    assert "Housing kept" in entry.title and "resolution: 15" in entry.text
    assert timezone.localdate(entry.happened_at) == reached
    assert AuditEvent.objects.filter(
        object_type="cases.case", changes__programme_outcome=[None, outcome.pk]
    ).exists()
    page = client.get(section)
    (block,) = page.context["programme_outcomes"]
    row = next(r for r in block.rows if r.category == kept)
    assert row.outcome == outcome and row.days == 15
    # Recorded once: the category is no longer offered, and a second is refused.
    assert kept not in outcomes.open_categories(case)
    with pytest.raises(ValidationError):
        outcomes.outcome_record(
            user=world.users[Role.SOCIAL_HELPER], case=case, category=kept, achieved_on=reached
        )


def test_an_outcome_before_the_referral_or_in_the_future_or_elsewhere_is_refused(world, signed_in):
    case = _open(world)
    programme = _programme(world, case)
    category = programme.outcome_categories.first()
    helper = world.users[Role.SOCIAL_HELPER]
    today = timezone.localdate()
    client = signed_in(helper)
    before = client.post(
        reverse("cases:outcome_add", args=[case.pk]),
        {"category": category.pk, "achieved_on": (today - dt.timedelta(days=1)).isoformat(),
         "note": "Too early"},
    )  # fmt: skip
    assert before.status_code == 200 and "before the matter was referred" in before.content.decode()
    assert "Too early" in before.content.decode()
    with pytest.raises(ValidationError):
        outcomes.outcome_record(
            user=helper, case=case, category=category, achieved_on=today + dt.timedelta(days=1)
        )
    other_case = _open(world, title="Other")
    other = _programme(world, other_case, name="Other programme").outcome_categories.first()
    with pytest.raises(ValidationError):
        outcomes.outcome_record(user=helper, case=case, category=other, achieved_on=today)
    # On the same day as the referral: 0 days.
    outcome = outcomes.outcome_record(user=helper, case=case, category=category, achieved_on=today)
    assert resolution_days(case, outcome.achieved_on) == 0
    assert not Outcome.objects.exclude(pk=outcome.pk).exists()


def test_a_mistaken_outcome_is_removed_by_its_version(world, signed_in):
    case = _open(world)
    category = _programme(world, case).outcome_categories.first()
    helper = world.users[Role.SOCIAL_HELPER]
    outcome = outcomes.outcome_record(
        user=helper, case=case, category=category, achieved_on=timezone.localdate()
    )
    url = reverse("cases:outcome_remove", args=[case.pk, outcome.pk])
    client = signed_in(helper)
    assert client.get(url).status_code == 200
    stale = client.post(url, {"why": "Wrong case", "version": outcome.version + 1})
    assert stale.status_code == 200 and Outcome.objects.filter(pk=outcome.pk).exists()
    with pytest.raises(StaleVersionError):
        outcomes.outcome_remove(
            user=helper, case=case, outcome=outcome, version=outcome.version + 1, why="x"
        )
    empty = client.post(url, {"why": "", "version": outcome.version})
    assert empty.status_code == 200 and Outcome.objects.filter(pk=outcome.pk).exists()
    response = client.post(url, {"why": "Recorded in the wrong case", "version": outcome.version})
    assert response.status_code == 302
    assert not Outcome.objects.exists()
    removal = case.chronology.filter(kind=ChronologyEntry.Kind.OUTCOME).order_by("-pk").first()
    assert "removed" in removal.title and removal.text == "Recorded in the wrong case"
    assert AuditEvent.objects.filter(changes__programme_outcome=[outcome.pk, None]).exists()


def test_outcomes_are_read_and_changed_only_where_the_case_is(world, signed_in):
    case = _open(world)
    category = _programme(world, case).outcome_categories.first()
    outcome = outcomes.outcome_record(
        user=world.users[Role.SOCIAL_HELPER], case=case, category=category,
        achieved_on=timezone.localdate(),
    )  # fmt: skip
    add = reverse("cases:outcome_add", args=[case.pk])
    remove = reverse("cases:outcome_remove", args=[case.pk, outcome.pk])
    # The programme's manager and analyst read its figures, not the case.
    for role in (Role.MANAGER, Role.ANALYST, Role.EDUCATOR):
        client = signed_in(world.users[role])
        assert client.get(add).status_code == 404
        assert client.post(remove, {"why": "x", "version": outcome.version}).status_code == 404
    outsider = signed_in(world.outsiders[Role.CASE_WORKER])
    assert outsider.post(remove, {"why": "x", "version": outcome.version}).status_code == 404
    assert Outcome.objects.filter(pk=outcome.pk).exists()
    # An outcome of another case is not reached through this one.
    other = _open(world, title="Other")
    assert (
        signed_in(world.users[Role.SOCIAL_HELPER])
        .get(reverse("cases:outcome_remove", args=[other.pk, outcome.pk]))
        .status_code
        == 404
    )


def test_an_adult_case_counts_outcomes_too(world, signed_in):
    from earlyhelp.cases import services

    case = services.case_open(
        user=world.users[Role.CASE_WORKER], service=world.service_a, title="Anna",
        kind="authority", reason="Housing benefit application", subject="adult",
        adults=[world.parent_inside],
    )  # fmt: skip
    category = _programme(world, case).outcome_categories.get(code="application_resolved")
    outcomes.outcome_record(
        user=world.users[Role.CASE_WORKER], case=case, category=category,
        achieved_on=timezone.localdate(),
    )  # fmt: skip
    section = reverse("cases:case_outcomes", args=[case.pk])
    page = signed_in(world.users[Role.CASE_WORKER]).get(section).content.decode()
    assert "An application resolved" in page


def test_a_programme_the_reader_cannot_see_is_not_named_with_its_outcomes(world, signed_in):
    case = _open(world)
    _programme(world, case)
    today = timezone.localdate()
    hidden = Programme.objects.create(
        municipality=world.municipality_b, name="Elsewhere fund", starts_on=today,
        ends_on=today + dt.timedelta(days=400), created_by=world.outsiders[Role.MANAGER],
    )  # fmt: skip
    case.programmes.add(hidden)
    OutcomeCategory.objects.create(programme=hidden, code="own-debt", name="Debt settled")
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    page = client.get(reverse("cases:case_outcomes", args=[case.pk])).content.decode()
    assert "Segítő programme" in page and "Elsewhere fund" not in page
    assert "Debt settled" not in page
    assert "1 programme you cannot see" in page
    form = client.get(reverse("cases:outcome_add", args=[case.pk])).content.decode()
    assert "Elsewhere fund" not in form
    assert "another programme: Debt settled" in form and "Segítő programme: Housing kept" in form
