"""Activities, contact arrangements and foster-care placements at their boundary dates: due
the day their period ends from their last day, not the day before; erased, they keep what
the figures count; erased, they no longer keep the child identified."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from earlyhelp.activities.models import Activity, Participant, Session
from earlyhelp.activities.tests.access_expectations import make_activity
from earlyhelp.contacts.models import Arrangement, Meeting, Report
from earlyhelp.contacts.tests.access_expectations import make_arrangement
from earlyhelp.fostercare.models import Placement
from earlyhelp.fostercare.tests.access_expectations import make_household
from earlyhelp.people.retention import children_due
from earlyhelp.privacy.retention import Holds, retention_apply
from earlyhelp.privacy.tests.test_retention import _approved, due_ids

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
