"""Existing records follow their service's shipped version (a migration of its own: on
PostgreSQL the rows it updates must not share a transaction with the new foreign key's
deferred index)."""

from django.db import migrations

# The shipped stages and competences, as they were when records started keeping versions.
STAGES = ["agreement", "handover", "assisted"]
COMPETENCES = [
    "needs", "warmth", "level", "boundaries", "agreements", "other_parent", "parting",
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
    """Every existing arrangement follows its service's shipped stages and competences."""
    Arrangement = apps.get_model("contacts", "Arrangement")
    for service_id in Arrangement.objects.values_list("service_id", flat=True).distinct():
        Arrangement.objects.filter(service_id=service_id).update(
            stages_version_id=shipped_version(
                apps, service_id, "contact_stages", "Stages of assisted contact", STAGES
            ),
            competences_version_id=shipped_version(
                apps, service_id, "contact_competences",
                "Parental competences in assisted contact", COMPETENCES,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("contacts", "0004_method_versions")]

    operations = [migrations.RunPython(point_to_shipped, migrations.RunPython.noop)]
