"""The audit-log page: who reads which rows, the filters and pages, the CSV export and the
results of verifying the chain.

Alma administers Alfaváros, Dóra is its data-protection officer and Milan its manager; Bea is
the data-protection officer of Betaměsto. Bence is a child of Alfaváros, Jiří of Betaměsto.
"""

import io
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.exports import export_request, export_write
from earlyhelp.audit.models import AuditEvent, AuditExport, VerificationRun
from earlyhelp.audit.presentation import describe
from earlyhelp.audit.services import audit_record
from earlyhelp.audit.tests.tampering import without_trigger
from earlyhelp.organisations.models import Role
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    hu = f.JurisdictionFactory(code="HU")
    cz = f.JurisdictionFactory(code="CZ")
    a = f.MunicipalityFactory(jurisdiction=hu, name="Alfaváros", code="alfa")
    b = f.MunicipalityFactory(jurisdiction=cz, name="Betaměsto", code="beta")

    def person(name, role, municipality):
        user = f.UserFactory(username=name, municipality=municipality)
        f.TOTPDeviceFactory(user=user)
        f.MembershipFactory(user=user, role=role, municipality=municipality)
        return user

    class Town:
        pass

    t = Town()
    t.a, t.b = a, b
    t.alma = person("alma", Role.ADMIN, a)
    t.dora = person("dora", Role.DPO, a)
    t.milan = person("milan", Role.MANAGER, a)
    t.bea = person("bea", Role.DPO, b)
    t.worker = f.UserFactory(username="worker", municipality=a)
    t.bence = f.ChildFactory(municipality=a, given_name="Bence")
    t.jiri = f.ChildFactory(municipality=b, given_name="Jiří")
    return t


def read(actor, child, purpose="child page", **extra):
    return audit_record(
        actor=actor, action="view", obj=child, role="social_helper", purpose=purpose, **extra
    )


def page(client, user, **params):
    from earlyhelp.tests.personas import sign_in

    sign_in(client, user)
    return client.get(reverse("audit:log"), params)


def shown(response) -> set[int]:
    return {event.pk for event in response.context["page"].rows}


# --- Who reads which rows ------------------------------------------------------------------------


def test_a_row_carries_the_municipality_of_its_record_else_of_the_acting_account(town):
    assert read(town.worker, town.bence).municipality_id == town.a.pk
    assert read(town.worker, town.jiri).municipality_id == town.b.pk
    login = audit_record(actor=town.worker, action="login")
    assert login.municipality_id == town.a.pk


def test_the_municipality_is_not_hashed_and_the_chain_still_verifies(town):
    read(town.worker, town.bence)
    read(town.worker, town.jiri)
    call_command("audit_verify", "--no-anchors", stdout=io.StringIO())
    run = VerificationRun.objects.get()
    assert run.state == VerificationRun.State.HELD and run.rows_checked == 2


def test_administrator_and_dpo_read_their_municipalitys_rows_only(client, town):
    ours = read(town.worker, town.bence)
    theirs = read(town.worker, town.jiri)
    login = audit_record(actor=town.worker, action="login")
    for reader in (town.alma, town.dora):
        response = page(client, reader)
        assert response.status_code == 200
        assert {ours.pk, login.pk} <= shown(response)
        assert theirs.pk not in shown(response)
    response = page(client, town.bea)
    assert theirs.pk in shown(response) and ours.pk not in shown(response)


def test_a_row_written_before_rows_had_a_municipality_goes_by_the_acting_account(
    client, town, settings
):
    legacy = AuditEvent.objects.create(
        at=timezone.now(),
        actor_id=town.worker.pk,
        actor_name="worker",
        action="login",
        prev_hash="0" * 64,
        hash="f" * 64,
    )
    assert legacy.pk not in shown(page(client, town.dora))
    settings.EARLYHELP_AUDIT_UNSCOPED_UNTIL = legacy.pk
    assert legacy.pk in shown(page(client, town.dora))
    assert legacy.pk not in shown(page(client, town.bea))


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ANALYST, Role.SUPERVISOR, Role.EDUCATOR])
def test_other_roles_may_not_open_the_log(client, town, role):
    user = f.UserFactory(username=f"other-{role}", municipality=town.a)
    f.TOTPDeviceFactory(user=user)
    f.MembershipFactory(user=user, role=role, municipality=town.a)
    assert page(client, user).status_code == 403
    client.logout()
    assert client.get(reverse("audit:log")).status_code == 302


def test_the_log_is_in_the_dpos_menu(client, town):
    response = page(client, town.dora)
    assert (reverse("audit:log"), "Audit log") in [
        (url, str(label)) for url, label in response.context["nav_items"]
    ]


# --- Filters and pages ---------------------------------------------------------------------------


def test_filters_by_record_account_action_purpose_and_dates(client, town):
    other = f.ChildFactory(municipality=town.a)
    mine = read(town.worker, town.bence, purpose="school meeting")
    read(town.worker, other)
    read(town.alma, town.bence)
    change = audit_record(actor=town.worker, action="change", obj=town.bence, changes={"x": [1, 2]})
    got = shown(page(client, town.dora, kind="people.child", record=str(town.bence.pk)))
    assert mine.pk in got and change.pk in got and len(got) == 3
    got = shown(page(client, town.dora, record=str(town.bence.pk), account="worker"))
    assert got == {mine.pk, change.pk}
    got = shown(page(client, town.dora, record=str(town.bence.pk), action="change"))
    assert got == {change.pk}
    got = shown(page(client, town.dora, purpose="SCHOOL"))
    assert got == {mine.pk}
    today = timezone.localdate()
    got = shown(page(client, town.dora, record=str(town.bence.pk), since=today.isoformat()))
    assert len(got) == 3
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert shown(page(client, town.dora, record=str(town.bence.pk), since=tomorrow)) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"record": "abc"},
        {"record": "²"},
        {"record": "9" * 40},
        {"record": "1\x00"},
        {"account": "x\x00y"},
        {"purpose": "\x00"},
        {"since": "99999-01-01"},
        {"since": "2026-02-30"},
        {"since": "2026-05-02", "until": "2026-05-01"},
        {"action": "drop table"},
        {"after": "!!not-a-cursor"},
        {"record": "1", "after": "W1sxXV0"},
    ],
)
def test_hostile_filters_answer_with_a_message(client, town, params):
    response = page(client, town.dora, **params)
    assert response.status_code == 200
    if "after" not in params:
        assert response.context["form"].errors


def test_pages_follow_the_keyset_newest_first_without_offset(client, town):
    made = [read(town.worker, town.bence) for _ in range(55)]
    first = page(client, town.dora, record=str(town.bence.pk))
    rows = first.context["page"].rows
    assert [r.pk for r in rows] == [e.pk for e in reversed(made)][:50]
    cursor = first.context["page"].next_cursor
    with CaptureQueriesContext(connection) as queries:
        second = client.get(reverse("audit:log"), {"record": town.bence.pk, "after": cursor})
    assert [r.pk for r in second.context["page"].rows] == [e.pk for e in reversed(made)][50:]
    assert second.context["page"].next_cursor is None
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)


def test_reading_the_log_is_itself_audited(client, town):
    page(client, town.dora, action="login")
    row = AuditEvent.objects.filter(object_type="audit.auditevent").get()
    assert row.action == "list" and row.actor_name == "dora" and row.municipality_id == town.a.pk


# --- What a row says -----------------------------------------------------------------------------


def test_break_glass_and_its_bookkeeping_are_described_with_local_dates(client, town, settings):
    reviewed = timezone.make_aware(datetime(2026, 3, 4, 9, 30))
    opened = audit_record(
        actor=town.milan,
        action="break_glass",
        obj=town.bence,
        role="manager",
        purpose="Emergency call from the police tonight",
        flagged=True,
        changes={"minutes": 30, "grant": 7},
    )
    review = audit_record(
        actor=town.alma,
        action="change",
        object_type="access.breakglassgrant",
        object_id="7",
        subject=f"people.child:{town.bence.pk}",
        role="supervisor",
        purpose="break-glass reviewed",
        changes={"reviewed_at": [None, reviewed]},
    )
    text = describe(opened).summary
    assert "Break-glass opened by milan" in text and "Emergency call" in text
    assert describe(review).summary.startswith("The break-glass opening for child")
    assert "04/03/2026 09:30" in describe(review).summary
    body = page(client, town.dora, record=str(town.bence.pk)).content.decode()
    assert "04/03/2026 09:30" in body and "2026-03-04T" not in body.replace(
        'datetime="2026-03-04T', ""
    )


def test_a_childs_changes_panel_shows_break_glass_bookkeeping_in_words(client, town):
    from earlyhelp.tests.personas import sign_in

    school = f.InstitutionFactory(municipality=town.a)
    group = f.GroupFactory(institution=school)
    f.EnrolmentFactory(child=town.bence, group=group)
    helper = f.UserFactory(username="helper", municipality=town.a)
    f.TOTPDeviceFactory(user=helper)
    f.MembershipFactory(
        user=helper, role=Role.SOCIAL_HELPER, municipality=town.a, institution=school
    )
    ended = timezone.make_aware(datetime(2026, 3, 4, 21, 5))
    audit_record(
        actor=town.milan,
        action="change",
        object_type="access.breakglassgrant",
        object_id="7",
        subject=f"people.child:{town.bence.pk}",
        role="manager",
        purpose="break-glass ended",
        changes={"ended_at": [None, ended]},
    )
    sign_in(client, helper)
    history = reverse("people:child_history", args=[town.bence.pk])
    body = client.get(history).content.decode()
    assert "closed their break-glass access" in body
    assert "04/03/2026 21:05" in body
    assert "2026-03-04T21:05" not in body


# --- The export ----------------------------------------------------------------------------------


def test_the_export_writes_the_filtered_rows_neutralised_and_is_audited(client, town):
    read(town.worker, town.bence, purpose='=HYPERLINK("http://evil")')
    read(town.worker, town.jiri, purpose="theirs")
    page(client, town.dora)
    response = client.post(reverse("audit:export"), {"action": "view"})
    assert response.status_code == 302
    export = AuditExport.objects.get()
    assert export.state == AuditExport.State.DONE and export.requested_by == town.dora
    text = export.file.open("rb").read().decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert "theirs" not in text
    audited = AuditEvent.objects.get(action="export")
    assert audited.object_type == "audit.auditexport" and audited.actor_name == "dora"
    assert audited.changes["filters"]["action"] == "view"
    download = client.get(reverse("audit:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    status = client.get(reverse("audit:export_status", args=[export.pk]))
    assert "Download the CSV" in status.content.decode()


def test_the_export_stops_at_the_limit_and_says_so(town):
    for _ in range(5):
        read(town.worker, town.bence)
    export = export_request(user=town.dora, filters={"action": "view"})
    assert export_write(export.pk, limit=3) == 3
    export.refresh_from_db()
    assert export.truncated and export.rows_done == 3 and export.rows_total == 3
    lines = export.file.open("rb").read().decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 4  # the header and three rows


def test_an_export_in_progress_is_polled_and_belongs_to_its_requester(client, town):
    export = export_request(user=town.dora, filters={})
    AuditExport.objects.filter(pk=export.pk).update(
        state=AuditExport.State.RUNNING, rows_total=200, rows_done=50
    )
    page(client, town.dora)
    body = client.get(reverse("audit:export_status", args=[export.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="25"' in body
    page(client, town.alma)
    assert client.get(reverse("audit:export_status", args=[export.pk])).status_code == 404
    assert client.get(reverse("audit:export_download", args=[export.pk])).status_code == 404


def test_a_refused_export_writes_nothing(client, town):
    page(client, town.dora)
    before = AuditEvent.objects.count()
    response = client.post(reverse("audit:export"), {"record": "abc"})
    assert response.status_code == 302
    assert not AuditExport.objects.exists()
    assert AuditEvent.objects.count() == before


# --- Verification --------------------------------------------------------------------------------


def test_the_last_verification_is_shown_and_the_admin_verifies_the_newest_rows(client, town):
    read(town.worker, town.bence)
    call_command("audit_verify", "--no-anchors", stdout=io.StringIO())
    full = VerificationRun.objects.get()
    newer = [read(town.worker, town.bence) for _ in range(3)]
    body = page(client, town.dora).content.decode()
    assert "chain intact" in body and "Verify the newest rows now" not in body
    assert client.post(reverse("audit:verify")).status_code == 403
    page(client, town.alma)
    assert client.post(reverse("audit:verify")).status_code == 302
    recent = VerificationRun.objects.exclude(pk=full.pk).get()
    assert recent.scope == VerificationRun.Scope.RECENT
    assert recent.after_id == full.last_id
    assert recent.state == VerificationRun.State.HELD
    # The rows after the checkpoint: the three reads and the page views audited since.
    assert recent.rows_checked >= 3 and recent.last_id > newer[-1].pk - 1


def test_a_broken_chain_is_shown_with_its_row(client, town):
    rows = [read(town.worker, town.bence) for _ in range(3)]
    without_trigger(("UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["x", rows[1].pk]))
    from earlyhelp.audit.verify import verification_finish, verification_start

    run = verification_finish(verification_start(scope=VerificationRun.Scope.FULL))
    assert run.state == VerificationRun.State.BROKEN and run.broken_at == rows[1].pk
    body = page(client, town.dora).content.decode()
    assert "chain broken" in body and f"at row {rows[1].pk}" in body


def test_a_bounded_run_starts_at_the_checkpoint_and_finds_a_row_altered_after_it(town):
    from earlyhelp.audit.verify import verification_finish, verification_start

    for _ in range(3):
        read(town.worker, town.bence)
    full = verification_finish(verification_start(scope=VerificationRun.Scope.FULL))
    assert full.state == VerificationRun.State.HELD and full.rows_checked == 3
    later = [read(town.worker, town.bence) for _ in range(2)]
    held = verification_finish(verification_start(scope=VerificationRun.Scope.RECENT))
    assert (held.after_id, held.rows_checked, held.last_id) == (full.last_id, 2, later[-1].pk)
    newest = read(town.worker, town.bence)
    without_trigger(("UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["x", newest.pk]))
    broken = verification_finish(verification_start(scope=VerificationRun.Scope.RECENT))
    assert broken.after_id == held.last_id
    assert broken.state == VerificationRun.State.BROKEN and broken.broken_at == newest.pk


def test_a_change_names_the_other_side_of_a_relation_and_keeps_an_unknown_key(client, town):
    """A concern's triage writes "feedback", the concern's feedback rows; a key the model does
    not know is shown as it was written. Neither may break the page (it once answered 500)."""
    row = audit_record(
        actor=town.alma,
        action="change",
        object_type="concerns.concern",
        object_id="7",
        subject=f"people.child:{town.bence.pk}",
        role="social_helper",
        changes={"feedback": [None, "acknowledged"], "no_such_field": [1, 2]},
    )
    labels = [change.label for change in describe(row).changes]
    assert labels == ["feedback to the reporter", "no_such_field"]
    body = page(client, town.dora).content.decode()
    assert "feedback to the reporter" in body and "no_such_field" in body
