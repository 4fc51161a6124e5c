"""HU version 2: the written signal is due after an *oral* urgent signal, not after every urgent
one. Version 1 asked for it whenever immediate danger was ticked, also when the signal itself
was written. Published versions never change, so this is a new version; concerns received under
version 1 keep it."""

import copy

from django.db import migrations
from django.utils import timezone


def publish_hu_v2(apps, schema_editor):
    Profile = apps.get_model("protocols", "Profile")
    v1 = Profile.objects.filter(key="HU", version=1).first()
    if v1 is None or Profile.objects.filter(key="HU", version=2).exists():
        return
    rules = copy.deepcopy(v1.rules)
    for rule in rules["deadlines"]:
        if rule["code"] == "written_follow_up":
            rule["when"] = ["oral_signal"]
    Profile.objects.create(
        key="HU",
        version=2,
        name=v1.name,
        jurisdiction_id=v1.jurisdiction_id,
        rules=rules,
        published_at=timezone.now(),
    )


def withdraw_hu_v2(apps, schema_editor):
    Profile = apps.get_model("protocols", "Profile")
    Profile.objects.filter(key="HU", version=2, concerns__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("protocols", "0002_profiles_v1")]

    operations = [migrations.RunPython(publish_hu_v2, withdraw_hu_v2)]
