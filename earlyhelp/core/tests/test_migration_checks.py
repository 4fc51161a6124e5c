"""A migration that adds a check constraint stops, before touching anything, on rows that
would break it, and names them, instead of failing on the database's bare IntegrityError.

The operations run are those of the real migration that added the constraint on a child's date
of birth (people 0004), applied to the table as it would have been before it: the constraint
is dropped in the test, the row broken, and the migration's own operations run again. Migrating
the whole project back and forth would say the same in minutes instead of seconds."""

from datetime import date

import pytest
from django.db import connection, migrations
from django.db.migrations.loader import MigrationLoader

from earlyhelp.core.migration_checks import RowsBreakConstraint
from earlyhelp.people.models import Child
from earlyhelp.tests.factories import ChildFactory

CONSTRAINT = "child_birth_date_plausible"

# SQLite cannot change a table's schema inside the test's transaction; PostgreSQL can, and
# must, since the append-only audit log refuses the TRUNCATE that ends a transactional test.
ON_SQLITE = connection.vendor == "sqlite"


def _child_constraint_operations():
    """The row check and the AddConstraint of the child's date of birth, as the migration
    has them, and the project's state before and after them."""
    loader = MigrationLoader(connection)
    migration = loader.get_migration("people", "0004_plausible_dates")
    add = next(
        op
        for op in migration.operations
        if isinstance(op, migrations.AddConstraint) and op.constraint.name == CONSTRAINT
    )
    check = migration.operations[migration.operations.index(add) - 1]
    assert isinstance(check, migrations.RunPython)
    after = loader.project_state()
    before = after.clone()
    before.remove_constraint("people", "child", CONSTRAINT)
    return check, add, before, after


def _constraints() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, Child._meta.db_table))


@pytest.mark.django_db(transaction=ON_SQLITE)
def test_a_child_born_in_1850_stops_the_migration_with_its_id():
    child = ChildFactory()
    if not ON_SQLITE:
        with connection.cursor() as cursor:  # no deferred checks pending when tables change
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    check, add, before, after = _child_constraint_operations()
    constraint = next(c for c in Child._meta.constraints if c.name == CONSTRAINT)
    # The schema editor is given the models of the states, as a migration gives it: SQLite
    # rebuilds the table from the model's constraints.
    try:
        with connection.schema_editor() as editor:
            editor.remove_constraint(before.apps.get_model("people", "Child"), constraint)
        Child.objects.filter(pk=child.pk).update(birth_date=date(1850, 1, 1))

        with pytest.raises(RowsBreakConstraint) as stopped, connection.schema_editor() as editor:
            check.database_forwards("people", editor, before, after)
            add.database_forwards("people", editor, before, after)
        message = str(stopped.value)
        assert "'child_birth_date_plausible'" in message
        assert f"people.Child: the rows with these ids break it: {child.pk}." in message
        assert "Correct them" in message
        # Nothing was changed: the row is as it was, and the constraint was not added.
        assert Child.objects.get(pk=child.pk).birth_date == date(1850, 1, 1)
        assert CONSTRAINT not in _constraints()

        Child.objects.filter(pk=child.pk).update(birth_date=date(2015, 3, 1))
        with connection.schema_editor() as editor:
            check.database_forwards("people", editor, before, after)
            add.database_forwards("people", editor, before, after)
        assert CONSTRAINT in _constraints()
    finally:
        if CONSTRAINT not in _constraints():
            Child.objects.filter(birth_date__lt=date(1900, 1, 1)).update(
                birth_date=date(2015, 3, 1)
            )
            with connection.schema_editor() as editor:
                editor.add_constraint(after.apps.get_model("people", "Child"), constraint)
    assert Child.objects.get(pk=child.pk).birth_date == date(2015, 3, 1)
