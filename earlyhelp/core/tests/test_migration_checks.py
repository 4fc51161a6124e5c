"""A migration that adds a check constraint stops, before touching anything, on rows that
would break it, and names them, instead of failing on the database's bare IntegrityError."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from earlyhelp.core.migration_checks import RowsBreakConstraint
from earlyhelp.people.models import Child
from earlyhelp.tests.factories import ChildFactory

BEFORE = [("people", "0003_alter_consent_purpose")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


# SQLite cannot change a table's schema inside the test's transaction; PostgreSQL can, and
# must, since the append-only audit log refuses the TRUNCATE that ends a transactional test.
ON_SQLITE = connection.vendor == "sqlite"


@pytest.mark.django_db(transaction=ON_SQLITE)
def test_a_child_born_in_1850_stops_the_migration_with_its_id():
    child = ChildFactory()
    if not ON_SQLITE:
        with connection.cursor() as cursor:  # no deferred checks pending when tables change
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        executor = migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps.get_model("people", "Child")
        old.objects.filter(pk=child.pk).update(birth_date=date(1850, 1, 1))

        with pytest.raises(RowsBreakConstraint) as stopped:
            migrate([("people", "0004_plausible_dates")])
        message = str(stopped.value)
        assert "'child_birth_date_plausible'" in message
        assert f"people.Child: the rows with these ids break it: {child.pk}." in message
        assert "Correct them" in message
        # Nothing was changed: the row is as it was, and the migration is not applied.
        assert old.objects.get(pk=child.pk).birth_date == date(1850, 1, 1)
        applied = MigrationExecutor(connection).loader.applied_migrations
        assert ("people", "0004_plausible_dates") not in applied

        old.objects.filter(pk=child.pk).update(birth_date=date(2015, 3, 1))
    finally:
        migrate(latest)
    assert Child.objects.get(pk=child.pk).birth_date == date(2015, 3, 1)
