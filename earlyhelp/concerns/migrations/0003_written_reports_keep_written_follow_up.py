"""Every concern received so far was written in earlyhelp, so the HU version 1 deadline for a
written signal after an oral one was kept at receipt."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def keep_written_follow_up(apps, schema_editor):
    Concern = apps.get_model("concerns", "Concern")
    ConcernDeadline = apps.get_model("concerns", "ConcernDeadline")
    open_ones = ConcernDeadline.objects.filter(
        code="written_follow_up", met_at__isnull=True, concern__channel="written"
    )
    ConcernDeadline.objects.filter(pk__in=open_ones.values("pk")).update(
        met_at=Subquery(
            Concern.objects.filter(pk=OuterRef("concern_id")).values("received_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0002_reporters_outside_earlyhelp"),
        ("protocols", "0003_hu_v2_written_follow_up"),
    ]

    operations = [migrations.RunPython(keep_written_follow_up, migrations.RunPython.noop)]
