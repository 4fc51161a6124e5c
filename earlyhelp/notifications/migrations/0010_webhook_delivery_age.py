"""The index the webhook sweep deletes old deliveries by (webhooks.KEEP_DELIVERIES).

Deliveries are written in the transaction of whatever notifies someone: on PostgreSQL the index
is built CONCURRENTLY, so that those writes go on while it is built; elsewhere plainly (as in
audit 0006).
"""

from django.db import migrations, models

INDEX = models.Index(fields=["created_at"], name="webhook_delivery_age")


def add_index(apps, schema_editor):
    model = apps.get_model("notifications", "WebhookDelivery")
    concurrently = schema_editor.connection.vendor == "postgresql"
    if concurrently:
        schema_editor.add_index(model, INDEX, concurrently=True)
    else:
        schema_editor.add_index(model, INDEX)


def remove_index(apps, schema_editor):
    schema_editor.remove_index(apps.get_model("notifications", "WebhookDelivery"), INDEX)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("notifications", "0009_webhooks")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_index, remove_index)],
            state_operations=[migrations.AddIndex(model_name="webhookdelivery", index=INDEX)],
        )
    ]
