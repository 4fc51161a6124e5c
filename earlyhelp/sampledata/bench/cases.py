"""The bench cases: cases opened from the concerns, with their teams and chronologies."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from earlyhelp.organisations.models import (
    Role,
)

if TYPE_CHECKING:
    from earlyhelp.sampledata.bench import Generator
    from earlyhelp.sampledata.bench.organisations import Place


CASE_ENTRY_KINDS = ["contact", "contact", "session", "note", "plan", "document"]


CASE_ENTRY_TEXT = "Home visit; the mother was at home. Agreed on the next steps."


def _write_cases_of(generator: Generator, place: Place, children, rng: random.Random) -> None:
    """Cases of the municipality's service: a child and their brothers and sisters, led by a
    case worker (or a social helper) with a social helper on the team half the time, open for
    seven in ten, each with a chronology of a few entries and one in 500 with several hundred
    (a long case, for the case page's constant queries)."""
    if not place.cases or not children.ids or not place.services:
        return
    leads = [s.id for s in place.staff.get(Role.CASE_WORKER, [])]
    helpers = [s.id for s in place.staff.get(Role.SOCIAL_HELPER, [])]
    leads = leads or helpers
    if not leads:
        return
    now = generator.now
    service = place.services[0]
    ids = children.ids
    add_case, new_case = generator.t_case.add, generator.t_case.new_id
    add_child, new_child = generator.t_case_child.add, generator.t_case_child.new_id
    add_member, new_member = generator.t_case_member.add, generator.t_case_member.new_id
    add_entry, new_entry = generator.t_chronology.add, generator.t_chronology.new_id
    random_, randint = rng.random, rng.randint
    for _ in range(place.cases):
        index = randint(0, len(ids) - 1)
        child_id = ids[index]
        kids = children.family.get(child_id, (child_id,))
        lead = leads[randint(0, len(leads) - 1)]
        opened = now - timedelta(seconds=randint(3600, 2 * 365 * 86400))
        closed = random_() < 0.3
        closed_at = opened + (now - opened) * random_() if closed else None
        kind = "crisis" if random_() < 0.05 else ("authority" if random_() < 0.05 else "family")
        case_id = new_case()
        add_case(
            (case_id, now, now, 1, place.id, service, f"Family {child_id}", kind,
             "closed" if closed else "open", "Repeated concerns about neglect.",
             children.restricted[index] or random_() < 0.01, lead, opened, lead, closed_at,
             "goals_met" if closed else "", "improved" if closed else "")
        )  # fmt: skip
        for kid in kids:
            add_child((new_child(), now, now, case_id, kid))
        add_member((new_member(), now, now, case_id, lead, "lead", None))
        if helpers and random_() < 0.5:
            helper = helpers[randint(0, len(helpers) - 1)]
            if helper != lead:
                add_member((new_member(), now, now, case_id, helper, "social_helper", None))
        entries = 300 if random_() < 0.002 else randint(1, 8)
        span = ((closed_at or now) - opened).total_seconds()
        add_entry((new_entry(), case_id, "opened", opened, opened, lead, "Case opened",
                   "Repeated concerns about neglect.", None))  # fmt: skip
        for n in range(entries):
            at = opened + timedelta(seconds=span * (n + 1) / (entries + 1))
            kind_ = CASE_ENTRY_KINDS[randint(0, len(CASE_ENTRY_KINDS) - 1)]
            add_entry((new_entry(), case_id, kind_, at, at, lead, kind_.title(), CASE_ENTRY_TEXT,
                       None))  # fmt: skip
