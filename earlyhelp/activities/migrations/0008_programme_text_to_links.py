"""The free-text programme of an activity becomes a link to a Programme: each distinct text of
a municipality becomes a programme of that name (no funder; its period from the first to the
last day of the activities that named it; set up by the creator of the first of them), and
those activities count for it. Texts differing only in case or spacing are one programme,
named as the first activity wrote it. The programmes it makes are marked `template="migrated"`.
Backwards, the text is written again from the linked names (one UPDATE per distinct text) and
the programmes it made are deleted."""

from django.db import migrations

MIGRATED = "migrated"
BATCH = 1000


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def text_to_links(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    Programme = apps.get_model("programmes", "Programme")
    Link = Activity.programmes.through
    named = (
        Activity.objects.exclude(programme="")
        .order_by("municipality_id", "starts_on", "pk")
        .values_list("pk", "municipality_id", "programme", "starts_on", "ends_on", "created_by_id")
    )
    groups: dict[tuple[int, str], tuple[str, list[tuple]]] = {}
    for pk, municipality_id, text, starts_on, ends_on, created_by_id in named.iterator():
        name = " ".join(text.split())
        if name:
            # The first spelling (of the earliest activity) names the programme.
            _name, rows = groups.setdefault((municipality_id, _key(name)), (name, []))
            rows.append((pk, starts_on, ends_on or starts_on, created_by_id))
    keys = list(groups)
    programmes = Programme.objects.bulk_create(
        [
            Programme(
                municipality_id=municipality_id,
                name=groups[(municipality_id, key)][0][:200],
                starts_on=min(row[1] for row in groups[(municipality_id, key)][1]),
                ends_on=max(row[2] for row in groups[(municipality_id, key)][1]),
                created_by_id=groups[(municipality_id, key)][1][0][3],
                template=MIGRATED,
            )
            for municipality_id, key in keys
        ],
        batch_size=BATCH,
    )
    Link.objects.bulk_create(
        (
            Link(activity_id=row[0], programme_id=programme.pk)
            for group_key, programme in zip(keys, programmes, strict=True)
            for row in groups[group_key][1]
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def links_to_text(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    Programme = apps.get_model("programmes", "Programme")
    Link = Activity.programmes.through
    names: dict[int, list[str]] = {}
    for activity_id, name in Link.objects.order_by("programme__name").values_list(
        "activity_id", "programme__name"
    ):
        names.setdefault(activity_id, []).append(name)
    # One UPDATE per distinct text, not one per activity.
    by_text: dict[str, list[int]] = {}
    for activity_id, linked in names.items():
        by_text.setdefault(", ".join(linked)[:150], []).append(activity_id)
    for text, activity_ids in by_text.items():
        Activity.objects.filter(pk__in=activity_ids).update(programme=text)
    Programme.objects.filter(template=MIGRATED).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0007_activity_programmes"),
        ("programmes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(text_to_links, links_to_text, elidable=False),
        migrations.RemoveField(model_name="activity", name="programme"),
    ]
