"""Activities, contact arrangements, foster-care placements and households at their boundary
dates: due the day their period ends from their last day, not the day before; erased, they keep
what the figures count; erased, they no longer keep the child (or the carers) identified."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from earlyhelp.activities.models import Activity, Participant, Session
from earlyhelp.activities.tests.access_expectations import make_activity
from earlyhelp.contacts.models import Arrangement, Meeting, Report
from earlyhelp.contacts.tests.access_expectations import make_arrangement
from earlyhelp.fostercare.models import (
    Carer,
    DevelopmentItem,
    Household,
    Placement,
    SupportAgreement,
    Training,
    Visit,
)
from earlyhelp.fostercare.tests.access_expectations import make_household
from earlyhelp.people.retention import children_due
from earlyhelp.privacy.retention import Holds, retention_apply
from earlyhelp.privacy.tests.test_retention import _approved, due_ids
from earlyhelp.tests.matrix import CW

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


def test_an_activity_is_due_24_months_after_its_last_day(world):
    on_the_day = make_activity(world, True)
    a_day_later = make_activity(world, True)
    Activity.objects.filter(pk=on_the_day.pk).update(
        status="ended", starts_on=date(2015, 1, 1), ends_on=date(2024, 12, 7)
    )
    Activity.objects.filter(pk=a_day_later.pk).update(
        status="ended", starts_on=date(2015, 1, 1), ends_on=date(2024, 12, 8)
    )
    due = due_ids(world, "activity")
    assert on_the_day.pk in due and a_day_later.pk not in due


def test_an_erased_activity_keeps_its_sessions_and_counts_and_names_nobody(world):
    activity = make_activity(world, True)
    Participant.objects.create(
        activity=activity,
        municipality=activity.municipality,
        child=world.inside,
        joined_on=activity.starts_on,
        feedback="Bence loved it.",
    )
    Session.objects.filter(activity=activity).update(note="Bence cried.", head_count=7)
    Activity.objects.filter(pk=activity.pk).update(
        status="ended", starts_on=date(2015, 1, 1), ends_on=date(2023, 1, 1)
    )
    retention_apply(_approved(world, "activity").pk)
    activity.refresh_from_db()
    assert activity.title == "—" and activity.anonymised_at is not None
    assert activity.participants.count() == 2
    assert set(activity.participants.values_list("child_id", "name", "feedback")) == {
        (None, "—", "")
    }
    assert list(Session.objects.filter(activity=activity).values_list("note", "head_count")) == [
        ("", 7)
    ]


def test_an_arrangement_is_due_60_months_after_it_ended_and_erased_keeps_its_shape(world):
    arrangement = make_arrangement(world, True)
    Arrangement.objects.filter(pk=arrangement.pk).update(
        status="ended",
        starts_on=date(2015, 1, 1),
        ends_on=date(2021, 12, 8),
        may_attend="Grandmother Kovács",
    )
    assert arrangement.pk not in due_ids(world, "contact_arrangement")
    Arrangement.objects.filter(pk=arrangement.pk).update(ends_on=date(2021, 12, 7))
    assert arrangement.pk in due_ids(world, "contact_arrangement")
    Meeting.objects.filter(arrangement=arrangement).update(child_words="I miss dad.")
    retention_apply(_approved(world, "contact_arrangement").pk)
    arrangement.refresh_from_db()
    assert arrangement.may_attend == "" and arrangement.anonymised_at is not None
    assert Meeting.objects.get(arrangement=arrangement).child_words == ""
    assert Report.objects.get(arrangement=arrangement).summary == ""
    assert arrangement.child_id == world.inside.pk


def test_a_placement_is_due_120_months_after_it_ended(world):
    household = make_household(world, True)
    placement = Placement.objects.get(household=household)
    Placement.objects.filter(pk=placement.pk).update(
        starts_on=date(2010, 1, 1), ends_on=date(2016, 12, 7)
    )
    assert placement.pk in due_ids(world, "foster_care")
    Placement.objects.filter(pk=placement.pk).update(ends_on=date(2016, 12, 8))
    assert placement.pk not in due_ids(world, "foster_care")


def _household_ended(world, on: date) -> Household:
    household = make_household(world, True)
    Placement.objects.filter(household=household).update(
        starts_on=date(2010, 1, 1), ends_on=date(2012, 1, 1)
    )
    moment = timezone.make_aware(datetime.combine(on, time(12)))
    Household.objects.filter(pk=household.pk).update(active=False, updated_at=moment)
    return household


def test_a_household_no_longer_supported_is_due_120_months_after_its_last_change(world):
    household = _household_ended(world, date(2016, 12, 7))
    # Its placement, not yet erased, keeps it.
    assert household.pk not in due_ids(world, "foster_household")
    Placement.objects.filter(household=household).update(anonymised_at=timezone.now())
    assert household.pk in due_ids(world, "foster_household")
    a_day_later = timezone.make_aware(datetime.combine(date(2016, 12, 8), time(12)))
    Household.objects.filter(pk=household.pk).update(updated_at=a_day_later)
    assert household.pk not in due_ids(world, "foster_household")
    Household.objects.filter(pk=household.pk).update(updated_at=a_day_later - timedelta(days=1))
    assert household.pk in due_ids(world, "foster_household")
    Household.objects.filter(pk=household.pk).update(active=True)
    assert household.pk not in due_ids(world, "foster_household")


def test_an_erased_household_keeps_what_the_figures_count_and_no_longer_keeps_its_carers(world):
    household = _household_ended(world, date(2015, 6, 1))
    Placement.objects.filter(household=household).update(anonymised_at=timezone.now())
    SupportAgreement.objects.filter(household=household).update(reference="NK-2015/7")
    carer = Carer.objects.get(household=household)
    Visit.objects.create(
        household=household, municipality=household.municipality, kind="counselling",
        on=date(2014, 3, 1), by=world.users[CW], note="Mrs Novák was tired.",
    )  # fmt: skip
    Training.objects.create(
        household=household, municipality=household.municipality, carer=carer,
        on=date(2014, 4, 1), title="Course with Dr Kiss", hours=Decimal(6),
        recorded_by=world.users[CW],
    )  # fmt: skip
    retention_apply(_approved(world, "foster_household").pk)
    household.refresh_from_db()
    assert (household.name, household.address, household.active) == ("", "", False)
    assert household.anonymised_at is not None and "anonymised" in str(household)
    assert list(Visit.objects.filter(household=household).values_list("kind", "note")) == [
        ("counselling", "")
    ]
    assert list(Training.objects.filter(household=household).values_list("title", "hours")) == [
        ("", Decimal(6))
    ]
    assert SupportAgreement.objects.get(household=household).reference == ""
    assert DevelopmentItem.objects.get(household=household).goal == ""
    # The carer stays linked, and its adult's own period counts from today.
    carer.refresh_from_db()
    carer.adult.refresh_from_db()
    assert carer.household_id == household.pk
    assert timezone.localdate(carer.adult.updated_at) == timezone.localdate()


def test_erased_records_no_longer_keep_their_child(world):
    child = world.inside
    type(child).objects.filter(pk=child.pk).update(birth_date=date(2000, 1, 1))
    make_arrangement(world, True)
    cutoff = TODAY - timedelta(days=400)

    def due() -> bool:
        return child.pk in [
            pk for pk, _ in children_due(child.municipality_id, "adult", cutoff, Holds(), None)
        ]

    assert not due()
    Arrangement.objects.filter(child=child).update(anonymised_at=timezone.now())
    assert due()
