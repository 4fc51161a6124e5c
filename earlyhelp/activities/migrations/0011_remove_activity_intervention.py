"""The free-text intervention is gone: an activity names the method it follows
(`Activity.method`, filled from the text by the previous migration)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("activities", "0010_intervention_text_to_methods")]

    operations = [migrations.RemoveField(model_name="activity", name="intervention")]
