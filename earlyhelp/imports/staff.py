"""Staff lists: the people who work in a municipality's institutions, each with a role in one
of them (an educator of a class or of the whole institution, an institution's lead, a social
helper assigned to it), checked and applied like a roster (docs/import.md, "Staff").

An account is found by its e-mail address (the municipality's own accounts only); a new one is
created without a password and invited to choose one. A role becomes a membership through the
same service as the administration's (`organisations.services.membership_save`): a role that
reaches children waits for a second person's approval, as every such membership does."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from earlyhelp.access.policy import primary_role
from earlyhelp.accounts.services import invitation_send
from earlyhelp.audit.services import audit_record
from earlyhelp.core.dates import validate_date
from earlyhelp.core.text import fold_text
from earlyhelp.imports.models import RosterImport, RosterRow
from earlyhelp.imports.planning import Directory
from earlyhelp.imports.rows import DATE_FORMATS, _text, check_values, split_name
from earlyhelp.organisations.models import Group, Institution, Membership, Role
from earlyhelp.organisations.services import membership_save

Outcome = RosterRow.Outcome
# The roles a school's staff list gives, each held in an institution (or one of its classes).
# Social helpers, case workers and supervisors work for a service of the municipality and are
# set up in the administration.
STAFF_ROLES = (Role.EDUCATOR, Role.INSTITUTION_LEAD)


def _role_words() -> dict[str, str]:
    """Each staff role by its code and by its name in every language of earlyhelp."""
    words = {}
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            for role in STAFF_ROLES:
                words[fold_text(str(role.label))] = role.value
    for role in STAFF_ROLES:
        words[fold_text(role.value)] = role.value
        words[fold_text(role.value.replace("_", " "))] = role.value
    return words


class StaffRowForm(forms.Form):
    institution_code = _text(20)
    institution = _text(200)
    group = _text(100)
    school_year = _text(9)
    family_name = _text(100)
    given_name = _text(100)
    full_name = _text(201)
    email = forms.EmailField(max_length=254)
    role = forms.CharField(max_length=60)
    starts_on = forms.DateField(
        input_formats=DATE_FORMATS, required=False, validators=[validate_date]
    )

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country

    def clean_role(self):
        value = self.cleaned_data["role"]
        role = _role_words().get(fold_text(value))
        if role is None:
            names = ", ".join(str(r.label) for r in STAFF_ROLES)
            raise ValidationError(
                _("“%(value)s” is not a role a staff list gives: use %(roles)s.")
                % {"value": value, "roles": names}
            )
        return role

    def clean(self):
        data = super().clean()
        family, given = data.get("family_name", ""), data.get("given_name", "")
        if data.get("full_name") and not (family or given):
            family, given = split_name(data["full_name"], self.country)
        if not (family and given):
            self.add_error("family_name", _("Give both the family name and the given name."))
        data["family_name"], data["given_name"] = family, given
        if not data.get("institution_code") and not data.get("institution"):
            self.add_error("institution", _("Give the institution's code or its name."))
        if data.get("email"):
            data["email"] = data["email"].lower()
        return data


def check_staff_row(values: dict, country: str) -> tuple[dict | None, list[dict]]:
    """A staff list's row checked."""
    return check_values(StaffRowForm, values, country)


class StaffPlanner:
    """What a staff row would do: the account (found by e-mail in the municipality, or new)
    and the membership (new, or the same one already held or asked for)."""

    def __init__(self, roster: RosterImport, directory: Directory):
        self.roster = roster
        self.directory = directory
        self.seen: set[str] = set()

    def plan(self, rows: list[RosterRow]) -> list[dict]:
        emails = {r.values.get("email", "") for r in rows if r.outcome != Outcome.BAD}
        accounts = {
            u.email.lower(): u
            for u in get_user_model().objects.filter(email__in=emails).order_by("pk")
        }
        plans = []
        for r in rows:
            plan = {"line": r.line, "row": r.values, "outcome": r.outcome, "problems": r.problems,
                    "changes": [], "user": None, "unit": None}  # fmt: skip
            if r.outcome != Outcome.BAD:
                self._plan(plan, accounts)
            plans.append(plan)
        return plans

    def _bad(self, plan: dict, field: str | None, message: str) -> None:
        plan["outcome"], plan["problems"] = Outcome.BAD, [{"field": field, "message": message}]

    def _plan(self, plan: dict, accounts: dict) -> None:
        row = plan["row"]
        if row["email"] in self.seen:
            return self._bad(plan, "email", _("Another line of the file has this e-mail."))
        self.seen.add(row["email"])
        institution, problem = self.directory.institution(row)
        if problem or not isinstance(institution, Institution):
            return self._bad(plan, "institution", problem or _("No such institution."))
        group = None
        if row.get("group"):
            if row["role"] != Role.EDUCATOR:
                return self._bad(plan, "group", _("Only an educator holds a role in one class."))
            group, problem = self.directory.group(institution, row)
            if problem or not isinstance(group, Group):
                return self._bad(plan, "group", problem or _("No such class."))
        plan["unit"] = (institution, group)
        user = accounts.get(row["email"])
        if user is not None and user.municipality_id != self.roster.municipality_id:
            return self._bad(
                plan, "email", _("An account with this e-mail belongs to another municipality.")
            )
        plan["user"] = user
        if user is None:
            plan["outcome"] = Outcome.CREATE
            plan["changes"] = [
                {"field": "email", "value": row["email"]},
                {"field": "role", "value": str(Role(row["role"]).label)},
            ]
            return None
        held = Membership.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=self.roster.starts_on),
            user=user,
            role=row["role"],
            institution=institution,
            group=group,
        ).exclude(approval="refused")
        if held.exists():
            plan["outcome"] = Outcome.UNCHANGED
        else:
            plan["outcome"] = Outcome.CHANGE
            plan["changes"] = [{"field": "role", "value": str(Role(row["role"]).label)}]
        return None


def write_staff(roster: RosterImport, plan: dict, counts) -> None:
    """Apply one staff row, in one transaction: the account (invited) and the membership."""
    if plan["outcome"] not in (Outcome.CREATE, Outcome.CHANGE):
        return
    row, actor = plan["row"], roster.applied_by
    institution, group = plan["unit"]
    with transaction.atomic():
        user = plan["user"]
        if user is None:
            user = get_user_model().objects.create(
                username=row["email"],
                email=row["email"],
                first_name=row["given_name"],
                last_name=row["family_name"],
                municipality_id=roster.municipality_id,
                preferred_language=roster.language,
            )
            audit_record(
                actor=actor,
                action="create",
                obj=user,
                role=primary_role(actor),
                request_id=f"import-{roster.pk}",
                changes={"username": [None, user.username], "email": [None, user.email]},
            )
            invitation_send(user=user, actor=actor, request_id=f"import-{roster.pk}")
            counts["accounts_created"] += 1
        membership = Membership(
            user=user,
            role=row["role"],
            municipality_id=roster.municipality_id,
            institution=institution,
            group=group,
            starts_on=date.fromisoformat(row["starts_on"])
            if row.get("starts_on")
            else roster.starts_on,
        )
        membership.full_clean()
        membership_save(membership=membership, actor=actor, request_id=f"import-{roster.pk}")
        audit_record(
            actor=actor,
            action="create",
            obj=membership,
            role=primary_role(actor),
            request_id=f"import-{roster.pk}",
            changes={"role": [None, membership.role], "approval": [None, membership.approval]},
        )
        counts[
            "memberships_created" if membership.approval == "approved" else "memberships_asked"
        ] += 1
