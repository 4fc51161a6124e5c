"""Existing records follow their service's shipped version (a migration of its own: on
PostgreSQL the rows it updates must not share a transaction with the new foreign key's
deferred index)."""

from django.db import migrations

# The shipped steps of the support method, as they were when households started keeping versions.
STEPS = [
    "intake", "agreement", "support_plan", "training_plan", "respite_plan", "network",
    "birth_family", "life_story", "review", "evaluation",
]


def shipped_version(apps, service_id, kind, name, codes):
    """The id of the first version of the service's shipped entry of `kind`, made with the
    shipped `codes` if the service has none yet (as `knowledge.items.entry_for` does)."""
    Method = apps.get_model("knowledge", "Method")
    MethodVersion = apps.get_model("knowledge", "MethodVersion")
    Service = apps.get_model("organisations", "Service")
    method = Method.objects.filter(service_id=service_id, kind=kind, code="shipped").first()
    if method is None:
        service = Service.objects.get(pk=service_id)
        items = [{"code": code, "label": ""} for code in codes]
        method = Method.objects.create(
            municipality_id=service.municipality_id, service_id=service_id, kind=kind,
            name=name, code="shipped", items=items, stage="documented",
        )
        MethodVersion.objects.create(
            method=method, number=1, content={}, items=items, note="Shipped default"
        )
    return MethodVersion.objects.filter(method=method).order_by("number").first().pk


def point_to_shipped(apps, schema_editor):
    """Every existing household follows its service's shipped steps."""
    Household = apps.get_model("fostercare", "Household")
    for service_id in Household.objects.values_list("service_id", flat=True).distinct():
        Household.objects.filter(service_id=service_id).update(
            steps_version_id=shipped_version(
                apps, service_id, "fostercare_steps", "Steps of the foster-care method", STEPS
            )
        )


class Migration(migrations.Migration):
    dependencies = [("fostercare", "0005_method_versions")]

    operations = [migrations.RunPython(point_to_shipped, migrations.RunPython.noop)]
