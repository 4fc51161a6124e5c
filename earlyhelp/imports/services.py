"""Roster imports: upload, check (the dry run), decide, apply, discard (docs/import.md).

The check and the apply are background tasks (`imports.tasks`) that report their progress on
the import. The apply writes in batches of `APPLY_BATCH` rows, each in one transaction with
its audit rows: a row is written whole or not at all, and an apply that stops half-way (a
killed worker) is finished by importing the same file again, which changes only what is not
yet there. Every created or changed record gets its audit row, written with the chain's lock
taken once per batch (`audit.services.audit_batch`)."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from earlyhelp.access.policy import Action, can, primary_role
from earlyhelp.audit.services import audit_batch, audit_record, field_changes
from earlyhelp.core.text import plain_number
from earlyhelp.imports.access import import_municipalities
from earlyhelp.imports.fields import REQUIRED, STAFF_REQUIRED
from earlyhelp.imports.models import ColumnMapping, RosterImport, RosterRow
from earlyhelp.imports.planning import Directory, Plan, Planner, day_before, search_name
from earlyhelp.imports.reading import UnreadableFile, heading_key, read_table
from earlyhelp.imports.rows import check_row
from earlyhelp.imports.staff import StaffPlanner, check_staff_row, write_staff
from earlyhelp.organisations.models import Group, Institution
from earlyhelp.people.models import Adult, Child, Enrolment, Relationship, Sex

logger = logging.getLogger("earlyhelp.imports")

Outcome = RosterRow.Outcome
State = RosterImport.State
CHECK_BATCH = 1000
APPLY_BATCH = 500
WRITE_BATCH = 2000
MAX_ROWS = 250_000
# The code of a refusal because of the import's state (not waiting, applied already).
STATE_REFUSED = "import_state"
CHILD_NEW = ("family_name", "given_name", "birth_date", "national_id", "sex")
ADULT_NEW = ("family_name", "given_name", "national_id", "phone", "email")


def _require(user, action: str, target) -> None:
    if not can(user, action, target):
        raise PermissionDenied


def _request_id(roster: RosterImport) -> str:
    return f"import-{roster.pk}"


def _audit(user, action: str, roster: RosterImport, changes: dict) -> None:
    """A step on the import itself (uploaded, decided, applied, discarded)."""
    audit_record(
        actor=user,
        action=action,
        obj=roster,
        role=primary_role(user),
        request_id=_request_id(roster),
        changes=changes,
    )


# --- Upload ---------------------------------------------------------------------------------


@transaction.atomic
def import_start(*, user, municipality, upload, columns: dict, mapping_name: str, options: dict):
    """Store the file and enqueue its check. `columns`: {field: heading}."""
    roster = RosterImport(
        municipality=municipality,
        created_by=user,
        file_name=upload.name[:200],
        columns=columns,
        mapping_name=mapping_name,
        language=translation.get_language() or "",
        **options,
    )
    _require(user, Action.CREATE, roster)
    roster.file.save(upload.name, upload, save=False)
    roster.save()
    _audit(
        user,
        "create",
        roster,
        {"file_name": [None, roster.file_name], "file_sha256": [None, roster.file_sha256]},
    )
    from earlyhelp.imports import tasks

    transaction.on_commit(lambda: tasks.check_roster_import.enqueue(roster.pk))
    return roster


# --- The check (dry run) --------------------------------------------------------------------


def _fail(roster: RosterImport, message: str) -> RosterImport:
    roster.state, roster.failure = State.FAILED, message
    roster.save(update_fields=["state", "failure", "updated_at"])
    return roster


def _run(roster_id: int, state: str, work, fault: str) -> RosterImport:
    """Run a task's `work` on an import in `state` (else nothing: a task run twice), in the
    uploader's language; a fault fails the import with `fault` and is logged."""
    roster = RosterImport.objects.select_related("municipality__jurisdiction", "applied_by").get(
        pk=roster_id
    )
    if roster.state != state:
        return roster
    with translation.override(roster.language or None):
        try:
            return work(roster)
        except UnreadableFile as error:
            return _fail(roster, str(error))
        except Exception:
            logger.exception("Roster import %s failed while %s.", roster.pk, state)
            return _fail(roster, str(fault))


def import_check(roster_id: int) -> RosterImport:
    """The check (the dry run): the task's work."""
    fault = gettext_lazy("The check stopped on an unexpected fault. Try again later.")
    return _run(roster_id, State.CHECKING, _check, fault)


def _columns(roster: RosterImport, headings: list[str]) -> tuple[dict[str, int], list[str]]:
    """{field: column index} of the mapping's columns found in the file, and the headings of
    the required ones missing."""
    index = {heading_key(h): i for i, h in reversed(list(enumerate(headings)))}
    found, missing = {}, []
    for name, heading in roster.columns.items():
        if heading and heading_key(heading) in index:
            found[name] = index[heading_key(heading)]
    staff = roster.kind == RosterImport.Kind.STAFF
    for name in STAFF_REQUIRED if staff else REQUIRED:
        if name not in found:
            missing.append(roster.columns.get(name) or name)
    has_names = ("family_name" in found and "given_name" in found) or "full_name" in found
    if not has_names:
        missing.append(
            roster.columns.get("full_name") or roster.columns.get("family_name") or "full_name"
        )
    return found, missing


def _check(roster: RosterImport) -> RosterImport:
    with roster.file.open("rb") as stored:
        content = stored.read()
    country = roster.municipality.jurisdiction.code
    headings, cells = read_table(content, roster.file_name, country)
    found, missing = _columns(roster, headings)
    if missing:
        return _fail(
            roster,
            _("The file has no column %(columns)s. Check the column mapping against the file.")
            % {"columns": ", ".join(f"“{m}”" for m in missing)},
        )
    seen: dict[object, int] = {}
    batch: list[RosterRow] = []
    total = 0
    RosterRow.objects.filter(roster_import=roster).delete()
    for number, cells_ in enumerate(cells, start=2):
        values = {name: (cells_[i] if i < len(cells_) else "") for name, i in found.items()}
        if not any(str(v).strip() for v in values.values()):
            continue
        total += 1
        if total > MAX_ROWS:
            return _fail(
                roster, _("The file has more than %(n)s rows: split it.") % {"n": MAX_ROWS}
            )
        check = check_staff_row if roster.kind == RosterImport.Kind.STAFF else check_row
        cleaned, problems = check(values, country)
        if cleaned is not None and roster.kind == RosterImport.Kind.CHILDREN:
            earlier = _same_child(seen, cleaned, number)
            if earlier:
                message = _("The same child as line %(line)s.") % {"line": earlier}
                problems = [{"field": None, "message": message}]
        row = RosterRow(roster_import=roster, line=number)
        if problems:
            row.outcome, row.problems = Outcome.BAD, problems
            row.values = {k: str(v) for k, v in values.items()}
        else:
            row.outcome = Outcome.UNCHANGED
            row.values = {
                k: v.isoformat() if isinstance(v, date) else v for k, v in cleaned.items()
            }
        batch.append(row)
        if len(batch) >= WRITE_BATCH:
            RosterRow.objects.bulk_create(batch)
            batch = []
    RosterRow.objects.bulk_create(batch)
    if not total:
        return _fail(roster, _("The file has no rows below its headings."))
    roster.rows_total, roster.rows_done = total, 0
    roster.save(update_fields=["rows_total", "rows_done", "updated_at"])
    return _plan_all(roster)


def _same_child(seen: dict, row: dict, line: int) -> int | None:
    """The earlier line of the file that names this row's child, as matching would tell them
    apart: the same identifier; or the same name and date of birth where one of the two rows
    has no identifier (two rows with different identifiers are two children). Remembers the
    row in `seen`."""
    name = (search_name(row["family_name"], row["given_name"]), row["birth_date"])
    identifier = row["national_id"]
    if identifier:
        earlier = seen.get(("id", identifier)) or seen.get(("name without id", name))
    else:
        earlier = seen.get(("name", name))
    if earlier:
        return earlier
    if identifier:
        seen[("id", identifier)] = line
    else:
        seen.setdefault(("name without id", name), line)
    seen.setdefault(("name", name), line)
    return None


def _chunks(roster: RosterImport, size: int, exclude=()):
    """The import's rows in line order, `size` at a time, read by keyset."""
    after = 0
    rows = roster.rows.exclude(outcome__in=exclude).order_by("line")
    while True:
        chunk = list(rows.filter(line__gt=after)[:size])
        if not chunk:
            return
        yield chunk
        after = chunk[-1].line


def _plan_staff(roster: RosterImport) -> RosterImport:
    planner = StaffPlanner(roster, Directory.load(roster))
    counts = Counter()
    done = 0
    for chunk in _chunks(roster, CHECK_BATCH):
        for row, plan in zip(chunk, planner.plan(chunk), strict=True):
            row.outcome, row.problems, row.changes = (
                plan["outcome"],
                plan["problems"],
                plan["changes"],
            )
            row.user_id = plan["user"].pk if plan["user"] else None
            counts[row.outcome] += 1
        RosterRow.objects.bulk_update(chunk, ["outcome", "problems", "changes", "user_id"])
        done += len(chunk)
        RosterImport.objects.filter(pk=roster.pk).update(rows_done=done)
    roster.summary = {
        **{outcome: counts[outcome] for outcome in Outcome.values},
        "rows": roster.rows_total,
    }
    roster.rows_done, roster.state = roster.rows_total, State.CHECKED
    roster.save(update_fields=["summary", "rows_done", "state", "updated_at"])
    return roster


def _plan_all(roster: RosterImport) -> RosterImport:
    if roster.kind == RosterImport.Kind.STAFF:
        return _plan_staff(roster)
    directory = Directory.load(roster)
    planner = Planner(roster, directory)
    counts = Counter()
    institutions = set()
    done = 0
    for chunk in _chunks(roster, CHECK_BATCH):
        plans = planner.plan(chunk)
        for row, plan in zip(chunk, plans, strict=True):
            row.outcome, row.problems, row.changes = plan.outcome, plan.problems, plan.changes
            row.child_id = plan.child["id"] if plan.child else None
            row.candidates = plan.candidates
            counts[plan.outcome] += 1
            if plan.outcome != Outcome.BAD and isinstance(plan.institution, Institution):
                institutions.add(plan.institution.pk)
        RosterRow.objects.bulk_update(
            chunk, ["outcome", "problems", "changes", "child_id", "candidates"]
        )
        done += len(chunk)
        RosterImport.objects.filter(pk=roster.pk).update(rows_done=done)
    missing = _missing(roster, institutions, planner.matched) if roster.full_roster else []
    roster.summary = {
        **{outcome: counts[outcome] for outcome in Outcome.values},
        "rows": roster.rows_total,
        "institutions": len(directory.new_institutions),
        "groups": len(directory.new_groups),
        "missing": len(missing),
    }
    roster.missing, roster.rows_done, roster.state = missing, roster.rows_total, State.CHECKED
    roster.save(update_fields=["summary", "missing", "rows_done", "state", "updated_at"])
    return roster


def _missing(roster: RosterImport, institutions: set[int], matched: set[int]) -> list[int]:
    """The enrolments in the roster's institutions, current on its first day, of children it
    does not name: a full roster ends them when the administrator confirms."""
    current = Enrolment.objects.current(roster.starts_on).filter(
        group__institution_id__in=institutions
    )
    return sorted(e for e, child in current.values_list("id", "child_id") if child not in matched)


# --- Decisions on unsure rows -----------------------------------------------------------------


@transaction.atomic
def import_decide(*, user, roster: RosterImport, decisions: dict[int, str]) -> int:
    """Record the administrator's decisions on unsure rows ({line: "new" | "skip" | child
    id}); a decision naming a child must name one of the row's candidates."""
    _require(user, Action.CHANGE, roster)
    if roster.state != State.CHECKED:
        raise ValidationError(
            _("This import is no longer waiting for decisions."), code=STATE_REFUSED
        )
    rows = {r.line: r for r in roster.rows.filter(line__in=decisions, outcome=Outcome.UNSURE)}
    changed = []
    for line, decision in decisions.items():
        row = rows.get(line)
        if row is None:
            continue
        if decision not in ("", "new", "skip") and plain_number(decision) not in row.candidates:
            raise ValidationError(
                _("Line %(line)s: choose one of the children offered.") % {"line": line}
            )
        if row.decision != decision:
            row.decision = decision
            changed.append(row)
    RosterRow.objects.bulk_update(changed, ["decision"])
    if changed:
        _audit(user, "change", roster, {"decisions": {str(r.line): r.decision for r in changed}})
    return len(changed)


# --- Apply ----------------------------------------------------------------------------------


def import_apply(*, user, roster: RosterImport, end_missing: bool) -> RosterImport:
    """Start writing a checked import (once: a second click finds it applying)."""
    _require(user, Action.CHANGE, roster)
    with transaction.atomic():
        started = RosterImport.objects.filter(pk=roster.pk, state=State.CHECKED).update(
            state=State.APPLYING,
            applied_by=user,
            end_missing=end_missing and bool(roster.missing),
            rows_done=0,
            updated_at=timezone.now(),
        )
        if not started:
            raise ValidationError(
                _("This import is not ready to apply, or was applied already."),
                code=STATE_REFUSED,
            )
        roster.refresh_from_db()
        _audit(
            user,
            "change",
            roster,
            {"state": [State.CHECKED, State.APPLYING], "end_missing": roster.end_missing},
        )
        from earlyhelp.imports import tasks

        transaction.on_commit(lambda: tasks.apply_roster_import.enqueue(roster.pk))
    return roster


def import_run_apply(roster_id: int) -> RosterImport:
    """The apply: the task's work."""
    fault = gettext_lazy(
        "Applying stopped on an unexpected fault. What was written stays; import the same "
        "file again to finish."
    )
    return _run(roster_id, State.APPLYING, _apply, fault)


class _Writer:
    """Writes the plans of one batch, collecting the audit rows."""

    def __init__(self, roster: RosterImport, planner: Planner):
        self.roster = roster
        self.planner = planner
        self.user = roster.applied_by
        self.audit: list[dict] = []
        self.counts = Counter()
        self.now = timezone.now()

    def created(self, obj, fields) -> None:
        values = {name: getattr(obj, obj._meta.get_field(name).attname) for name in fields}
        self.audit.append(
            {
                "action": "create",
                "obj": obj,
                "changes": field_changes({}, values),
                "municipality_id": self.roster.municipality_id,
            }
        )

    def changed(self, obj, changes: dict) -> None:
        self.audit.append(
            {
                "action": "change",
                "obj": obj,
                "changes": changes,
                "municipality_id": self.roster.municipality_id,
            }
        )

    def _update_child(self, plan: Plan) -> bool:
        child = plan.child
        fields = dict(plan.child_update)
        if "family_name" in fields or "given_name" in fields:
            fields["search_name"] = search_name(
                fields.get("family_name", child["family_name"]),
                fields.get("given_name", child["given_name"]),
            )
        done = Child.objects.filter(pk=child["id"], version=child["version"]).update(
            **fields, version=F("version") + 1, updated_at=self.now
        )
        if done:
            self.changed(
                Child(pk=child["id"], municipality_id=self.roster.municipality_id),
                {name: [child[name], value] for name, value in plan.child_update.items()},
            )
            self.counts["children_changed"] += 1
        return bool(done)

    def write(self, plans: list[Plan]) -> list[Plan]:
        """Write the plans that are not refused; return those refused at the moment of
        writing (a record changed meanwhile)."""
        refused = []
        todo = [p for p in plans if p.outcome in (Outcome.CREATE, Outcome.CHANGE)]
        for plan in todo:
            if plan.child and plan.child_update and not self._update_child(plan):
                plan.problem(
                    None, _("Someone changed this child's record meanwhile: import the file again.")
                )
                refused.append(plan)
        todo = [p for p in todo if p.outcome != Outcome.BAD]
        municipality_id = self.roster.municipality_id
        new_children = {}
        for plan in todo:
            if plan.child is None:
                row = plan.row
                child = Child(
                    municipality_id=municipality_id,
                    **{name: row[name] for name in CHILD_NEW if name != "sex"},
                    sex=row["sex"] or Sex.UNKNOWN,
                    search_name=search_name(row["family_name"], row["given_name"]),
                )
                new_children[plan.line] = child
        Child.objects.bulk_create(new_children.values())
        for child in new_children.values():
            self.created(child, CHILD_NEW)
        self.counts["children_created"] += len(new_children)

        def child_id(plan: Plan) -> int:
            return plan.child["id"] if plan.child else new_children[plan.line].pk

        # Enrolments: end the class before in the same institution, then the new one.
        ending = [e for p in todo for e in p.end]
        if ending:
            self.end(ending, self.roster.starts_on)
        enrolments = []
        for plan in todo:
            if plan.enrol:
                enrolments.append(
                    Enrolment(
                        child_id=child_id(plan),
                        group_id=plan.group.pk,
                        starts_on=plan.row.get("starts_on") or self.roster.starts_on,
                        municipality_id=municipality_id,
                    )
                )
        Enrolment.objects.bulk_create(enrolments)
        for enrolment in enrolments:
            self.created(enrolment, ("group", "starts_on"))
        self.counts["enrolments_created"] += len(enrolments)
        self._adults(todo, child_id)
        self.flush()
        return refused

    def flush(self) -> None:
        audit_batch(
            actor=self.user,
            rows=self.audit,
            role=primary_role(self.user),
            request_id=_request_id(self.roster),
        )
        self.audit = []

    def end(self, ids: list[int], starts_on: date, counted_as: str = "enrolments_ended") -> None:
        """End enrolments the day before `starts_on` (on their first day, for one that began
        on or after it), audited as changes."""
        last = day_before(starts_on)
        rows = list(
            Enrolment.objects.filter(pk__in=ids, ends_on__isnull=True).values(
                "id", "starts_on", "child_id"
            )
        )
        for found in rows:
            ends_on = max(last, found["starts_on"])
            Enrolment.objects.filter(pk=found["id"]).update(
                ends_on=ends_on, version=F("version") + 1, updated_at=self.now
            )
            self.changed(
                Enrolment(pk=found["id"], child_id=found["child_id"]), {"ends_on": [None, ends_on]}
            )
        self.counts[counted_as] += len(rows)

    def _adults(self, plans: list[Plan], child_id) -> None:
        municipality_id = self.roster.municipality_id
        new_adults: dict[str, Adult] = {}
        pending = []
        for plan in plans:
            for planned in plan.adults:
                if planned.adult_id is not None:
                    if planned.update:
                        self._update_adult(planned)
                    pending.append((plan, planned, None))
                    continue
                key = planned.key or f"line:{plan.line}:{planned.number}"
                known = self.planner.new_adults.get(key)
                if isinstance(known, int):
                    planned.adult_id = known
                    pending.append((plan, planned, None))
                    continue
                if key not in new_adults:
                    values = planned.values
                    new_adults[key] = Adult(
                        municipality_id=municipality_id,
                        kind=Adult.Kind.PARENT,
                        search_name=search_name(values["family_name"], values["given_name"]),
                        **{name: values[name] for name in ADULT_NEW},
                    )
                pending.append((plan, planned, key))
        Adult.objects.bulk_create(new_adults.values())
        for key, adult in new_adults.items():
            self.created(adult, ADULT_NEW)
            if not key.startswith("line:"):
                self.planner.new_adults[key] = adult.pk
        self.counts["adults_created"] += len(new_adults)
        relationships = []
        for plan, planned, key in pending:
            if planned.relationship is None:
                continue
            adult_id = planned.adult_id if key is None else new_adults[key].pk
            relationships.append(
                Relationship(
                    child_id=child_id(plan),
                    adult_id=adult_id,
                    municipality_id=municipality_id,
                    **planned.relationship,
                )
            )
        Relationship.objects.bulk_create(relationships, ignore_conflicts=False)
        for relationship in relationships:
            self.created(relationship, ("adult", "kind", "parental_responsibility"))
        self.counts["relationships_created"] += len(relationships)

    def _update_adult(self, planned) -> None:
        done = Adult.objects.filter(pk=planned.adult_id, version=planned.version).update(
            **planned.update, version=F("version") + 1, updated_at=self.now
        )
        if done:
            self.changed(
                Adult(pk=planned.adult_id, municipality_id=self.roster.municipality_id),
                {name: [None, value] for name, value in planned.update.items()},
            )
            self.counts["adults_changed"] += 1


def _create_places(roster: RosterImport, directory: Directory, writer: _Writer) -> None:
    """The institutions and classes the check found missing, when the import may create
    them, in one transaction before the rows."""
    with transaction.atomic():
        created = {}
        for key, values in directory.new_institutions.items():
            institution = Institution(municipality_id=roster.municipality_id, **values)
            institution.full_clean()
            institution.save()
            created[key] = institution
            writer.created(institution, ("name", "code", "kind"))
        for (institution, _name, _year), values in directory.new_groups.items():
            institution_id = (
                created[institution].pk if isinstance(institution, str) else institution
            )
            group = Group(institution_id=institution_id, **values)
            group.save()
            writer.created(group, ("institution", "name", "school_year"))
        writer.counts["institutions_created"] += len(directory.new_institutions)
        writer.counts["groups_created"] += len(directory.new_groups)
        writer.flush()


def _apply_staff(roster: RosterImport) -> Counter:
    """Each staff row in a transaction of its own: an account and its role, or nothing."""
    planner = StaffPlanner(roster, Directory.load(roster))
    counts = Counter()
    done = 0
    for chunk in _chunks(roster, APPLY_BATCH, exclude=[Outcome.BAD]):
        changed = []
        for row, plan in zip(chunk, planner.plan(chunk), strict=True):
            try:
                write_staff(roster, plan, counts)
            except ValidationError as error:
                plan["outcome"] = Outcome.BAD
                plan["problems"] = [{"field": None, "message": m} for m in error.messages]
            if plan["outcome"] == Outcome.BAD:
                counts["not_written"] += 1
                row.outcome, row.problems = plan["outcome"], plan["problems"]
                changed.append(row)
        RosterRow.objects.bulk_update(changed, ["outcome", "problems"])
        done += len(chunk)
        RosterImport.objects.filter(pk=roster.pk).update(rows_done=done)
    return counts


def _apply(roster: RosterImport) -> RosterImport:
    if roster.kind == RosterImport.Kind.STAFF:
        return _finish(roster, _apply_staff(roster))
    directory = Directory.load(roster)
    # A first pass finds the places to create (the check's findings, as the records are now).
    for chunk in _chunks(roster, CHECK_BATCH, exclude=[Outcome.BAD]):
        directory.place_all(chunk)
    planner = Planner(roster, directory)
    writer = _Writer(roster, planner)
    if directory.new_institutions or directory.new_groups:
        _create_places(roster, directory, writer)
        planner.directory = Directory.load(roster)
    done = 0
    for chunk in _chunks(roster, APPLY_BATCH, exclude=[Outcome.BAD]):
        with transaction.atomic():
            plans = planner.plan(chunk)
            writer.write(plans)
        changed = []
        for row, plan in zip(chunk, plans, strict=True):
            if plan.outcome in (Outcome.BAD, Outcome.UNSURE):
                writer.counts["not_written"] += 1
                if (plan.outcome, plan.problems) != (row.outcome, row.problems):
                    row.outcome, row.problems = plan.outcome, plan.problems
                    changed.append(row)
        RosterRow.objects.bulk_update(changed, ["outcome", "problems"])
        done += len(chunk)
        RosterImport.objects.filter(pk=roster.pk).update(rows_done=done)
    if roster.end_missing:
        _end_missing(roster, planner, writer)
    return _finish(roster, writer.counts)


def _finish(roster: RosterImport, counts: Counter) -> RosterImport:
    roster.applied_summary = dict(counts)
    roster.state, roster.applied_at = State.APPLIED, timezone.now()
    roster.rows_done = roster.rows_total
    roster.file.delete(save=False)
    roster.save()
    # What was written is in the records now: the rows keep only what the report needs.
    written = [Outcome.CREATE, Outcome.CHANGE, Outcome.UNCHANGED]
    roster.rows.filter(outcome__in=written).update(values={})
    return roster


def _end_missing(roster: RosterImport, planner: Planner, writer: _Writer) -> None:
    """End the enrolments the check listed as missing from the full roster, unless the apply
    matched their child after all or they ended meanwhile."""
    ending = []
    for start in range(0, len(roster.missing), WRITE_BATCH):
        ids = roster.missing[start : start + WRITE_BATCH]
        current = Enrolment.objects.current(roster.starts_on).filter(pk__in=ids)
        ending += [
            e for e, child in current.values_list("id", "child_id") if child not in planner.matched
        ]
    for start in range(0, len(ending), WRITE_BATCH):
        with transaction.atomic():
            writer.end(ending[start : start + WRITE_BATCH], roster.starts_on, "missing_ended")
            writer.flush()


# --- Forgetting ---------------------------------------------------------------------------------


def imports_forget(today: date | None = None) -> int:
    """The scheduled job: the file and the rows of every import older than
    EARLYHELP_IMPORT_KEEP_DAYS that nobody works on any more are deleted (they hold children's
    names and identifiers as the file gave them); the import stays in the list with its
    counts. Returns the imports forgotten."""
    today = today or timezone.localdate()
    before = today - timedelta(days=settings.EARLYHELP_IMPORT_KEEP_DAYS)
    done = 0
    idle = RosterImport.objects.exclude(state__in=[State.CHECKING, State.APPLYING]).filter(
        created_at__date__lt=before
    )
    for roster in idle.filter(Q(rows__isnull=False) | ~Q(file="")).distinct():
        with transaction.atomic():
            roster.rows.all().delete()
            roster.file.delete(save=False)
            roster.save(update_fields=["file", "file_sha256", "updated_at"])
        done += 1
    return done


# --- Column mappings ---------------------------------------------------------------------------


@transaction.atomic
def mapping_save(*, user, mapping, form) -> None:
    """Save a column mapping from its form, audited as configuration."""
    _require(user, Action.MANAGE, ColumnMapping)
    if mapping.municipality_id not in {m.pk for m in import_municipalities(user)}:
        raise PermissionDenied
    before = {} if mapping.pk is None else ColumnMapping.objects.get(pk=mapping.pk).columns
    created = mapping.pk is None
    form.save()
    audit_record(
        actor=user,
        action="create" if created else "change",
        obj=mapping,
        role=primary_role(user),
        changes={"name": mapping.name, "columns": field_changes(before, mapping.columns)},
    )


# --- Discard ----------------------------------------------------------------------------------


@transaction.atomic
def import_discard(*, user, roster: RosterImport) -> None:
    """Drop an import that was not applied: its file and its rows go; the import stays in the
    list as discarded."""
    _require(user, Action.CHANGE, roster)
    done = RosterImport.objects.filter(
        Q(pk=roster.pk), Q(state__in=[State.CHECKED, State.FAILED])
    ).update(state=State.DISCARDED, updated_at=timezone.now())
    if not done:
        raise ValidationError(
            _("Only an import that is not being worked on or applied can be discarded."),
            code=STATE_REFUSED,
        )
    roster.refresh_from_db()
    roster.file.delete(save=False)
    roster.save(update_fields=["file", "file_sha256"])
    roster.rows.all().delete()
    _audit(user, "change", roster, {"state": [None, State.DISCARDED]})
