"""Rows that would break a new check constraint stop the migration with a message that says
which ones, instead of the database's bare IntegrityError halfway through an upgrade.

Nothing is changed for the operator: which value is right (a mistyped year, a swapped start
and end) is a decision about a person's record, made in the administration.
"""

from __future__ import annotations

from django.db import migrations, models

SHOWN_IDS = 20


class RowsBreakConstraint(Exception):
    """Existing rows do not meet a constraint the migration is about to add."""


def _check_rows(app_label: str, model_name: str, constraint: models.CheckConstraint):
    def check(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        ids = list(
            model._default_manager.using(schema_editor.connection.alias)
            .exclude(constraint.condition)
            .order_by("pk")
            .values_list("pk", flat=True)[: SHOWN_IDS + 1]
        )
        if not ids:
            return
        more = " and more" if len(ids) > SHOWN_IDS else ""
        raise RowsBreakConstraint(
            f"Cannot add the check {constraint.name!r} to {app_label}.{model.__name__}: the "
            f"rows with these ids break it: {', '.join(map(str, ids[:SHOWN_IDS]))}{more}. "
            "Correct them (for example in the administration) and migrate again; "
            "nothing has been changed."
        )

    return check


def with_row_checks(app_label: str, operations: list) -> list:
    """`operations` with a check of the existing rows before each added CheckConstraint."""
    checked = []
    for op in operations:
        if isinstance(op, migrations.AddConstraint) and isinstance(
            op.constraint, models.CheckConstraint
        ):
            checked.append(
                migrations.RunPython(
                    _check_rows(app_label, op.model_name, op.constraint),
                    migrations.RunPython.noop,
                    elidable=True,
                )
            )
        checked.append(op)
    return checked
