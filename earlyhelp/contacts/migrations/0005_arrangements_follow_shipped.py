"""Existing records follow their service's shipped version (a migration of its own: on
PostgreSQL the rows it updates must not share a transaction with the new foreign key's
deferred index)."""

from django.db import migrations

from earlyhelp.knowledge.items import shipped_version_for

# The shipped stages and competences, as they were when records started keeping versions.
STAGES = ["agreement", "handover", "assisted"]
COMPETENCES = [
    "needs", "warmth", "level", "boundaries", "agreements", "other_parent", "parting",
]


def point_to_shipped(apps, schema_editor):
    """Every existing arrangement follows its service's shipped stages and competences."""
    Arrangement = apps.get_model("contacts", "Arrangement")
    for service_id in Arrangement.objects.values_list("service_id", flat=True).distinct():
        Arrangement.objects.filter(service_id=service_id).update(
            stages_version_id=shipped_version_for(
                apps, service_id, "contact_stages", "Stages of assisted contact", STAGES
            ),
            competences_version_id=shipped_version_for(
                apps, service_id, "contact_competences",
                "Parental competences in assisted contact", COMPETENCES,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("contacts", "0004_method_versions")]

    operations = [migrations.RunPython(point_to_shipped, migrations.RunPython.noop)]
