"""The free-text programme of an activity becomes a link to a Programme: each distinct text of
a municipality becomes a programme of that name (no funder; its period from the first to the
last day of the activities that named it; set up by the creator of the first of them), and
those activities count for it. Backwards, the text is written again from the linked names."""

from django.db import migrations


def text_to_links(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    Programme = apps.get_model("programmes", "Programme")
    Link = Activity.programmes.through
    named = (
        Activity.objects.exclude(programme="")
        .order_by("municipality_id", "starts_on", "pk")
        .values_list("pk", "municipality_id", "programme", "starts_on", "ends_on", "created_by_id")
    )
    groups: dict[tuple[int, str], list[tuple]] = {}
    for pk, municipality_id, text, starts_on, ends_on, created_by_id in named.iterator():
        name = text.strip()
        if name:
            groups.setdefault((municipality_id, name), []).append(
                (pk, starts_on, ends_on or starts_on, created_by_id)
            )
    for (municipality_id, name), rows in groups.items():
        programme = Programme.objects.create(
            municipality_id=municipality_id,
            name=name[:200],
            starts_on=min(row[1] for row in rows),
            ends_on=max(row[2] for row in rows),
            created_by_id=rows[0][3],
        )
        Link.objects.bulk_create(
            [Link(activity_id=row[0], programme_id=programme.pk) for row in rows],
            ignore_conflicts=True,
        )


def links_to_text(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    Link = Activity.programmes.through
    names: dict[int, list[str]] = {}
    for activity_id, name in Link.objects.order_by("programme__name").values_list(
        "activity_id", "programme__name"
    ):
        names.setdefault(activity_id, []).append(name)
    for activity_id, linked in names.items():
        Activity.objects.filter(pk=activity_id).update(programme=", ".join(linked)[:150])


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0007_activity_programmes"),
        ("programmes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(text_to_links, links_to_text, elidable=False),
        migrations.RemoveField(model_name="activity", name="programme"),
    ]
