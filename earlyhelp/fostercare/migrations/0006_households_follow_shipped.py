"""Existing records follow their service's shipped version (a migration of its own: on
PostgreSQL the rows it updates must not share a transaction with the new foreign key's
deferred index)."""

from django.db import migrations

from earlyhelp.knowledge.items import shipped_version_for

# The shipped steps of the support method, as they were when households started keeping versions.
STEPS = [
    "intake", "agreement", "support_plan", "training_plan", "respite_plan", "network",
    "birth_family", "life_story", "review", "evaluation",
]


def point_to_shipped(apps, schema_editor):
    """Every existing household follows its service's shipped steps."""
    Household = apps.get_model("fostercare", "Household")
    for service_id in Household.objects.values_list("service_id", flat=True).distinct():
        Household.objects.filter(service_id=service_id).update(
            steps_version_id=shipped_version_for(
                apps, service_id, "fostercare_steps", "Steps of the foster-care method", STEPS
            )
        )


class Migration(migrations.Migration):
    dependencies = [("fostercare", "0005_method_versions")]

    operations = [migrations.RunPython(point_to_shipped, migrations.RunPython.noop)]
