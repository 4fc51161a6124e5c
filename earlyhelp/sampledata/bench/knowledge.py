"""The bench's catalogue of methods and the records that name them, for the outcomes per
method at scale: every bench municipality gets `len(METHODS)` methods (coded "bench-0" ...), and
the methods are named on its activities, plan steps and referrals by a modulo of their ids, one
UPDATE per table. Runs at the end of `generate()` and on an existing bench database
(`manage.py bench_extend_knowledge`); idempotent: existing methods are kept and only records
without a method are given one."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction

from earlyhelp.sampledata.bench.organisations import CODE_PREFIX

METHODS = (
    ("Catch-up tutoring in small groups", "school", "tested"),
    ("Parent club", "community", "documented"),
    ("Mentoring", "any", "tested"),
    ("Wellbeing conversations", "school", "documented"),
    ("Mental-health group", "school", "prototype"),
    ("Crime-prevention programme", "community", "tested"),
    ("Family group conference", "family", "documented"),
    ("Household and debt counselling", "family", "tested"),
)
# Activities whose id modulo ACTIVITY_SPREAD is below len(METHODS) name a method (80 %); plan
# steps and referrals whose id modulo STEP_SPREAD is (16 %).
ACTIVITY_SPREAD = 10
STEP_SPREAD = 50


def _methods() -> int:
    from earlyhelp.knowledge.models import Method, MethodVersion
    from earlyhelp.organisations.models import Municipality

    places = list(
        Municipality.objects.filter(code__startswith=CODE_PREFIX).values_list("pk", flat=True)
    )
    have = set(
        Method.objects.filter(municipality_id__in=places, code__startswith=CODE_PREFIX)
        .values_list("municipality_id", "code")
    )  # fmt: skip
    made = [
        Method(
            municipality_id=place,
            code=f"{CODE_PREFIX}{n}",
            name=name,
            setting=setting,
            stage=stage,
        )  # fmt: skip
        for place in places
        for n, (name, setting, stage) in enumerate(METHODS)
        if (place, f"{CODE_PREFIX}{n}") not in have
    ]
    Method.objects.bulk_create(made, batch_size=2000)
    fresh = Method.objects.filter(
        municipality_id__in=places, code__startswith=CODE_PREFIX, versions__isnull=True
    ).values_list("pk", "name", "setting", "stage")
    MethodVersion.objects.bulk_create(
        (
            MethodVersion(
                method_id=pk,
                number=1,
                note="bench",
                content={"name": name, "setting": setting, "stage": stage},
            )  # fmt: skip
            for pk, name, setting, stage in fresh
        ),
        batch_size=2000,
    )
    return len(made)


def _name_methods() -> dict[str, int]:
    """Set method_id by a modulo of each row's id, one UPDATE per table."""
    # The method coded CODE_PREFIX + (id modulo spread); ids whose remainder names no method
    # are left without one.
    statements = {
        "activities": (
            "UPDATE activities_activity SET method_id = m.id FROM knowledge_method m"
            " WHERE activities_activity.method_id IS NULL"
            " AND m.municipality_id = activities_activity.municipality_id"
            " AND m.code = %s || CAST(activities_activity.id %% %s AS TEXT)",
            ACTIVITY_SPREAD,
        ),
        "plan steps": (
            "UPDATE cases_planaction SET method_id = m.id FROM cases_goal g, cases_case c,"
            " knowledge_method m WHERE cases_planaction.method_id IS NULL"
            " AND g.id = cases_planaction.goal_id AND c.id = g.case_id"
            " AND m.municipality_id = c.municipality_id"
            " AND m.code = %s || CAST(cases_planaction.id %% %s AS TEXT)",
            STEP_SPREAD,
        ),
        "referrals": (
            "UPDATE cases_referral SET method_id = m.id FROM cases_case c, knowledge_method m"
            " WHERE cases_referral.method_id IS NULL AND c.id = cases_referral.case_id"
            " AND m.municipality_id = c.municipality_id"
            " AND m.code = %s || CAST(cases_referral.id %% %s AS TEXT)",
            STEP_SPREAD,
        ),
    }
    named = {}
    with connection.cursor() as cursor:
        for what, (sql, spread) in statements.items():
            cursor.execute(sql, [CODE_PREFIX, spread])
            named[what] = max(cursor.rowcount, 0)
    return named


def extend_knowledge(report: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write the bench's methods and name them on its records; returns the rows written."""
    report = report or (lambda message: None)
    started = time.monotonic()
    with transaction.atomic():
        made = _methods()
        named = _name_methods()
    report(
        f"Methods: {made:,} written; named on "
        + ", ".join(f"{rows:,} {what}" for what, rows in named.items())
        + f" · {time.monotonic() - started:.1f} s"
    )
    return {"knowledge_method": made, **named}
