"""The class register: unexcused absence that reaches the profile's threshold drafts a signal
(HU: 10 school hours, 5 kindergarten days in the school year)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.absences.models import Absence, school_year_start
from earlyhelp.audit.models import AuditEvent
from earlyhelp.concerns.models import Concern
from earlyhelp.notifications.models import Notification
from earlyhelp.organisations.models import Institution, Role

pytestmark = pytest.mark.django_db


def _record(client, world, day, amount, **extra):
    return client.post(
        reverse("absences:list"),
        {
            "institution": world.school_a1.pk,
            "child": world.inside.pk,
            "date": day.isoformat(),
            "amount": amount,
            **extra,
        },
    )


def _school_days(count):
    """`count` distinct past days of this school year (the threshold counts per school year)."""
    today = timezone.localdate()
    start = school_year_start(today)
    days = [today - timedelta(days=n) for n in range(count)]
    assert all(d >= start for d in days) or today.month == 9  # early September: few past days
    return [d if d >= start else today for d in days]


def test_the_school_year_starts_on_the_first_of_september():
    assert school_year_start(date(2026, 8, 31)) == date(2025, 9, 1)
    assert school_year_start(date(2026, 9, 1)) == date(2026, 9, 1)


def test_ten_unexcused_school_hours_draft_a_signal_for_the_recorder_and_tell_the_lead(
    world, signed_in
):
    client = signed_in(world.users[Role.EDUCATOR])
    for day in _school_days(2):
        assert _record(client, world, day, 4).status_code == 302
    _record(client, world, timezone.localdate(), 3, excused="on")  # excused: not counted
    assert not Concern.objects.exists()
    _record(client, world, timezone.localdate(), 2)  # 4 + 4 + 2 = 10 unexcused hours
    draft = Concern.objects.get()
    assert (draft.status, draft.reporter, draft.categories) == (
        "draft",
        world.users[Role.EDUCATOR],
        ["absence"],
    )
    assert "10" in draft.what_happened
    assert list(draft.children.values_list("child_id", "role")) == [(world.inside.pk, "harmed")]
    assert Notification.objects.filter(
        recipient=world.users[Role.EDUCATOR], kind="absence_threshold"
    ).exists()
    assert Notification.objects.filter(
        recipient=world.users[Role.INSTITUTION_LEAD], kind="absence_threshold"
    ).exists()
    # One draft per child and school year, however much more is recorded.
    _record(client, world, timezone.localdate(), 1)
    assert Concern.objects.count() == 1
    page = client.get(reverse("absences:list")).content.decode()
    assert "signal due" in page
    # Sending it stays the educator's act: the draft opens in the report form.
    assert client.get(reverse("concerns:edit", args=[draft.pk])).status_code == 200


def test_five_unexcused_days_in_a_kindergarten(world, signed_in):
    world.school_a1.kind = Institution.Kind.KINDERGARTEN
    world.school_a1.save()
    client = signed_in(world.users[Role.EDUCATOR])
    for _ in range(4):
        _record(client, world, timezone.localdate(), 1)
    assert not Concern.objects.exists()
    _record(client, world, timezone.localdate(), 1)
    assert Concern.objects.get().trigger.startswith(f"absence:{world.inside.pk}:")
    assert set(Absence.objects.values_list("unit", flat=True)) == {"days"}


def test_no_threshold_where_the_profile_sets_none(world, signed_in):
    client = signed_in(world.outsiders[Role.EDUCATOR])  # municipality B: CZ
    for _ in range(3):
        client.post(
            reverse("absences:list"),
            {
                "institution": world.school_b1.pk,
                "child": world.abroad.pk,
                "date": timezone.localdate().isoformat(),
                "amount": 6,
            },
        )
    assert Absence.objects.count() == 3
    assert not Concern.objects.exists()


def test_bad_input_is_refused_with_the_input_kept(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _record(client, world, tomorrow, 2, note="Doctor's note promised")
    assert response.status_code == 200
    assert "day still to come" in response.content.decode()
    assert response.context["form"]["note"].value() == "Doctor's note promised"
    response = _record(client, world, timezone.localdate(), 0)
    assert response.status_code == 200
    assert not Absence.objects.exists()


def test_only_the_childs_educator_or_lead_records_and_every_change_is_audited(world, signed_in):
    outsider = signed_in(world.users[Role.EDUCATOR])
    response = outsider.post(
        reverse("absences:list"),
        {
            "institution": world.school_a1.pk,
            "child": world.elsewhere.pk,  # another school's child
            "date": timezone.localdate().isoformat(),
            "amount": 1,
        },
    )
    assert response.status_code == 200 and not Absence.objects.exists()
    for role in (Role.SOCIAL_HELPER, Role.MANAGER, Role.CASE_WORKER):
        assert signed_in(world.users[role]).get(reverse("absences:list")).status_code == 403
    lead = signed_in(world.users[Role.INSTITUTION_LEAD])
    assert _record(lead, world, timezone.localdate(), 2).status_code == 302
    absence = Absence.objects.get()
    assert AuditEvent.objects.filter(
        object_type="absences.absence", object_id=str(absence.pk), action="create"
    ).exists()
    lead.post(reverse("absences:excuse", args=[absence.pk]), {"version": absence.version})
    absence.refresh_from_db()
    assert absence.excused
    assert AuditEvent.objects.filter(
        object_id=str(absence.pk), changes__excused=[False, True]
    ).exists()
