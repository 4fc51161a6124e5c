"""Every existing municipality gets the shipped scale of evidence; new ones get it when they are
created (`knowledge.catalogue.seed_new_municipality`). Backwards, the shipped steps no entry
uses are removed again."""

from django.db import migrations

# Copied from knowledge.models.EVIDENCE_SCALE as it stood (codes, weakest first, ranked 10, 20,
# ...). Migrations do not import the app's current code.
SHIPPED = ("practice", "theory", "preliminary", "efficacy", "effectiveness")


def seed(apps, schema_editor):
    Municipality = apps.get_model("organisations", "Municipality")
    EvidenceLevel = apps.get_model("knowledge", "EvidenceLevel")
    for municipality_id in Municipality.objects.values_list("pk", flat=True):
        have = set(
            EvidenceLevel.objects.filter(municipality_id=municipality_id).values_list(
                "code", flat=True
            )
        )
        EvidenceLevel.objects.bulk_create(
            EvidenceLevel(municipality_id=municipality_id, code=code, rank=(position + 1) * 10)
            for position, code in enumerate(SHIPPED)
            if code not in have
        )


def unseed(apps, schema_editor):
    EvidenceLevel = apps.get_model("knowledge", "EvidenceLevel")
    EvidenceLevel.objects.filter(code__in=SHIPPED, name="", methods__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_reviews"),
        ("organisations", "0002_membership_approval"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
