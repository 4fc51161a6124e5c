"""The free-text intervention of activities becomes entries of each municipality's catalogue,
and comes back as text when the migration is reversed."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from earlyhelp.activities.models import Activity
from earlyhelp.knowledge.models import Method
from earlyhelp.tests import factories as f

BEFORE = [("activities", "0009_methods_and_partners")]
# The catalogue migration and every later one of activities, so that the current models read
# the table as it now is.
AFTER_CATALOGUE = ("activities", "0011_remove_activity_intervention")
TAKEN = "Taken from the activities' free text."


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="A migration test flushes the database, and the audit log refuses TRUNCATE there.",
)
@pytest.mark.django_db(transaction=True)
def test_the_free_text_intervention_becomes_catalogue_entries_and_back():
    municipality = f.MunicipalityFactory()
    other = f.MunicipalityFactory()
    school = f.InstitutionFactory(municipality=municipality)
    abroad = f.InstitutionFactory(municipality=other)
    first, second = f.UserFactory(), f.UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        OldActivity = old.get_model("activities", "Activity")
        OldType = old.get_model("activities", "ActivityType")

        def made(institution, text, starts_on, by=first):
            kind = OldType.objects.filter(municipality_id=institution.municipality_id).first()
            return OldActivity.objects.create(
                municipality_id=institution.municipality_id, institution_id=institution.pk,
                type_id=kind.pk, title="Club", lead_id=by.pk, created_by_id=by.pk,
                starts_on=starts_on, intervention=text,
            ).pk  # fmt: skip

        early = made(school, "Incredible Years", date(2024, 3, 1), by=second)
        spaced = made(school, " incredible  years ", date(2024, 9, 1))
        other_text = made(school, "Mentoring", date(2024, 5, 1))
        none = made(school, "  ", date(2024, 5, 1))
        abroad_pk = made(abroad, "Incredible Years", date(2023, 1, 1))

        executor = MigrationExecutor(connection)
        leaves = executor.loader.graph.leaf_nodes()
        after = [node for node in leaves if node[0] == "activities"]
        assert AFTER_CATALOGUE in executor.loader.graph.forwards_plan(after[0])
        executor.migrate(after)

        ours = Method.objects.filter(municipality=municipality).order_by("name")
        assert [m.name for m in ours] == ["Incredible Years", "Mentoring"]
        years = ours[0]
        assert (years.kind, years.stage, years.description) == ("intervention", "idea", TAKEN)
        assert years.evidence_level.code == "practice"
        assert years.created_by_id == second.pk
        assert [(v.number, v.content["name"]) for v in years.versions.all()] == [
            (1, "Incredible Years")
        ]
        assert set(years.activities.values_list("pk", flat=True)) == {early, spaced}
        assert Activity.objects.get(pk=other_text).method.name == "Mentoring"
        assert Activity.objects.get(pk=none).method is None
        theirs = Activity.objects.get(pk=abroad_pk).method
        assert theirs.municipality_id == other.pk and theirs.pk != years.pk

        # Backwards, the text comes back from the names and the entries made are gone.
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        texts = dict(
            old.get_model("activities", "Activity").objects.values_list("pk", "intervention")
        )
        assert texts[early] == texts[spaced] == "Incredible Years"
        assert texts[other_text] == "Mentoring" and texts[none] == ""
        assert not old.get_model("knowledge", "Method").objects.exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
