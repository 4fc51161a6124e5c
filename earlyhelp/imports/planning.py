"""What a roster row would do: which institution and class it names, which child it is (by
identifier, then by name and date of birth, asking when unsure), and what would be created,
changed or ended. The check (dry run) and the apply ask the same questions here, the apply
again at the moment it writes, so what it writes is what the records hold then.

A chunk of rows is planned with a handful of queries, whatever its size: the children by
identifier and by name, their current enrolments, their adults, and the adults by identifier
and by name (docs/import.md, "Matching")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from earlyhelp.core.text import fold_text
from earlyhelp.imports.fields import PARENTS, parent_field
from earlyhelp.imports.models import RosterImport, RosterRow
from earlyhelp.imports.rows import RESPONSIBLE
from earlyhelp.organisations.models import Group, Institution
from earlyhelp.people.models import Adult, Child, Enrolment, Relationship, Sex

Outcome = RosterRow.Outcome
CHILD_COMPARED = ("family_name", "given_name", "birth_date", "national_id", "sex")
NEW = "new"
SKIP = "skip"


def search_name(family: str, given: str) -> str:
    return fold_text(f"{family} {given}")


@dataclass
class Directory:
    """The municipality's institutions and classes, as rows name them, and those the import
    would create (when it may)."""

    roster: RosterImport
    by_code: dict[str, Institution] = field(default_factory=dict)
    by_name: dict[str, list[Institution]] = field(default_factory=lambda: defaultdict(list))
    groups: dict[tuple, list[Group]] = field(default_factory=lambda: defaultdict(list))
    new_institutions: dict[str, dict] = field(default_factory=dict)
    new_groups: dict[tuple, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, roster: RosterImport) -> Directory:
        directory = cls(roster)
        institutions = Institution.objects.filter(municipality_id=roster.municipality_id)
        for institution in institutions:
            if institution.code:
                directory.by_code[institution.code.casefold()] = institution
            directory.by_name[fold_text(institution.name)].append(institution)
        for group in Group.objects.filter(institution__in=institutions):
            directory.groups[(group.institution_id, fold_text(group.name))].append(group)
        return directory

    def institution(self, row: dict) -> tuple[object, str]:
        """(an Institution or the key of one to create, a problem)."""
        code, name = row["institution_code"], row["institution"]
        if code and code.casefold() in self.by_code:
            return self.by_code[code.casefold()], ""
        if name:
            found = self.by_name.get(fold_text(name), [])
            if len(found) == 1 and (not code or not found[0].code):
                return found[0], ""
            if len(found) > 1:
                return None, _("Several institutions are called “%(name)s”: give its code.") % {
                    "name": name
                }
        if not self.roster.create_institutions:
            return None, _(
                "No institution of the municipality has this code or name. Check it, or tick "
                "“create missing institutions”."
            )
        if not name:
            return None, _("A new institution needs its name.")
        key = f"code:{code.casefold()}" if code else f"name:{fold_text(name)}"
        self.new_institutions.setdefault(
            key, {"name": name, "code": code, "kind": self.roster.institution_kind}
        )
        return key, ""

    def place_all(self, rows: list[RosterRow]) -> None:
        """Resolve the institution and class of checked rows, noting those to create."""
        for r in rows:
            institution, problem = self.institution(r.values)
            if not problem:
                self.group(institution, r.values)

    def group(self, institution, row: dict) -> tuple[object, str]:
        name, year = row["group"], row["school_year"]
        if isinstance(institution, Institution):
            found = self.groups.get((institution.pk, fold_text(name)), [])
            if year:
                found = [g for g in found if g.school_year == year]
            if len(found) == 1:
                return found[0], ""
            if len(found) > 1:
                return None, _(
                    "Several classes are called “%(name)s” here: give the school year."
                ) % {"name": name}
            label = institution.name
        else:
            label = self.new_institutions[institution]["name"]
        if not self.roster.create_groups:
            return None, _(
                "%(institution)s has no class “%(name)s”. Check it, or tick “create missing "
                "classes”."
            ) % {"institution": label, "name": name}
        key = (institution.pk if isinstance(institution, Institution) else institution,
               fold_text(name), year)  # fmt: skip
        self.new_groups.setdefault(key, {"name": name, "school_year": year})
        return key, ""


@dataclass
class Plan:
    """One row's plan. `child` is the existing child's values (None for a new child)."""

    line: int
    row: dict
    outcome: str = Outcome.UNCHANGED
    problems: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    child: dict | None = None
    candidates: list = field(default_factory=list)
    child_update: dict = field(default_factory=dict)
    group: object = None
    institution: object = None
    enrol: bool = False
    end: list = field(default_factory=list)
    adults: list = field(default_factory=list)

    def problem(self, name: str | None, message: str) -> None:
        self.problems.append({"field": name, "message": message})
        self.outcome = Outcome.BAD

    def change(self, name: str, value) -> None:
        self.changes.append({"field": name, "value": value})


@dataclass
class AdultPlan:
    number: int
    values: dict
    key: str
    adult_id: int | None = None
    update: dict = field(default_factory=dict)
    version: int = 0
    relationship: dict | None = None


CHILD_VALUES = ("id", "version", "restricted", *CHILD_COMPARED, "search_name")
ADULT_VALUES = ("id", "version", "search_name", "national_id", "phone", "email")


class Planner:
    """Plans chunks of one import's rows in file order, remembering across chunks the adults
    the file names more than once (brothers' and sisters' parents), so that each is one
    adult."""

    def __init__(self, roster: RosterImport, directory: Directory):
        self.roster = roster
        self.directory = directory
        self.municipality_id = roster.municipality_id
        self.country = roster.municipality.jurisdiction.code
        self.new_adults: dict[str, object] = {}  # key → id once created, else the key
        self.matched: set[int] = set()

    # --- children ------------------------------------------------------------------------
    def _children(self, plans: list[Plan]) -> tuple[dict, dict]:
        alive = Child.objects.filter(municipality_id=self.municipality_id, erased_at__isnull=True)
        ids = {p.row["national_id"] for p in plans if p.row["national_id"]}
        names = {search_name(p.row["family_name"], p.row["given_name"]) for p in plans}
        by_id = {
            c["national_id"]: c for c in alive.filter(national_id__in=ids).values(*CHILD_VALUES)
        }
        by_name = defaultdict(list)
        for child in alive.filter(search_name__in=names).values(*CHILD_VALUES):
            by_name[(child["search_name"], child["birth_date"])].append(child)
        return by_id, by_name

    def _match(self, plan: Plan, by_id: dict, by_name: dict, decision: str) -> None:
        row = plan.row
        if row["national_id"] and row["national_id"] in by_id:
            plan.child = by_id[row["national_id"]]
            return
        found = by_name.get(
            (search_name(row["family_name"], row["given_name"]), row["birth_date"]), []
        )
        if row["national_id"]:
            # Identifiers decide: a record with another one is another child; one recorded
            # without any may be this one.
            found = [c for c in found if not c["national_id"]]
        if len(found) == 1:
            plan.child = found[0]
            return
        if not found:
            if decision not in ("", NEW, SKIP):
                plan.problem(
                    None, _("The child you chose is no longer a match: check the row again.")
                )
            elif decision == SKIP:
                plan.outcome = Outcome.SKIPPED
            return
        plan.candidates = sorted(c["id"] for c in found)
        if decision == NEW:
            return
        if decision == SKIP:
            plan.outcome = Outcome.SKIPPED
            return
        chosen = [c for c in found if str(c["id"]) == decision]
        if chosen:
            plan.child = chosen[0]
            return
        plan.outcome = Outcome.UNSURE

    def _compare(self, plan: Plan) -> None:
        row, child = plan.row, plan.child
        if child is None:
            plan.outcome = Outcome.CREATE
            for name in ("family_name", "given_name", "birth_date", "national_id"):
                if row[name]:
                    plan.change(name, row[name])
            return
        for name in CHILD_COMPARED:
            value = row[name]
            if name == "sex" and value in ("", Sex.UNKNOWN):
                continue
            if name == "national_id" and not value:
                continue  # a roster without identifiers never erases one
            if value != child[name]:
                plan.child_update[name] = value
                plan.change(name, value)

    # --- enrolments ------------------------------------------------------------------------
    def _enrolments(self, plans: list[Plan]) -> dict[int, list[dict]]:
        ids = [p.child["id"] for p in plans if p.child]
        found = defaultdict(list)
        on = self.roster.starts_on
        rows = Enrolment.objects.current(on).filter(child_id__in=ids)
        for e in rows.values("id", "child_id", "group_id", "group__institution_id", "version"):
            found[e["child_id"]].append(e)
        return found

    def _enrol(self, plan: Plan, current: list[dict]) -> None:
        group = plan.group
        if isinstance(group, Group) and any(e["group_id"] == group.pk for e in current):
            return
        plan.enrol = True
        plan.change("group", plan.row["group"])
        institution_id = plan.institution.pk if isinstance(plan.institution, Institution) else None
        # A move to another class of the same institution ends the one before.
        plan.end = [e["id"] for e in current if e["group__institution_id"] == institution_id]

    # --- adults ----------------------------------------------------------------------------
    def _adults(self, plans: list[Plan]) -> tuple[dict, dict, dict]:
        child_ids = [p.child["id"] for p in plans if p.child]
        related = defaultdict(list)
        values = [f"adult__{name}" for name in ADULT_VALUES]
        rows = Relationship.objects.filter(child_id__in=child_ids).values(
            "child_id", "kind", *values
        )
        for r in rows:
            related[r["child_id"]].append(
                {"kind": r["kind"], **{name: r[f"adult__{name}"] for name in ADULT_VALUES}}
            )
        ids, names = set(), set()
        for plan in plans:
            for n in PARENTS:
                if plan.row.get(parent_field(n, "family_name")):
                    ids.add(plan.row[parent_field(n, "national_id")])
                    names.add(self._adult_name(plan.row, n))
        ids.discard("")
        adults = Adult.objects.filter(municipality_id=self.municipality_id, erased_at__isnull=True)
        by_id = {
            a["national_id"]: a for a in adults.filter(national_id__in=ids).values(*ADULT_VALUES)
        }
        by_name = defaultdict(list)
        for adult in adults.filter(search_name__in=names).values(*ADULT_VALUES):
            by_name[adult["search_name"]].append(adult)
        return related, by_id, by_name

    @staticmethod
    def _adult_name(row: dict, n: int) -> str:
        return search_name(row[parent_field(n, "family_name")], row[parent_field(n, "given_name")])

    def _adult(self, plan: Plan, n: int, related: list, by_id: dict, by_name: dict) -> None:
        row = plan.row
        values = {
            name: row[parent_field(n, name)]
            for name in (
                "family_name",
                "given_name",
                "national_id",
                "phone",
                "email",
                "relationship",
            )
        }
        name = self._adult_name(row, n)
        kind = values["relationship"] or Relationship.Kind.GUARDIAN
        contact = values["phone"] or values["email"]
        key = values["national_id"] or (
            f"{name}|{values['phone']}|{values['email']}" if contact else ""
        )
        adult = next((a for a in related if a["search_name"] == name), None)
        if adult is None and values["national_id"]:
            adult = by_id.get(values["national_id"])
        if adult is None and contact:
            same = [
                a for a in by_name.get(name, [])
                if (values["phone"] and a["phone"] == values["phone"])
                or (values["email"] and a["email"] == values["email"])
            ]  # fmt: skip
            adult = same[0] if len(same) == 1 else None
        label = f"{values['family_name']} {values['given_name']}"
        planned = AdultPlan(n, values, key)
        if adult is not None:
            planned.adult_id, planned.version = adult["id"], adult["version"]
            for name_ in ("phone", "email"):
                if values[name_] and values[name_] != adult[name_]:
                    planned.update[name_] = values[name_]
            # An identifier is filled in where none is recorded, never replaced.
            if values["national_id"] and not adult["national_id"]:
                planned.update["national_id"] = values["national_id"]
            if planned.update:
                plan.change(parent_field(n, "contact"), label)
        elif key and key in self.new_adults:
            # Named on an earlier line (a brother's or sister's parent): the same adult.
            known = self.new_adults[key]
            planned.adult_id = known if isinstance(known, int) else None
        else:
            plan.change(parent_field(n, "new"), label)
        linked = adult is not None and any(a["id"] == adult["id"] for a in related)
        if not linked:
            planned.relationship = {"kind": kind, "parental_responsibility": kind in RESPONSIBLE}
            if adult is not None or (key and key in self.new_adults):
                plan.change(parent_field(n, "linked"), label)
        if planned.adult_id is None and key:
            self.new_adults.setdefault(key, key)
        if planned.adult_id is None or planned.update or planned.relationship:
            plan.adults.append(planned)

    # --- a chunk -------------------------------------------------------------------------------
    def plan(self, rows: list[RosterRow]) -> list[Plan]:
        """Plans for `rows` (rows already refused by the check come back refused)."""
        plans = []
        for r in rows:
            if r.outcome == Outcome.BAD:
                plans.append(Plan(r.line, r.values, Outcome.BAD, r.problems))
            else:
                plans.append(Plan(r.line, _cleaned(r.values)))
        good = [p for p in plans if p.outcome != Outcome.BAD]
        decisions = {r.line: r.decision for r in rows}
        for plan in good:
            plan.institution, problem = self.directory.institution(plan.row)
            if not problem:
                plan.group, problem = self.directory.group(plan.institution, plan.row)
            if problem:
                plan.problem("group" if plan.institution else "institution", problem)
        good = [p for p in good if p.outcome != Outcome.BAD]
        by_id, by_name = self._children(good)
        for plan in good:
            self._match(plan, by_id, by_name, decisions.get(plan.line, ""))
        good = [p for p in good if p.outcome == Outcome.UNCHANGED]
        for plan in good:
            self._compare(plan)
            if plan.child:
                if plan.child["id"] in self.matched:
                    plan.problem(None, _("Another line of the file is the same child."))
                self.matched.add(plan.child["id"])
        good = [p for p in good if p.outcome != Outcome.BAD]
        enrolments = self._enrolments(good)
        related, adults_by_id, adults_by_name = self._adults(good)
        for plan in good:
            child_id = plan.child["id"] if plan.child else None
            self._enrol(plan, enrolments.get(child_id, []))
            for n in PARENTS:
                if plan.row.get(parent_field(n, "family_name")):
                    self._adult(plan, n, related.get(child_id, []), adults_by_id, adults_by_name)
            if plan.outcome == Outcome.UNCHANGED and plan.changes:
                plan.outcome = Outcome.CHANGE
        return plans


def _cleaned(values: dict) -> dict:
    """A checked row's values as stored (JSON) back to what planning compares."""
    row = dict(values)
    for name in ("birth_date", "starts_on"):
        if row.get(name):
            row[name] = date.fromisoformat(row[name])
    return row


def day_before(day: date) -> date:
    return day - timedelta(days=1)
