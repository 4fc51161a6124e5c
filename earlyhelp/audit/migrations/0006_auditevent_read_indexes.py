"""The indexes of the audit-log page: a person's, an account's, a record's and a
municipality's rows, newest first.

The log is the largest table: on PostgreSQL the indexes are built CONCURRENTLY, so that writing
the log (every read of a record) goes on while they are built; elsewhere plainly.
"""

from django.db import migrations, models

INDEXES = [
    models.Index(fields=["actor_id", "at"], name="audit_actor_at"),
    models.Index(fields=["municipality_id", "at", "id"], name="audit_municipality_at"),
    models.Index(fields=["object_type", "object_id", "at"], name="audit_object_at"),
]


def add_indexes(apps, schema_editor):
    model = apps.get_model("audit", "AuditEvent")
    concurrently = schema_editor.connection.vendor == "postgresql"
    for index in INDEXES:
        if concurrently:
            schema_editor.add_index(model, index, concurrently=True)
        else:
            schema_editor.add_index(model, index)


def remove_indexes(apps, schema_editor):
    model = apps.get_model("audit", "AuditEvent")
    for index in INDEXES:
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("audit", "0005_municipality_verification_export")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_indexes, remove_indexes)],
            state_operations=[
                migrations.AddIndex(model_name="auditevent", index=index) for index in INDEXES
            ],
        )
    ]
