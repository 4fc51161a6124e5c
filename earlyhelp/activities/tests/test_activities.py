"""The toolkit of help: planning series, taking attendance for a group of 25 in one save, the
agreement a wellbeing conversation needs, community events, workshops, sparring, the week and
the month's log."""

import csv
import io
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.activities import selectors, services
from earlyhelp.activities.models import (
    CATALOGUE,
    ActivityType,
    Attendance,
    Participant,
    Session,
    SparringRequest,
)
from earlyhelp.audit.models import AuditEvent
from earlyhelp.notifications.models import Notification
from earlyhelp.organisations.models import Membership, Role
from earlyhelp.people.models import Consent
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def _type(world, code, municipality=None):
    return ActivityType.objects.get(municipality=municipality or world.municipality_a, code=code)


def _plan(world, code="parent_club", **extra):
    data = {
        "institution": world.school_a1, "type": _type(world, code), "title": "Parent club",
        "recurrence": "once", "starts_on": timezone.localdate(), "start_time": time(15, 0),
        "minutes": 90,
    }  # fmt: skip
    data.update(extra)
    return services.activity_create(user=world.users[Role.SOCIAL_HELPER], data=data)


def test_every_new_municipality_gets_the_shipped_catalogue(world):
    codes = set(
        ActivityType.objects.filter(municipality=world.municipality_b).values_list(
            "code", flat=True
        )
    )
    assert codes == set(CATALOGUE)
    assert str(_type(world, "baby_mama_club")) == "Baby-mama club"
    assert _type(world, "wellbeing_conversation").needs_agreement


def test_a_weekly_series_is_planned_at_once_and_a_series_needs_its_last_day(world):
    start = date(2026, 9, 1)
    club = _plan(world, recurrence="weekly", starts_on=start, ends_on=date(2026, 9, 29))
    days = [timezone.localtime(s.starts_at).date() for s in club.sessions.all()]
    assert days == [start + timedelta(days=7 * n) for n in range(5)]
    assert all(timezone.localtime(s.starts_at).time() == time(15, 0) for s in club.sessions.all())
    fortnightly = _plan(world, recurrence="fortnightly", starts_on=start, ends_on=date(2026, 9, 29))
    assert fortnightly.sessions.count() == 3
    assert _plan(world, recurrence="custom", starts_on=start).sessions.count() == 0
    with pytest.raises(ValidationError, match="last day"):
        _plan(world, recurrence="weekly", starts_on=start)
    with pytest.raises(ValidationError, match="at most"):
        _plan(world, recurrence="weekly", starts_on=start, ends_on=start + timedelta(days=7 * 80))


def test_only_where_the_user_works_and_with_a_type_of_the_municipality(world):
    with pytest.raises(PermissionDenied):
        _plan(world, institution=world.school_b1)
    with pytest.raises(ValidationError, match="catalogue"):
        _plan(world, type=_type(world, "parent_club", world.municipality_b))
    with pytest.raises(PermissionDenied):
        services.activity_create(
            user=world.users[Role.EDUCATOR],
            data={"institution": world.school_a1, "type": _type(world, "parent_club"),
                  "title": "x", "recurrence": "once", "starts_on": timezone.localdate()},
        )  # fmt: skip


def _group_of(world, size):
    club = _plan(world, starts_on=timezone.localdate() - timedelta(days=1))
    for n in range(size):
        child = f.ChildFactory(municipality=world.municipality_a)
        f.EnrolmentFactory(child=child, group=world.class_a1)
        Participant.objects.create(
            activity=club, municipality=world.municipality_a, child=child,
            joined_on=club.starts_on,
            target_group="action_area" if n % 4 else "elsewhere",
        )  # fmt: skip
    return club


def test_attendance_for_25_is_one_save_and_the_page_asks_the_same_queries_for_any_size(
    world, signed_in
):
    club = _group_of(world, 25)
    session = club.sessions.get()
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    page = reverse("activities:session", args=[club.pk, session.pk])
    response = client.get(page)
    assert response.status_code == 200
    assert len(re.findall(r'value="present"[^>]*checked', response.content.decode())) == 25
    participants = list(club.participants.order_by("pk"))
    data = {"status": "held", "minutes": 90, "note": "Talked about bedtime.", "version": 1}
    data.update({f"p{p.pk}": "present" for p in participants})
    data[f"p{participants[0].pk}"] = "absent"
    data[f"p{participants[1].pk}"] = "excused"
    data["head_count"] = 3
    assert client.post(page, data).status_code == 302
    session.refresh_from_db()
    assert (session.status, session.note, session.head_count) == ("held", data["note"], 3)
    statuses = dict(
        Attendance.objects.filter(session=session).values_list("participant_id", "status")
    )
    assert len(statuses) == 25 and list(statuses.values()).count("present") == 23

    with CaptureQueriesContext(connection) as small:
        client.get(page)
    for _n in range(10):
        child = f.ChildFactory(municipality=world.municipality_a)
        Participant.objects.create(
            activity=club, municipality=world.municipality_a, child=child,
            joined_on=club.starts_on,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as large:
        client.get(page)
    assert len(large) == len(small)


def test_a_meeting_still_to_come_is_offered_as_planned_so_that_saving_it_works(world, signed_in):
    club = _plan(world, starts_on=timezone.localdate() + timedelta(days=7))
    session = club.sessions.get()
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    page = reverse("activities:session", args=[club.pk, session.pk])
    form = client.get(page).context["form"]
    assert form["status"].value() == "planned"
    kept = {k: v for k, v in form.initial.items() if v is not None}
    answer = client.post(page, {**kept, "note": "Bring the board games."})
    assert answer.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.note) == ("planned", "Bring the board games.")
    # A meeting that has begun (or begins within the hour) is offered as held.
    past = _group_of(world, 1).sessions.get()
    page = reverse("activities:session", args=[past.activity_id, past.pk])
    assert client.get(page).context["form"]["status"].value() == "held"


def test_a_stale_attendance_save_is_refused_and_what_was_typed_is_kept(world, signed_in):
    club = _group_of(world, 2)
    session = club.sessions.get()
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    page = reverse("activities:session", args=[club.pk, session.pk])
    p1, p2 = club.participants.order_by("pk")
    base = {"status": "held", "minutes": 60, f"p{p1.pk}": "present", f"p{p2.pk}": "absent"}
    assert client.post(page, {**base, "note": "First.", "version": 1}).status_code == 302
    stale = client.post(page, {**base, "note": "Mine, typed meanwhile.", "version": 1})
    assert stale.status_code == 400
    assert "Someone else changed this record" in stale.content.decode()
    assert "Mine, typed meanwhile." in stale.content.decode()
    session.refresh_from_db()
    assert session.note == "First."


def test_a_drop_out_needs_a_reason_and_is_not_expected_afterwards(world):
    club = _group_of(world, 2)
    helper = world.users[Role.SOCIAL_HELPER]
    leaver = club.participants.first()
    with pytest.raises(ValidationError, match="why"):
        services.participant_update(
            user=helper, participant=leaver, left_on=timezone.localdate(), left_reason="",
            outcome="", outcome_note="", target_group="", version=1,
        )  # fmt: skip
    services.participant_update(
        user=helper, participant=leaver, left_on=timezone.localdate() - timedelta(days=1),
        left_reason="Moved to another town", outcome="partly", outcome_note="Came 5 times",
        target_group="action_area", version=1,
    )  # fmt: skip
    later = Session.objects.create(
        activity=club,
        municipality=world.municipality_a,
        lead=club.lead,
        starts_at=timezone.now(),
        minutes=60,
    )
    assert leaver not in services.attendees(later)
    assert len(services.attendees(later)) == 1


def test_a_wellbeing_conversation_needs_the_agreement_the_jurisdiction_requires(world, signed_in):
    talk = _plan(world, code="wellbeing_conversation", title="Talks with a pupil")
    child = world.elsewhere  # no consent yet
    f.EnrolmentFactory(child=child, group=world.class_a1)
    helper = world.users[Role.SOCIAL_HELPER]
    client = signed_in(helper)
    add = reverse("activities:participant_add", args=[talk.pk])
    refused = client.post(add, {"child": child.pk, "joined_on": timezone.localdate()})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "consent of a parent with parental responsibility" in body
    assert "Consents" in body
    parent = f.AdultFactory(municipality=world.municipality_a)
    f.RelationshipFactory(child=child, adult=parent, parental_responsibility=True)
    Consent.objects.create(
        child=child, municipality=world.municipality_a, given_by=parent,
        purpose=Consent.Purpose.WELLBEING_CONVERSATION, given_on=timezone.localdate(),
    )  # fmt: skip
    assert (
        client.post(add, {"child": child.pk, "joined_on": timezone.localdate()}).status_code == 302
    )
    assert talk.participants.filter(child=child).exists()


def test_in_denmark_the_school_must_agree_too(db):
    from earlyhelp.tests.personas import build_world

    world = build_world()
    dk = f.JurisdictionFactory(code="DK")
    world.municipality_a.jurisdiction = dk
    world.municipality_a.save()
    child = world.inside
    parent = world.parent_inside
    child.relationships.update(parental_responsibility=True)
    Consent.objects.create(
        child=child, municipality=world.municipality_a, given_by=parent,
        purpose=Consent.Purpose.WELLBEING_CONVERSATION, given_on=timezone.localdate(),
    )  # fmt: skip
    child.refresh_from_db()
    assert services.missing_agreements(child) == ["school"]
    Consent.objects.create(
        child=child, municipality=world.municipality_a, given_by_other="The head of A1",
        purpose=Consent.Purpose.SCHOOL_AGREEMENT, given_on=timezone.localdate(),
    )  # fmt: skip
    assert services.missing_agreements(child) == []


def test_a_community_event_counts_heads_and_names_some(world):
    day = _plan(
        world,
        code="health_day",
        title="Health day",
        starts_on=timezone.localdate() - timedelta(days=1),
    )
    helper = world.users[Role.SOCIAL_HELPER]
    services.participant_add(user=helper, activity=day, name="Mrs Kiss (volunteer)")
    with pytest.raises(ValidationError, match="Choose a child"):
        services.participant_add(user=helper, activity=day, name=" ")
    session = day.sessions.get()
    named = day.participants.get()
    services.session_record(
        user=helper, session=session, version=1, status="held", minutes=240, note="",
        head_count=140, attendance={named.pk: "present"},
    )  # fmt: skip
    (row,) = list(selectors.log_rows(Session.objects.filter(pk=session.pk), user=helper))
    by = dict(zip(selectors.LOG_COLUMNS, row, strict=True))
    assert (by["present (named)"], by["named on the day"], by["present (not named)"]) == (1, 1, 140)


def test_a_lead_sees_the_activity_but_not_who_takes_part(world, signed_in):
    club = _group_of(world, 1)
    child = club.participants.get().child
    child.family_name = name = "Quxwellné"  # a name no page shows for another reason
    child.save()
    lead = signed_in(world.users[Role.INSTITUTION_LEAD])
    page = lead.get(club.get_absolute_url()).content.decode()
    assert club.title in page and name not in page
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    assert name in helper.get(club.get_absolute_url()).content.decode()
    assert AuditEvent.objects.filter(object_id=str(club.pk), purpose="activity").count() == 1


def test_workshop_registration_capacity_and_feedback(world, signed_in):
    workshop = _plan(
        world, code="staff_workshop", title="Including the child's perspective",
        theme="child_perspective", capacity=1,
    )  # fmt: skip
    educator = world.users[Role.EDUCATOR]
    lead = world.users[Role.INSTITUTION_LEAD]
    services.workshop_register(user=educator, activity=workshop)
    with pytest.raises(ValidationError, match="full"):
        services.workshop_register(user=lead, activity=workshop)
    with pytest.raises(ValidationError, match="already"):
        services.workshop_register(user=educator, activity=workshop)
    workshop.sessions.update(starts_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError, match="taken place"):
        services.workshop_feedback(user=educator, activity=workshop, rating=5, feedback="")
    workshop.sessions.update(starts_at=timezone.now() - timedelta(hours=2))
    client = signed_in(educator)
    assert (
        client.post(
            reverse("activities:feedback", args=[workshop.pk]), {"rating": 5, "feedback": "Useful."}
        ).status_code
        == 302
    )
    assert workshop.participants.get(staff=educator).feedback_rating == 5
    assert "Including the child" in client.get(reverse("activities:workshops")).content.decode()


def test_sparring_from_request_to_a_recorded_session(world, signed_in):
    educator = world.users[Role.EDUCATOR]
    helper = world.users[Role.SOCIAL_HELPER]
    client = signed_in(educator)
    response = client.post(
        reverse("activities:sparring_new"),
        {"institution": world.school_a1.pk, "about": "class", "group": world.class_a1.pk,
         "topic": "Fights after the breaks.", "preferred_times": "Tuesday after 2 pm"},
    )  # fmt: skip
    assert response.status_code == 302
    request = SparringRequest.objects.get()
    assert Notification.objects.filter(
        recipient=helper, kind=Notification.Kind.SPARRING_REQUESTED
    ).exists()
    when = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=2), time(14)))
    services.sparring_schedule(
        user=helper, request=request, version=1, starts_at=when, minutes=45, place="Room 12"
    )
    request.refresh_from_db()
    assert request.status == "scheduled" and request.activity.type.code == "staff_sparring"
    assert request.activity.participants.get().staff == educator
    assert Notification.objects.filter(
        recipient=educator, kind=Notification.Kind.SPARRING_ANSWERED
    ).exists()
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Room 12" in page
    session = request.activity.sessions.get()
    session.starts_at = timezone.now() - timedelta(minutes=5)
    session.save()
    services.session_record(
        user=helper, session=session, version=session.version, status="held", minutes=50,
        note="Agreed on a calm corner.", head_count=None,
        attendance={request.activity.participants.get().pk: "present"},
    )  # fmt: skip
    request.refresh_from_db()
    assert request.status == "done"


def test_a_decline_needs_a_reason_and_a_stale_answer_is_refused(world):
    helper = world.users[Role.SOCIAL_HELPER]
    request = services.sparring_request(
        user=world.users[Role.EDUCATOR], institution=world.school_a1, about="worry",
        topic="A pupil who seems hungry.",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="why"):
        services.sparring_decline(user=helper, request=request, version=1, answer=" ")
    services.sparring_decline(user=helper, request=request, version=1, answer="Ask the nurse.")
    with pytest.raises(PermissionDenied):
        services.sparring_schedule(
            user=helper, request=request, version=1, starts_at=timezone.now(), minutes=30, place=""
        )


def test_the_week_shows_the_users_own_meetings_with_time_per_type(world, signed_in):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    _plan(world, starts_on=monday, minutes=90)
    _plan(
        world, code="mentoring", title="Mentoring", starts_on=monday + timedelta(days=2), minutes=45
    )
    _plan(world, title="Following club", starts_on=monday + timedelta(days=7))
    someone_else = f.UserFactory(municipality=world.municipality_a)
    f.MembershipFactory(
        user=someone_else, role=Role.SOCIAL_HELPER, municipality=world.municipality_a,
        institution=world.school_a1, service=world.service_a,
    )  # fmt: skip
    services.activity_create(
        user=someone_else,
        data={"institution": world.school_a1, "type": _type(world, "parent_club"),
              "title": "Theirs", "recurrence": "once", "starts_on": monday, "minutes": 30},
    )  # fmt: skip
    together = services.activity_create(
        user=someone_else,
        data={"institution": world.school_a1, "type": _type(world, "mental_health_group"),
              "title": "Together", "recurrence": "once", "starts_on": monday + timedelta(days=1),
              "minutes": 60, "workers": [world.users[Role.SOCIAL_HELPER]]},
    )  # fmt: skip
    # Each meeting keeps its activity's lead: the week is found by the meetings' own index.
    assert set(together.sessions.values_list("lead", flat=True)) == {someone_else.pk}
    found = selectors.week(world.users[Role.SOCIAL_HELPER], monday)
    totals = {t["type"].code: t["planned"] for t in found["totals"]}
    assert totals == {"parent_club": 90, "mentoring": 45, "mental_health_group": 60}
    assert found["planned"] == 195
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    page = client.get(reverse("activities:week") + f"?week={monday:%Y-%m-%d}").content.decode()
    assert "Parent club" in page and "Together" in page
    assert "Theirs" not in page and "Following club" not in page
    # A co-worker who leaves the job no longer sees the meetings, led or co-worked.
    Membership.objects.filter(user=world.users[Role.SOCIAL_HELPER]).update(
        ends_on=timezone.localdate() - timedelta(days=1)
    )
    gone = type(world.users[Role.SOCIAL_HELPER]).objects.get(pk=world.users[Role.SOCIAL_HELPER].pk)
    assert not any(selectors.week(gone, monday)["days"].values())


def test_the_month_log_has_counts_not_names_neutralises_formulas_and_is_audited(world, signed_in):
    club = _group_of(world, 4)
    club.title = '=HYPERLINK("http://x")'
    club.save()
    for n, p in enumerate(club.participants.select_related("child")):
        p.child.family_name = f"Quxwell{n}"  # names no other cell could hold
        p.child.save()
    session = club.sessions.get()
    helper = world.users[Role.SOCIAL_HELPER]
    services.session_record(
        user=helper, session=session, version=1, status="held", minutes=90, note="",
        head_count=None, attendance={p.pk: "present" for p in club.participants.all()},
    )  # fmt: skip
    client = signed_in(helper)
    month = timezone.localtime(session.starts_at).strftime("%Y-%m")
    response = client.get(reverse("activities:export") + f"?month={month}&format=csv")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["date", "start", "minutes"]
    by = dict(zip(rows[0], rows[1], strict=True))
    assert by["activity"].startswith("'=")
    assert (by["present (named)"], by["children"], by["from the action area"]) == ("4", "4", "3")
    assert "Quxwell" not in text
    assert AuditEvent.objects.filter(action="export", purpose=f"activity log {month}").exists()
    xlsx = client.get(reverse("activities:export") + f"?month={month}&format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 2
    header = [c.value for c in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    # A date is a date, a count a number, and a formula-like title stays text.
    assert cells["date"].is_date and cells["present (named)"].value == 4
    assert cells["activity"].data_type == "s" and cells["activity"].value.startswith("'=")
    bad = client.get(reverse("activities:export") + "?month=soon&format=csv")
    assert bad.status_code == 302


def test_a_case_worker_sees_only_the_activities_they_deliver(world):
    club = _plan(world)
    worker = world.users[Role.CASE_WORKER]
    assert club.pk not in [a.pk for a in selectors.activity_page(worker).rows]
    club.workers.add(worker)
    assert [a.pk for a in selectors.activity_page(worker, mine=True).rows] == [club.pk]


def test_the_childs_page_lists_their_activities_and_what_a_wellbeing_talk_still_needs(
    world, signed_in
):
    club = _plan(world)
    services.participant_add(
        user=world.users[Role.SOCIAL_HELPER], activity=club, child=world.inside
    )
    Consent.objects.filter(pk=world.consent_inside.pk).update(purpose=Consent.Purpose.PHOTOS)
    # The child page's section on the help around the child (loaded on demand).
    help_url = reverse("people:child_help", args=[world.inside.pk])
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    page = client.get(help_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Parent club" in page
    assert "consent of a parent with parental responsibility" in page
    Consent.objects.filter(pk=world.consent_inside.pk).update(
        purpose=Consent.Purpose.WELLBEING_CONVERSATION
    )
    page = client.get(help_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Plan a wellbeing conversation" in page
    educator = signed_in(world.users[Role.EDUCATOR])
    assert educator.get(help_url).status_code == 403
    page = educator.get(reverse("people:child_detail", args=[world.inside.pk])).content.decode()
    assert "Parent club" not in page and help_url not in page


def test_changing_an_activity_is_versioned_and_keeps_what_was_typed(world, signed_in):
    club = _plan(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    edit = reverse("activities:edit", args=[club.pk])
    form = {
        "type": club.type_id, "title": "Parent club, Tuesdays", "recurrence": "once",
        "starts_on": club.starts_on, "minutes": 90, "status": "active", "version": 1,
    }  # fmt: skip
    assert client.post(edit, form).status_code == 302
    club.refresh_from_db()
    assert (club.title, club.version) == ("Parent club, Tuesdays", 2)
    stale = client.post(edit, {**form, "title": "Typed meanwhile"})
    assert stale.status_code == 200
    assert "Typed meanwhile" in stale.content.decode()
    assert "Someone else changed this record" in stale.content.decode()
    ended = client.post(edit, {**form, "version": 2, "status": "ended"})
    assert ended.status_code == 302
    club.refresh_from_db()
    assert club.status == "ended"
    with pytest.raises(ValidationError, match="ended"):
        services.sessions_plan(
            user=world.users[Role.SOCIAL_HELPER], activity=club, days=[timezone.localdate()],
            start=time(10), minutes=30,
        )  # fmt: skip


def test_review_findings_a_sparring_topic_restricted_names_co_workers_and_odd_dates(
    world, signed_in
):
    helper = world.users[Role.SOCIAL_HELPER]
    request = services.sparring_request(
        user=world.users[Role.EDUCATOR], institution=world.school_a1, about="worry",
        topic="The girl in the back row cries every morning.",
    )  # fmt: skip
    services.sparring_schedule(
        user=helper, request=request, version=1, starts_at=timezone.now(), minutes=30, place=""
    )
    request.refresh_from_db()
    lead = signed_in(world.users[Role.INSTITUTION_LEAD])
    assert lead.get(request.activity.get_absolute_url()).status_code == 404
    assert "cries" not in lead.get(reverse("activities:list") + "?show=all").content.decode()

    # A restricted child is named only to those who may open her record.
    club = _plan(world)
    Participant.objects.create(
        activity=club, municipality=world.municipality_a, child=world.secret,
        joined_on=club.starts_on,
    )  # fmt: skip
    page = signed_in(helper).get(club.get_absolute_url()).content.decode()
    assert world.secret.family_name not in page and "restricted record" in page

    # A co-worker who changes the activity is offered (and keeps) their own place on it.
    worker = world.users[Role.CASE_WORKER]
    club.workers.add(worker)
    client = signed_in(worker)
    edit = reverse("activities:edit", args=[club.pk])
    assert f'value="{worker.pk}"' in client.get(edit).content.decode()
    form = {
        "type": club.type_id, "title": "Renamed", "recurrence": "once",
        "starts_on": club.starts_on, "minutes": 60, "status": "active", "version": club.version,
        "workers": [worker.pk],
    }  # fmt: skip
    assert client.post(edit, form).status_code == 302
    assert list(club.workers.all()) == [worker]
    assert client.get(club.get_absolute_url()).status_code == 200

    # Dates no school year has: a clear answer, never a 500.
    helper_client = signed_in(helper)
    assert helper_client.get(reverse("activities:week") + "?week=0001-01-01").status_code == 200
    assert helper_client.get(reverse("activities:week") + "?week=9999-12-31").status_code == 200
    odd = helper_client.get(reverse("activities:export") + "?month=9999-12&format=csv")
    assert odd.status_code == 302
    added = helper_client.post(
        reverse("activities:session_add", args=[club.pk]),
        {"day": "0001-01-01", "start": "00:10", "minutes": 30},
    )
    assert added.status_code == 400


def test_registering_again_after_cancelling(world):
    workshop = _plan(world, code="staff_workshop", title="Working with parents")
    educator = world.users[Role.EDUCATOR]
    services.workshop_register(user=educator, activity=workshop)
    services.workshop_cancel_registration(user=educator, activity=workshop)
    services.workshop_register(user=educator, activity=workshop)
    assert workshop.participants.get(staff=educator).left_on is None


@pytest.mark.django_db
def test_the_list_ignores_filters_it_did_not_offer(world, signed_in):
    """A typed-in filter (here a NUL byte, which PostgreSQL refuses in a text column) filters
    nothing instead of failing the page."""
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    response = helper.get(reverse("activities:list"), {"status": "\x00", "type": "x\x00"})
    assert response.status_code == 200
