"""Roster imports end to end through the services: check, decide, apply, re-import."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from earlyhelp.audit.models import AuditEvent
from earlyhelp.imports import services
from earlyhelp.imports.fields import PRESETS
from earlyhelp.imports.models import RosterImport
from earlyhelp.organisations.models import Group, Role
from earlyhelp.people.identifiers import generate_national_id
from earlyhelp.people.models import Adult, Child, Enrolment, Relationship

pytestmark = pytest.mark.django_db

HEADINGS = list(PRESETS["earlyhelp"]["columns"])
START = date(2026, 9, 1)


def csv_file(rows: list[dict], name="roster.csv") -> SimpleUploadedFile:
    lines = [",".join(HEADINGS)]
    for row in rows:
        lines.append(",".join(str(row.get(h, "")) for h in HEADINGS))
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def taj(seed: int) -> str:
    import random

    return generate_national_id("HU", date(2016, 1, 1), "male", random.Random(seed))


def row(world, **values) -> dict:
    return {
        "institution": world.school_a1.name,
        "group": "1.a",
        "family_name": "Kiss",
        "given_name": "Anna",
        "birth_date": "2018-03-04",
        **values,
    }


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    def start(world, rows, **options) -> RosterImport:
        with django_capture_on_commit_callbacks(execute=True):
            roster = services.import_start(
                user=world.users[Role.ADMIN],
                municipality=world.municipality_a,
                upload=csv_file(rows),
                columns=PRESETS["earlyhelp"]["columns"],
                mapping_name="earlyhelp",
                options={"starts_on": START, **options},
            )
        roster.refresh_from_db()
        return roster

    return start


@pytest.fixture
def apply(django_capture_on_commit_callbacks):
    def apply(world, roster, end_missing=False) -> RosterImport:
        with django_capture_on_commit_callbacks(execute=True):
            services.import_apply(
                user=world.users[Role.ADMIN], roster=roster, end_missing=end_missing
            )
        roster.refresh_from_db()
        return roster

    return apply


def test_a_new_child_with_parents_is_created_enrolled_and_audited(world, start, apply):
    roster = start(
        world,
        [
            row(
                world,
                national_id=taj(1),
                sex="lány",
                parent1_full_name="Kiss Éva",
                parent1_relationship="anya",
                parent1_phone="+36 30 123 4567",
            ),
            row(
                world,
                given_name="Bálint",
                birth_date="2019-05-06",
                parent1_full_name="Kiss Éva",
                parent1_relationship="anya",
                parent1_phone="+36 30 123 4567",
            ),
        ],
    )
    assert roster.state == RosterImport.State.CHECKED, roster.failure
    assert roster.summary["create"] == 2
    audit_before = AuditEvent.objects.count()
    roster = apply(world, roster)
    assert roster.state == RosterImport.State.APPLIED, roster.failure
    anna = Child.objects.get(given_name="Anna", family_name="Kiss")
    assert anna.sex == "female" and anna.national_id == taj(1)
    assert anna.enrolments.get().group == world.class_a1
    mother = Adult.objects.get(family_name="Kiss", given_name="Éva")
    assert Relationship.objects.filter(adult=mother).count() == 2  # one adult for both
    assert roster.applied_summary["children_created"] == 2
    assert roster.applied_summary["adults_created"] == 1
    assert AuditEvent.objects.count() - audit_before >= 2 + 2 + 1 + 2
    # The same file again changes nothing.
    again = start(
        world,
        [
            row(
                world,
                national_id=taj(1),
                sex="lány",
                parent1_full_name="Kiss Éva",
                parent1_relationship="anya",
                parent1_phone="+36 30 123 4567",
            ),
            row(
                world,
                given_name="Bálint",
                birth_date="2019-05-06",
                parent1_full_name="Kiss Éva",
                parent1_relationship="anya",
                parent1_phone="+36 30 123 4567",
            ),
        ],
    )
    assert again.summary["unchanged"] == 2, list(
        again.rows.values("outcome", "changes", "problems")
    )


def test_bad_rows_are_reported_each_with_its_reason(world, start, apply):
    roster = start(
        world,
        [
            row(world, national_id="123456789"),
            row(world, given_name="Bea", group="9.z"),
            row(world, given_name="Cili", birth_date="2018-02-30"),
            row(world, given_name="Dóra", family_name="=HYPERLINK(1)"),
            row(world, given_name="Emma"),
            row(world, given_name="Emma"),
        ],
    )
    rows = {r.line: r for r in roster.rows.all()}
    assert rows[2].problems[0]["field"] == "national_id"
    assert rows[3].outcome == "bad" and "9.z" in rows[3].problems[0]["message"]
    assert rows[4].problems[0]["field"] == "birth_date"
    assert rows[5].problems[0]["field"] == "family_name"
    assert rows[6].outcome == "create"
    assert rows[7].outcome == "bad" and "6" in rows[7].problems[0]["message"]


def test_an_existing_child_is_matched_by_name_and_moved_to_another_class(world, start, apply):
    inside = world.inside
    other = Group.objects.create(institution=world.school_a1, name="2.b")
    roster = start(
        world,
        [
            row(
                world,
                family_name=inside.family_name,
                given_name=inside.given_name,
                birth_date=inside.birth_date.isoformat(),
                group="2.b",
            )
        ],
    )
    line = roster.rows.get()
    assert line.outcome == "change" and line.child_id == inside.pk
    apply(world, roster)
    current = list(
        Enrolment.objects.current(START).filter(child=inside).values_list("group_id", flat=True)
    )
    assert other.pk in current and world.class_a1.pk not in current


def test_two_possible_children_ask_for_a_decision(world, start, apply):
    inside = world.inside
    twin = Child.objects.create(
        municipality=world.municipality_a,
        family_name=inside.family_name,
        given_name=inside.given_name,
        birth_date=inside.birth_date,
    )
    roster = start(
        world,
        [
            row(
                world,
                family_name=inside.family_name,
                given_name=inside.given_name,
                birth_date=inside.birth_date.isoformat(),
            )
        ],
    )
    line = roster.rows.get()
    assert line.outcome == "unsure" and set(line.candidates) == {inside.pk, twin.pk}
    services.import_decide(
        user=world.users[Role.ADMIN], roster=roster, decisions={line.line: str(twin.pk)}
    )
    roster = apply(world, roster)
    assert Enrolment.objects.filter(child=twin, group=world.class_a1).exists()
    assert roster.applied_summary.get("children_created", 0) == 0


def test_a_full_roster_ends_missing_enrolments_only_when_confirmed(world, start, apply):
    roster = start(world, [row(world)], full_roster=True)
    assert roster.summary["missing"] >= 1
    missing = set(roster.missing)
    roster = apply(world, roster, end_missing=True)
    assert not Enrolment.objects.current(START).filter(pk__in=missing).exists()
    assert roster.applied_summary["missing_ended"] == len(missing)


def test_an_old_import_forgets_its_file_and_rows(world, start):
    from datetime import timedelta

    from django.utils import timezone

    roster = start(world, [row(world)])
    assert roster.rows.exists() and roster.file
    assert services.imports_forget() == 0
    later = timezone.localdate() + timedelta(days=31)
    assert services.imports_forget(today=later) == 1
    roster.refresh_from_db()
    assert not roster.rows.exists() and not roster.file and roster.summary["create"] == 1


def staff_file(rows: list[dict]) -> SimpleUploadedFile:
    from earlyhelp.imports.fields import STAFF_PRESET

    headings = list(STAFF_PRESET["columns"])
    lines = [",".join(headings)] + [",".join(str(r.get(h, "")) for h in headings) for r in rows]
    return SimpleUploadedFile("staff.csv", ("\n".join(lines) + "\n").encode())


def test_a_staff_list_invites_new_accounts_and_asks_approval_for_their_roles(
    world, django_capture_on_commit_callbacks
):
    from earlyhelp.accounts.models import User
    from earlyhelp.imports.fields import STAFF_PRESET
    from earlyhelp.organisations.models import Membership

    world.users[Role.EDUCATOR].email = "teacher.a@example.org"
    world.users[Role.EDUCATOR].save()
    world.outsiders[Role.EDUCATOR].email = "teacher.b@example.org"
    world.outsiders[Role.EDUCATOR].save()
    school = world.school_a1.name
    rows = [
        {"institution": school, "group": "1.a", "full_name": "Fekete Ilona",
         "email": "ilona@example.org", "role": "Pedagógus"},
        {"institution": world.school_a2.name, "full_name": "Kiss Anna",
         "email": "Teacher.A@example.org", "role": "institution_lead"},
        {"institution": school, "full_name": "Nagy Olga", "email": "olga@example.org",
         "role": "janitor"},
        {"institution": school, "full_name": "Cizí Jana", "email": "teacher.b@example.org",
         "role": "educator"},
    ]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        roster = services.import_start(
            user=world.users[Role.ADMIN],
            municipality=world.municipality_a,
            upload=staff_file(rows),
            columns=STAFF_PRESET["columns"],
            mapping_name="staff",
            options={"starts_on": START, "kind": "staff"},
        )
    roster.refresh_from_db()
    assert roster.state == "checked", roster.failure
    outcomes = dict(roster.rows.values_list("line", "outcome"))
    assert outcomes == {2: "create", 3: "change", 4: "bad", 5: "bad"}
    with django_capture_on_commit_callbacks(execute=True):
        services.import_apply(user=world.users[Role.ADMIN], roster=roster, end_missing=False)
    roster.refresh_from_db()
    assert roster.state == "applied", roster.failure
    ilona = User.objects.get(email="ilona@example.org")
    assert ilona.municipality == world.municipality_a and not ilona.has_usable_password()
    role = Membership.objects.get(user=ilona)
    assert (role.role, role.group, role.approval) == ("educator", world.class_a1, "pending")
    lead = Membership.objects.get(user=world.users[Role.EDUCATOR], role="institution_lead")
    assert lead.institution == world.school_a2
    assert roster.applied_summary["accounts_created"] == 1


def test_two_children_of_one_name_and_birthday_are_two_when_their_identifiers_differ(world, start):
    roster = start(
        world,
        [
            row(world, national_id=taj(7)),
            row(world, national_id=taj(8)),  # another child: another identifier
            row(world),  # no identifier: could be either, refused as the same child
        ],
    )
    outcomes = dict(roster.rows.values_list("line", "outcome"))
    assert outcomes == {2: "create", 3: "create", 4: "bad"}
