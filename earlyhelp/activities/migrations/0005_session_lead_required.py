from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_session_lead"),
    ]

    operations = [
        migrations.AlterField(
            model_name="session",
            name="lead",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="led by",
            ),
        ),
        migrations.AddIndex(
            model_name="session",
            index=models.Index(fields=["lead", "starts_at"], name="session_lead_start"),
        ),
    ]
