"""Assisted contact, told as the service lives it: an arrangement between Bence and his father,
meetings planned around school and the other commitments, a session recorded on a tablet, a
missed meeting, and a report the supervisor releases."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.activities import services as activity_services
from earlyhelp.activities.models import ActivityType
from earlyhelp.audit.models import AuditEvent
from earlyhelp.contacts import services
from earlyhelp.contacts.models import Arrangement, Meeting, Report, Room
from earlyhelp.contacts.rules import limits_for
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Relationship
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def _next(weekday: int, hour: int, minute: int = 0, weeks: int = 1) -> datetime:
    """A moment on a coming `weekday` (0 = Monday), at least a week ahead, outside holidays."""
    day = timezone.localdate() + timedelta(days=7 * weeks)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def contact(world):
    father = f.AdultFactory(municipality=world.municipality_a, given_name="Péter")
    f.RelationshipFactory(child=world.inside, adult=father, kind=Relationship.Kind.FATHER)
    room = Room.objects.create(
        municipality=world.municipality_a, service=world.service_a, name="Blue room"
    )
    arrangement = services.arrangement_create(
        user=world.users[Role.CASE_WORKER], service=world.service_a, child=world.inside,
        data={
            "visitor": father, "carer": world.parent_inside, "basis": "court_order",
            "basis_reference": "12 P 345/2026", "restrictions": ["no_proceedings"],
            "competences": ["needs", "parting"], "frequency": "weekly", "minutes": 90,
            "room": room, "starts_on": timezone.localdate(),
        },
    )  # fmt: skip
    return arrangement


def _saturday_series(arrangement, count=4, hour=10, minutes=90, room=None):
    first = _next(5, hour)
    return services.series_slots(
        arrangement, first_day=timezone.localdate(first), start=time(hour), count=count,
        step_days=7, minutes=minutes, room=room or arrangement.room,
    )  # fmt: skip


def test_a_series_on_free_saturdays_is_planned_at_once(world, contact):
    slots = _saturday_series(contact)
    assert all(slot.free for slot in slots)
    meetings = services.meetings_plan(
        user=world.users[Role.CASE_WORKER], arrangement=contact, slots=slots, room=contact.room
    )
    assert len(meetings) == 4
    assert {m.stage for m in meetings} == {Arrangement.Stage.AGREEMENT}
    assert all(m.ends_at - m.starts_at == timedelta(minutes=90) for m in meetings)


def test_school_hours_and_length_by_age_are_explained(world, contact):
    tuesday = _next(1, 10)
    found = services.series_slots(
        contact, first_day=timezone.localdate(tuesday), start=time(10), count=1, step_days=7,
        minutes=150, room=contact.room,
    )[0].clashes  # fmt: skip
    kinds = {c.kind for c in found}
    assert kinds == {"school_hours", "too_long"}
    assert any("120" in c.message for c in found)  # Bence is 10: at most 120 minutes
    # Allowed by the court: the school hours no longer clash.
    contact.school_hours_allowed = True
    assert {c.kind for c in services.series_slots(
        contact, first_day=timezone.localdate(tuesday), start=time(10), count=1, step_days=7,
        minutes=90, room=contact.room,
    )[0].clashes} == set()  # fmt: skip


def test_the_limits_come_from_the_jurisdiction_profile(world):
    limits = limits_for(world.municipality_a)
    assert limits.max_minutes(2) == 60 and limits.max_minutes(10) == 120
    assert limits.max_minutes(15) == 180


def test_clashes_of_room_worker_child_and_parents_are_each_explained(world, contact):
    worker = world.users[Role.CASE_WORKER]
    services.meetings_plan(
        user=worker, arrangement=contact, slots=_saturday_series(contact, count=1),
        room=contact.room,
    )  # fmt: skip
    # Bence's sister meets the same father in the same room, with another worker, at the same time.
    sister = f.ChildFactory(municipality=world.municipality_a, birth_date=date(2014, 3, 1))
    f.RelationshipFactory(child=sister, adult=contact.visitor, kind=Relationship.Kind.FATHER)
    other_worker = world.users[Role.SUPERVISOR]
    sister.team_members.create(user=other_worker)
    second = services.arrangement_create(
        user=other_worker, service=world.service_a, child=sister,
        data={"visitor": contact.visitor, "basis": "agreement", "minutes": 60,
              "starts_on": timezone.localdate()},
    )  # fmt: skip
    slot = _saturday_series(second, count=1, room=contact.room, minutes=60)[0]
    assert {c.kind for c in slot.clashes} == {"room", "visitor"}
    with pytest.raises(ValidationError) as refused:
        services.meetings_plan(
            user=other_worker, arrangement=second, slots=[slot], room=contact.room
        )
    assert "Blue room is taken" in str(refused.value)
    # The worker's own group at the same time, and the child's.
    club = activity_services.activity_create(
        user=worker,
        data={"institution": world.school_a1, "title": "Parents' club", "recurrence": "once",
              "type": ActivityType.objects.get(
                  municipality=world.municipality_a, code="parent_club"),
              "starts_on": timezone.localdate(slot.starts_at), "start_time": time(11),
              "minutes": 60},
    )  # fmt: skip
    assert club.sessions.count() == 1
    activity_services.participant_add(user=worker, activity=club, child=world.inside)
    found = services.series_slots(
        contact, first_day=timezone.localdate(slot.starts_at), start=time(10), count=1,
        step_days=7, minutes=90, room=None,
    )[0].clashes  # fmt: skip
    kinds = {c.kind for c in found}
    # His own meeting (one reason), and the club the worker holds and Bence attends.
    assert kinds == {"same", "worker", "child"}
    assert any("Parent club" in c.message for c in found if c.kind == "child")


def test_planning_the_free_dates_only_and_shifting_the_series(world, contact):
    worker = world.users[Role.CASE_WORKER]
    slots = _saturday_series(contact, count=3)
    # The room is taken on the second Saturday by another service's booking of the same room.
    other = Meeting.objects.create(
        arrangement=contact, municipality=world.municipality_a, child=world.elsewhere, lead=worker,
        room=contact.room, starts_at=slots[1].starts_at,
        ends_at=slots[1].starts_at + timedelta(hours=1),
        stage="agreement",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.meetings_plan(user=worker, arrangement=contact, slots=slots, room=contact.room)
    planned = services.meetings_plan(
        user=worker, arrangement=contact, slots=slots, room=contact.room, skip_clashes=True
    )
    assert len(planned) == 2
    other.delete()
    moved = services.series_shift(
        user=worker, arrangement=contact, from_day=timezone.localdate(), minutes=60, version=1
    )
    # The same click again (the version it was made from is gone): nothing moves twice.
    with pytest.raises(StaleVersionError):
        services.series_shift(
            user=worker, arrangement=contact, from_day=timezone.localdate(), minutes=60, version=1
        )
    assert {timezone.localtime(m.starts_at).hour for m in moved} == {11}
    with pytest.raises(ValidationError, match="school"):
        # Moving onto Monday morning runs into school hours: nothing moves.
        services.series_shift(
            user=worker, arrangement=contact, from_day=timezone.localdate(), days=2, version=2
        )
    assert {timezone.localtime(m.starts_at).weekday() for m in contact.meetings.all()} == {5}


def test_a_session_is_recorded_and_a_stale_record_is_refused(world, contact):
    worker = world.users[Role.CASE_WORKER]
    meeting = Meeting.objects.create(
        arrangement=contact, municipality=world.municipality_a, child=world.inside, lead=worker,
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(minutes=30),
        stage="agreement",
    )  # fmt: skip
    data = {
        "visitor_arrived_at": time(9, 55), "child_arrived_at": time(10, 5),
        "handover_at": time(10, 10), "ended_at": time(11, 30), "present": "Bence, father, worker",
        "observations": {"needs": "Noticed he was cold and gave him his jumper."},
        "child_words": "„Apa megígérte, hogy jövő héten is jön.”", "incidents": "",
        "ended_early": False, "early_end_reason": "", "caused_by": "visitor", "minutes_late": 5,
    }  # fmt: skip
    with pytest.raises(ValidationError, match="competences"):
        services.meeting_record(
            user=worker, meeting=meeting, version=1,
            data={**data, "observations": {"boundaries": "x"}},
        )  # fmt: skip
    services.meeting_record(user=worker, meeting=meeting, data=data, version=1)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.minutes_late == 5
    with pytest.raises(StaleVersionError):
        services.meeting_record(user=worker, meeting=meeting, data=data, version=1)
    with pytest.raises(ValidationError, match="early"):
        services.meeting_record(
            user=worker, meeting=meeting, version=2, data={**data, "ended_early": True}
        )
    assert AuditEvent.objects.filter(object_type="contacts.meeting", action="change").exists()


def test_cancellations_and_no_shows_record_who_caused_them(world, contact):
    worker = world.users[Role.CASE_WORKER]
    ahead = Meeting.objects.create(
        arrangement=contact, municipality=world.municipality_a, child=world.inside, lead=worker,
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=1),
        stage="agreement",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="due"):
        services.meeting_cancel(
            user=worker, meeting=ahead, status="no_show", caused_by="visitor", reason="", version=1
        )
    services.meeting_cancel(
        user=worker, meeting=ahead, status="cancelled", caused_by="carer",
        reason="Bence has a fever",
        version=1,
    )  # fmt: skip
    ahead.refresh_from_db()
    assert ahead.notice_hours in (47, 48) and ahead.caused_by == "carer"


def test_a_report_is_released_by_a_supervisor_who_did_not_write_it(world, contact):
    worker, supervisor = world.users[Role.CASE_WORKER], world.users[Role.SUPERVISOR]
    Meeting.objects.create(
        arrangement=contact, municipality=world.municipality_a, child=world.inside, lead=worker,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3, hours=-1),
        stage="agreement", status="held", incidents="Father raised his voice about the court.",
        observations={"parting": "Said goodbye calmly."}, child_words="„Jó volt.”",
    )  # fmt: skip
    report = services.report_create(
        user=worker, arrangement=contact, recipient="court",
        period_from=timezone.localdate() - timedelta(days=30), period_to=timezone.localdate(),
        summary="Contacts take place regularly.",
    )  # fmt: skip
    assert not can(worker, Action.APPROVE, report)
    services.report_submit(user=worker, report=report, version=1)
    with pytest.raises(ValidationError):
        services.report_review(user=supervisor, report=report, release=False, note=" ", version=2)
    services.report_review(user=supervisor, report=report, release=True, note="", version=2)
    report.refresh_from_db()
    assert report.status == Report.Status.RELEASED and bytes(report.pdf).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="release", object_id=str(report.pk)).exists()
    with pytest.raises(ValidationError):
        services.report_update(user=worker, report=report, data={"summary": "x"}, version=3)


def test_who_may_see_and_work_an_arrangement(world, contact):
    worker, supervisor = world.users[Role.CASE_WORKER], world.users[Role.SUPERVISOR]
    arrangements = Arrangement.objects.all()
    assert list(visible(worker, arrangements)) == [contact]
    assert list(visible(supervisor, arrangements, Action.CHANGE)) == [contact]
    for role in (Role.EDUCATOR, Role.INSTITUTION_LEAD, Role.MANAGER, Role.ANALYST, Role.ADMIN):
        assert not visible(world.users[role], arrangements).exists()
    assert not visible(world.outsiders[Role.SUPERVISOR], arrangements).exists()
    # A colleague of the service reads the calendar but does not change it.
    colleague = f.UserFactory(municipality=world.municipality_a)
    f.MembershipFactory(
        user=colleague, role=Role.CASE_WORKER, municipality=world.municipality_a,
        service=world.service_a,
    )  # fmt: skip
    assert can(colleague, Action.VIEW, contact) and not can(colleague, Action.CHANGE, contact)
    with pytest.raises(PermissionDenied):
        services.arrangement_stage(
            user=colleague, arrangement=contact, stage="handover", on=timezone.localdate(),
            reason="", version=1,
        )  # fmt: skip
    # Nobody opens an arrangement for a child they may not see.
    with pytest.raises(PermissionDenied):
        services.arrangement_create(
            user=colleague, service=world.service_a, child=world.secret,
            data={"visitor": world.parent_inside, "basis": "agreement",
                  "starts_on": timezone.localdate()},
        )  # fmt: skip


def test_stages_move_forward_and_back_with_a_reason(world, contact):
    worker = world.users[Role.CASE_WORKER]
    services.arrangement_stage(
        user=worker, arrangement=contact, stage="assisted", on=timezone.localdate(), reason="",
        version=1,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="why"):
        services.arrangement_stage(
            user=worker, arrangement=contact, stage="handover", on=timezone.localdate(),
            reason=" ", version=2,
        )  # fmt: skip
    services.arrangement_stage(
        user=worker, arrangement=contact, stage="handover", on=timezone.localdate(),
        reason="The handovers became tense again.", version=2,
    )  # fmt: skip
    assert [c.to_stage for c in contact.stage_changes.all()] == [
        "agreement",
        "assisted",
        "handover",
    ]


def test_a_profile_version_sets_its_own_limits_and_bad_limits_are_refused(world):
    from earlyhelp.protocols.models import Profile, validate_rules
    from earlyhelp.protocols.selectors import profile_for

    current = profile_for(world.municipality_a)
    rules = {
        **current.rules,
        "assisted_contact": {"max_minutes_by_age": [[6, 45], [None, 100]], "school_from_age": 7},
    }
    validate_rules(rules)
    Profile.objects.create(
        key=current.key, version=current.version + 1, name=current.name,
        jurisdiction=current.jurisdiction, rules=rules, published_at=timezone.now(),
    )  # fmt: skip
    limits = limits_for(world.municipality_a)
    assert (limits.max_minutes(5), limits.max_minutes(10), limits.school_from_age) == (45, 100, 7)
    for bad in (
        {"max_minutes_by_age": [[None, 100], [6, 45]]},
        {"school_day": ["15:00", "08:00"]},
        {"max_minutes": 90},
    ):
        with pytest.raises(ValidationError, match="assisted_contact"):
            validate_rules({**current.rules, "assisted_contact": bad})


def test_review_findings_editing_restricted_children_second_reader_and_time(world, contact):
    worker, supervisor = world.users[Role.CASE_WORKER], world.users[Role.SUPERVISOR]
    helper = world.users[Role.SOCIAL_HELPER]
    # An arrangement can be changed, and ending it calls off its planned meetings.
    slots = _saturday_series(contact, count=2)
    services.meetings_plan(user=worker, arrangement=contact, slots=slots, room=contact.room)
    services.arrangement_update(
        user=worker, arrangement=contact, version=1,
        data={"minutes": 60, "status": "ended", "workers": [supervisor]},
    )  # fmt: skip
    contact.refresh_from_db()
    assert contact.minutes == 60 and contact.status == "ended"
    assert not contact.meetings.filter(status="planned").exists()
    change = AuditEvent.objects.filter(action="change", object_type="contacts.arrangement").latest(
        "id"
    )
    assert change.changes["workers"] == [[], [supervisor.pk]]
    with pytest.raises(ValidationError, match="ended"):
        services.arrangement_stage(
            user=worker, arrangement=contact, stage="handover", on=timezone.localdate(),
            reason="", version=contact.version,
        )  # fmt: skip
    # A restricted child: only workers named on the child's team work the arrangement.
    parent = f.AdultFactory(municipality=world.municipality_a)
    f.RelationshipFactory(child=world.secret, adult=parent)
    with pytest.raises(ValidationError, match="may not see"):
        services.arrangement_create(
            user=worker, service=world.service_a, child=world.secret,
            data={"visitor": parent, "basis": "agreement", "starts_on": timezone.localdate(),
                  "workers": [helper]},
        )  # fmt: skip
    secret = services.arrangement_create(
        user=worker, service=world.service_a, child=world.secret,
        data={"visitor": parent, "basis": "agreement", "starts_on": timezone.localdate()},
    )  # fmt: skip
    secret.workers.add(helper)  # added behind the service's back: still no access
    assert not can(helper, Action.VIEW, secret)
    assert not can(supervisor, Action.VIEW, secret)  # not on Luca's team
    # The supervisor may not rewrite the worker's report and then release it.
    report = services.report_create(
        user=worker, arrangement=contact, recipient="court",
        period_from=timezone.localdate() - timedelta(days=30), period_to=timezone.localdate(),
        summary="Contacts take place regularly.",
    )  # fmt: skip
    assert not can(supervisor, Action.CHANGE, report)
    with pytest.raises(PermissionDenied):
        services.report_update(user=supervisor, report=report, data={"summary": "x"}, version=1)
    assert can(worker, Action.CHANGE, report) and not can(worker, Action.APPROVE, report)
    row = AuditEvent.objects.filter(object_type="contacts.report", action="create").latest("id")
    assert row.subject == f"people.child:{world.inside.pk}"
    # Planning outside the arrangement's days is explained.
    found = services.series_slots(
        secret, first_day=timezone.localdate() - timedelta(days=2), start=time(16), count=1,
        step_days=7, minutes=60,
    )[0].clashes  # fmt: skip
    assert "outside" in {c.kind for c in found}


def test_a_shift_keeps_the_local_time_across_summer_time(world, contact):
    worker = world.users[Role.CASE_WORKER]
    # Saturdays around the end of March 2027, when central Europe moves to summer time.
    before = timezone.make_aware(datetime(2027, 3, 27, 10, 0))
    services.meetings_plan(
        user=worker, arrangement=contact, room=contact.room,
        slots=[services.Slot(before, 60, [])],
    )  # fmt: skip
    (moved,) = services.series_shift(
        user=worker, arrangement=contact, from_day=date(2027, 3, 27), days=7, version=1
    )
    local = timezone.localtime(moved.starts_at)
    assert (local.date(), local.hour) == (date(2027, 4, 3), 10)
