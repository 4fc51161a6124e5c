"""Reflective supervision: attendance is seen by the participants, their line supervisors and
the administration; the notes are the participants' alone. Sessions a year against the norm of
each role, and a monthly reminder to those behind."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.notifications.models import Notification
from earlyhelp.organisations.models import Role
from earlyhelp.workforce.models import (
    DEFAULT_SUPERVISION_SESSIONS,
    SupervisionNorm,
    SupervisionNote,
    SupervisionSession,
)
from earlyhelp.workforce.selectors import (
    due_by,
    supervision_checks,
    supervision_checks_of,
    supervision_norm_for,
)
from earlyhelp.workforce.services import supervision_reminders
from earlyhelp.workforce.tests.builders import helper_profile, profile_of, session

pytestmark = pytest.mark.django_db

SECRET = "The helper spoke about a hard week"
CONFIDENTIAL = "The content of a supervision session is confidential to its participants"


# --- The notes are the participants' alone -----------------------------------------------------


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_a_line_supervisor_or_administrator_sees_attendance_never_the_notes(world, signed_in, role):
    made = session(world, True, notes=SECRET)
    client = signed_in(world.users[role])
    page = client.get(reverse("workforce:supervision", args=[made.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "An external supervisor" in html and "90 minutes" in html
    assert SECRET not in html and CONFIDENTIAL in html
    # Nor through the notes' own address, nor on the list, the staff page or the check.
    url = reverse("workforce:supervision_notes", args=[made.pk])
    assert client.post(url, {"text": "overwritten", "version": "1"}).status_code == 403
    assert SupervisionNote.objects.get(session=made).text == SECRET
    for other in (
        reverse("workforce:supervision_list"),
        reverse("workforce:staff", args=[helper_profile(world, True).pk]),
        reverse("workforce:supervision_norms"),
        reverse("workforce:supervision_edit", args=[made.pk]),
    ):
        response = client.get(other)
        assert response.status_code == 200 and SECRET not in response.content.decode()


def test_a_participant_reads_and_writes_the_notes_and_the_read_is_audited(world, signed_in):
    made = session(world, True, notes=SECRET)
    helper = world.users[Role.SOCIAL_HELPER]
    client = signed_in(helper)
    page = client.get(reverse("workforce:supervision", args=[made.pk]))
    assert SECRET in page.content.decode() and CONFIDENTIAL not in page.content.decode()
    note = SupervisionNote.objects.get(session=made)
    assert AuditEvent.objects.filter(
        actor_id=helper.pk, action="view", object_type="workforce.supervisionnote",
        object_id=str(note.pk), purpose="supervision notes",
    ).exists()  # fmt: skip
    assert AuditEvent.objects.filter(
        actor_id=helper.pk, action="view", object_type="workforce.supervisionsession",
        object_id=str(made.pk),
    ).exists()  # fmt: skip
    url = reverse("workforce:supervision_notes", args=[made.pk])
    response = client.post(url, {"text": "What I take from it", "version": "1"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "What I take from it" and note.version == 2
    # The audit row says the notes changed, never what they say.
    change = AuditEvent.objects.get(action="change", object_type="workforce.supervisionnote")
    assert "What I take from it" not in str(change.changes)


def test_a_stale_edit_of_the_notes_is_refused_and_what_was_typed_is_kept(world, signed_in):
    made = session(world, True, notes=SECRET)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    url = reverse("workforce:supervision_notes", args=[made.pk])
    assert client.post(url, {"text": "First", "version": "1"}).status_code == 302
    stale = client.post(url, {"text": "Second typed", "version": "1"})
    html = stale.content.decode()
    assert stale.status_code == 200
    assert "Someone else changed this record" in html and "Second typed" in html
    assert SupervisionNote.objects.get(session=made).text == "First"


def test_a_supervisor_who_took_part_reads_the_notes_of_that_session(world, signed_in):
    supervisor = profile_of(world.users[Role.SUPERVISOR])
    made = session(world, True, participants=[helper_profile(world, True), supervisor])
    made.note.text = SECRET
    made.note.save()
    page = signed_in(world.users[Role.SUPERVISOR]).get(
        reverse("workforce:supervision", args=[made.pk])
    )
    assert SECRET in page.content.decode()


def test_nobody_outside_reaches_a_session(world, signed_in):
    made = session(world, False, notes=SECRET)
    for role in (Role.SUPERVISOR, Role.ADMIN, Role.SOCIAL_HELPER, Role.MANAGER):
        client = signed_in(world.users[role])
        assert client.get(reverse("workforce:supervision", args=[made.pk])).status_code == 404


# --- Recording a session ---------------------------------------------------------------------


def _form(**extra):
    return {
        "kind": "individual",
        "held_on": date.today().isoformat(),
        "duration_minutes": "60",
        "supervisor_name": "A supervisor from outside",
        "supervisor_organisation": "A practice",
        **extra,
    }


def test_a_supervisor_records_a_session_of_their_worker_and_its_notes_start_empty(world, signed_in):
    profile = helper_profile(world, True)
    client = signed_in(world.users[Role.SUPERVISOR])
    response = client.post(
        reverse("workforce:supervision_create"), _form(participants=[profile.pk])
    )
    made = SupervisionSession.objects.get()
    assert response.status_code == 302
    assert list(made.participants.all()) == [profile]
    assert made.municipality == world.municipality_a and made.note.text == ""
    assert AuditEvent.objects.filter(action="create", object_id=str(made.pk)).exists()


def test_someone_the_user_does_not_keep_cannot_be_a_participant_and_typing_is_kept(
    world, signed_in
):
    outsider = helper_profile(world, False)
    client = signed_in(world.users[Role.SUPERVISOR])
    response = client.post(
        reverse("workforce:supervision_create"),
        _form(participants=[outsider.pk], supervisor_name="Typed name"),
    )
    assert response.status_code == 200 and "Typed name" in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_a_stale_edit_of_a_session_is_refused_keeping_what_was_typed(world, signed_in):
    made = session(world, True)
    profile = helper_profile(world, True)
    client = signed_in(world.users[Role.ADMIN])
    url = reverse("workforce:supervision_edit", args=[made.pk])
    data = _form(participants=[profile.pk], version="1")
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "duration_minutes": "45"})
    assert stale.status_code == 200
    assert "Someone else changed this record" in stale.content.decode()
    assert 'value="45"' in stale.content.decode()
    made.refresh_from_db()
    assert made.duration_minutes == 60 and made.version == 2


def test_a_participant_does_not_change_the_session(world, signed_in):
    made = session(world, True)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    assert client.get(reverse("workforce:supervision_edit", args=[made.pk])).status_code == 403
    assert client.get(reverse("workforce:supervision_list")).status_code == 200


# --- The norm ----------------------------------------------------------------------------------


def test_the_default_norm_is_earlyhelp_s_choice_and_a_municipality_s_own_replaces_it(world):
    norm = supervision_norm_for(world.municipality_a.pk)
    assert norm.default and norm.sessions == DEFAULT_SUPERVISION_SESSIONS
    assert "chosen by earlyhelp" in norm.source
    SupervisionNorm.objects.create(
        municipality=world.municipality_a, social_helper=12, case_worker=8, supervisor=4,
        source="Council decision",
    )  # fmt: skip
    own = supervision_norm_for(world.municipality_a.pk)
    assert not own.default and own.sessions["social_helper"] == 12
    assert supervision_norm_for(world.municipality_b.pk).default


def test_due_by_now_is_the_share_of_the_year_gone_rounded_down():
    assert due_by(10, date(2026, 1, 1)) == 0
    assert due_by(12, date(2026, 1, 31)) == 1  # 31 of 365 days of 12 sessions
    assert due_by(12, date(2026, 1, 30)) == 0
    assert due_by(10, date(2026, 12, 31)) == 10


def test_behind_below_what_is_due_on_track_at_it_and_met_at_the_norm(world):
    profile = helper_profile(world, True)
    on = date(date.today().year, 7, 2)  # 183 days gone
    due = due_by(10, on)
    assert due == 5
    for day in range(due - 1):
        session(world, True, on=date(on.year, 1, 1 + day))
    [check] = supervision_checks_of([profile], on)
    assert check.role == Role.SOCIAL_HELPER and check.sessions == 4 and check.behind
    session(world, True, on=date(on.year, 2, 1))
    [check] = supervision_checks_of([profile], on)
    assert not check.behind and not check.met
    for day in range(5):
        session(world, True, on=date(on.year, 3, 1 + day))
    [check] = supervision_checks_of([profile], on)
    assert check.sessions == 10 and check.met and check.missing == 0
    # A session of another year does not count.
    session(world, True, on=date(on.year - 1, 6, 1))
    assert supervision_checks_of([profile], on)[0].sessions == 10


def test_the_check_page_says_behind_in_words_and_my_page_reminds_the_worker(world, signed_in):
    helper_profile(world, True)
    profile_of(world.outsiders[Role.SOCIAL_HELPER])  # another municipality's: not listed
    checks = supervision_checks(world.users[Role.SUPERVISOR], date.today())
    assert [c.profile for c in checks] == [helper_profile(world, True)]
    page = signed_in(world.users[Role.SUPERVISOR]).get(reverse("workforce:supervision_norms"))
    html = page.content.decode()
    due = due_by(10, date.today())
    if due:
        assert f"Behind: 0 of 10 sessions, {due} due by now" in html
        me = signed_in(world.users[Role.SOCIAL_HELPER]).get(reverse("workforce:me"))
        assert "You are behind with reflective supervision" in me.content.decode()
    assert "earlyhelp default" in html


def test_the_administrator_sets_the_norm_and_a_stale_save_is_refused(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    url = reverse("workforce:supervision_norm_edit", args=[world.municipality_a.pk])
    data = {"social_helper": "12", "case_worker": "10", "supervisor": "6", "source": "Decision"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "version": "1"}).status_code == 302
    stale = client.post(url, {**data, "source": "Typed again", "version": "1"})
    assert stale.status_code == 200 and "Typed again" in stale.content.decode()
    assert SupervisionNorm.objects.get().version == 2
    supervisor = signed_in(world.users[Role.SUPERVISOR])
    assert supervisor.post(url, data).status_code == 404


# --- The reminder ------------------------------------------------------------------------------


def test_the_reminder_goes_once_a_month_and_only_to_those_behind(world):
    year = date.today().year
    behind = helper_profile(world, True)
    on_track = profile_of(world.users[Role.CASE_WORKER])
    for month in range(1, 7):
        session(world, True, participants=[on_track], on=date(year, month, 1))
    on = date(year, 7, 2)  # 5 sessions due of 10
    assert supervision_reminders(on) == 1
    assert supervision_reminders(on) == 0
    assert supervision_reminders(date(year, 7, 30)) == 0
    reminders = Notification.objects.filter(kind=Notification.Kind.SUPERVISION_BEHIND)
    assert [n.recipient for n in reminders] == [behind.user]
    assert reminders.get().url == reverse("workforce:me")
    # The next month, one more, still only for the one behind.
    assert supervision_reminders(date(year, 8, 3)) == 1
    assert not reminders.filter(recipient=on_track.user).exists()


def test_the_command_runs_and_says_how_many(world, capsys):
    helper_profile(world, True)
    call_command("supervision_reminders")
    assert "reminder(s) written to the outbox" in capsys.readouterr().out
