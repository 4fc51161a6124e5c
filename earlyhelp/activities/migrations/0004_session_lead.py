"""Each meeting keeps its activity's lead (`Session.lead`), filled here from the activities.
The column is made required and indexed in 0005, after this data migration has committed."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_leads(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    Session = apps.get_model("activities", "Session")
    lead = Activity.objects.filter(pk=OuterRef("activity_id")).values("lead_id")[:1]
    Session.objects.filter(lead__isnull=True).update(lead_id=Subquery(lead))


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_participant_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="lead",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="led by",
            ),
        ),
        migrations.RunPython(fill_leads, migrations.RunPython.noop),
    ]
