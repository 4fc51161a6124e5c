"""The free-text intervention of an activity becomes a link to an entry of the municipality's
catalogue of methods: each distinct text of a municipality becomes an intervention of that name,
and the activities that wrote it follow it. Texts differing only in case or spacing are one
entry, named as the earliest activity wrote it.

What the text said is all that is known: the entry starts at the stage "idea" (nobody has
described or tested it yet) with the evidence step "practice experience" (used by practitioners,
no stated theory of change), set up by the creator of the earliest activity, with its first
version. Its description says where it came from (`TAKEN`), which is how the way back finds it.

Backwards, the text is written again from the linked entry's name (one UPDATE per distinct
text), and the entries this made that still say where they came from and that no plan step or
referral names are removed. The field itself goes in the next migration."""

from django.db import migrations

TAKEN = "Taken from the activities' free text."
BATCH = 1000


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _chunks(ids: list[int]):
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def text_to_methods(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    Method = apps.get_model("knowledge", "Method")
    MethodVersion = apps.get_model("knowledge", "MethodVersion")
    EvidenceLevel = apps.get_model("knowledge", "EvidenceLevel")
    named = (
        Activity.objects.exclude(intervention="")
        .order_by("municipality_id", "starts_on", "pk")
        .values_list("pk", "municipality_id", "intervention", "created_by_id")
    )
    groups: dict[tuple[int, str], tuple[str, int, list[int]]] = {}
    for pk, municipality_id, text, created_by_id in named.iterator():
        name = " ".join(text.split())
        if name:
            # The first spelling (of the earliest activity) names the entry.
            group = groups.setdefault((municipality_id, _key(name)), (name, created_by_id, []))
            group[2].append(pk)
    practice = dict(
        EvidenceLevel.objects.filter(
            municipality_id__in={key[0] for key in groups}, code="practice"
        ).values_list("municipality_id", "pk")
    )
    for (municipality_id, _k), (name, created_by_id, activity_ids) in groups.items():
        method = Method.objects.create(
            municipality_id=municipality_id,
            kind="intervention",
            name=name[:150],
            description=TAKEN,
            stage="idea",
            evidence_level_id=practice.get(municipality_id),
            created_by_id=created_by_id,
        )
        MethodVersion.objects.create(
            method=method,
            number=1,
            content={
                "name": method.name, "kind": "intervention", "service": None,
                "description": TAKEN, "target_group": "", "age_from": None, "age_to": None,
                "setting": method.setting, "mechanism": "",
                "evidence_level": method.evidence_level_id, "stage": "idea", "sources": "",
                "active": True, "responsible": [],
            },  # fmt: skip
            note=TAKEN,
            changed_by_id=created_by_id,
        )
        for chunk in _chunks(activity_ids):
            Activity.objects.filter(pk__in=chunk).update(method_id=method.pk)


def methods_to_text(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    Method = apps.get_model("knowledge", "Method")
    by_text: dict[str, list[int]] = {}
    linked = Activity.objects.filter(method__isnull=False).values_list("pk", "method__name")
    for activity_id, name in linked.iterator():
        by_text.setdefault(name[:150], []).append(activity_id)
    for text, activity_ids in by_text.items():
        for chunk in _chunks(activity_ids):
            Activity.objects.filter(pk__in=chunk).update(intervention=text)
    made = Method.objects.filter(
        kind="intervention",
        description=TAKEN,
        plan_actions__isnull=True,
        referrals__isnull=True,
    )
    Activity.objects.filter(method__in=made).update(method=None)
    made.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0009_methods_and_partners"),
        ("cases", "0012_methods_and_partners"),
        ("knowledge", "0003_seed_evidence_scale"),
    ]

    operations = [migrations.RunPython(text_to_methods, methods_to_text, elidable=False)]
