"""The golden test of the access policy: what every demo account may see and do, row by row.

On the demo data (three municipalities, one account per role, every capability filled), it
records for every account and every model of earlyhelp the rows `visible()` returns for every
action, `can()` on the model and on one sample row per model, the path `granting_path()` names
for the children and adults an account sees, and the capabilities' own scope helpers (where a
user may open a case, triage, report, ...). It compares them with `golden.json`.

A change to the policy that changes any answer fails here. When the change is meant (a rule
changed on purpose), regenerate the file and read its diff before committing:

    EARLYHELP_GOLDEN_WRITE=1 .venv/bin/python -m pytest earlyhelp/access/tests/test_golden.py

Rows are named by their place in their table in this run (the demo is generated in the same
order every time), so the file holds no primary keys of a particular database, and a number a
sequence skipped (PostgreSQL's sequences do not roll back) changes nothing; accounts by their
user name.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from earlyhelp.absences.access import absence_recording_children
from earlyhelp.access.models import BreakGlassGrant
from earlyhelp.access.policy import Action, can, granting_path, primary_role, visible
from earlyhelp.accounts.models import User
from earlyhelp.activities.access import activity_institutions, sparring_institutions
from earlyhelp.cases.access import case_services
from earlyhelp.concerns.access import reporting_institutions, triage_institutions
from earlyhelp.contacts.access import contact_services
from earlyhelp.fostercare.access import fostercare_services
from earlyhelp.people.models import Adult, Child
from earlyhelp.safety.access import meeting_institutions
from earlyhelp.screening.access import screening_institutions

GOLDEN = Path(__file__).with_name("golden.json")

# The scope helpers the capabilities ask besides visible() and can(): each takes a user and
# answers a set of ids (or a queryset of institutions).
HELPERS = {
    "case_services": case_services,
    "contact_services": contact_services,
    "fostercare_services": fostercare_services,
    "meeting_institutions": meeting_institutions,
    "sparring_institutions": sparring_institutions,
    "screening_institutions": screening_institutions,
    "triage_institutions": triage_institutions,
    "reporting_institutions": reporting_institutions,
    "activity_institutions": lambda user: set(
        activity_institutions(user).values_list("pk", flat=True)
    ),
    "absence_recording": lambda user: set(absence_recording_children(user)),
    "primary_role": primary_role,
}


def _models():
    return sorted(
        (m for m in apps.get_models() if m.__module__.startswith("earlyhelp.")),
        key=lambda m: m._meta.label_lower,
    )


def _ranges(numbers: list[int]) -> str:
    """[0, 1, 2, 5] -> "0-2,5": the file stays readable and its diffs short."""
    parts, start, prev = [], None, None
    for n in sorted(numbers):
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            parts.append(f"{start}-{prev}" if prev != start else str(start))
            start = prev = n
    if start is not None:
        parts.append(f"{start}-{prev}" if prev != start else str(start))
    return ",".join(parts)


class Namer:
    """Names a row by its place in its table (the first row 0, the next 1, ...), an account by
    its name: the same on every database, whatever numbers its sequences gave or skipped."""

    def __init__(self):
        self.places: dict[type, dict[int, int]] = {}

    def place(self, model) -> dict[int, int]:
        if model not in self.places:
            pks = model._default_manager.order_by("pk").values_list("pk", flat=True)
            self.places[model] = {pk: n for n, pk in enumerate(pks)}
        return self.places[model]

    def ids(self, model, pks) -> str:
        if model is User:
            return ",".join(
                sorted(User.objects.filter(pk__in=pks).values_list("username", flat=True))
            )
        place = self.place(model)
        return _ranges([place[pk] for pk in pks])

    def one(self, obj) -> str:
        if isinstance(obj, User):
            return obj.username
        return str(self.place(type(obj))[obj.pk])


def _open_break_glass():
    """A manager and an administrator each hold an open break-glass grant, so that the path is
    in the golden file too."""
    now = timezone.now()
    for username in ("hu.manager", "cz.admin"):
        user = User.objects.get(username=username)
        child = (
            Child.objects.filter(municipality_id=user.municipality_id, restricted=False)
            .order_by("pk")
            .first()
        )
        BreakGlassGrant.objects.create(
            user=user,
            role=username.split(".")[1],
            municipality_id=child.municipality_id,
            child=child,
            reason="The golden test opens this record to check the break-glass path.",
            started_at=now,
            expires_at=now + timezone.timedelta(minutes=60),
        )


def _answers() -> dict:
    from earlyhelp.organisations.models import Institution, Service

    namer = Namer()
    models = _models()
    users = list(User.objects.order_by("username"))
    answers: dict = {user.username: {} for user in users}
    # The actions that reach any row of a model for anyone: can() on a sample row is asked for
    # these (and for the break-glass actions decided on the grant itself), not for all.
    reaching: dict[type, set[str]] = {model: set() for model in models}
    for user in users:
        mine = answers[user.username]
        for model in models:
            label = model._meta.label_lower
            rows = {}
            for action in Action:
                pks = list(
                    visible(user, model._default_manager.all(), action).values_list("pk", flat=True)
                )
                if pks:
                    rows[action.value] = namer.ids(model, pks)
                    reaching[model].add(action)
            if rows:
                mine.setdefault("visible", {})[label] = rows
            allowed = [action.value for action in Action if can(user, action, model)]
            if allowed:
                mine.setdefault("can_model", {})[label] = allowed
    reaching[BreakGlassGrant] |= {Action.END_BREAK_GLASS, Action.REVIEW_BREAK_GLASS}
    samples = {model: _sample(model) for model in models}
    for user in users:
        mine = answers[user.username]
        for model in models:
            sample = samples[model]
            if sample is None:
                continue
            allowed = [
                action.value
                for action in Action
                if action in reaching[model] and can(user, action, sample)
            ]
            if allowed:
                mine.setdefault("can_sample", {})[model._meta.label_lower] = allowed
        paths = {}
        for model in (Child, Adult):
            for obj in visible(user, model.objects.order_by("pk"), Action.VIEW)[:8]:
                key = f"{model._meta.model_name}:{namer.one(obj)}"
                paths[key] = {
                    action.value: granting_path(user, action, obj)
                    for action in (Action.VIEW, Action.VIEW_DETAILS, Action.CHANGE)
                }
        if paths:
            mine["granting_path"] = paths
        helpers = {}
        for name, helper in HELPERS.items():
            value = helper(user)
            if isinstance(value, str):
                helpers[name] = value
            elif value:
                model = Service if name.endswith("_services") else Institution
                helpers[name] = namer.ids(model, value)
        mine["helpers"] = helpers
    return answers


def _sample(model):
    """One row of the table: the middle one, so that it is neither the first nor the last."""
    count = model._default_manager.count()
    if not count:
        return None
    return model._default_manager.order_by("pk")[count // 2]


# The demo is dated from the moment it is generated (a year of concerns, their ages and
# statuses, this school year), and the policy reads the clock (memberships active today,
# break-glass that ends in an hour): the file is written and checked at this one moment, so
# that it does not change with the day or the hour the suite runs.
MOMENT = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_answers(django_db_setup, django_db_blocker):
    with (
        time_machine.travel(MOMENT, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("demo_data", children_per_group=2, stdout=StringIO())
        _open_break_glass()
        yield _answers()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_account_sees_and_may_do_what_the_golden_file_says(demo_answers):
    if os.environ.get("EARLYHELP_GOLDEN_WRITE"):
        GOLDEN.write_text(json.dumps(demo_answers, indent=1, sort_keys=True) + "\n")
    golden = json.loads(GOLDEN.read_text())
    assert sorted(demo_answers) == sorted(golden)
    for username in golden:
        assert demo_answers[username] == golden[username], username
