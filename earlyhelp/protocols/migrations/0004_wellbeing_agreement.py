"""New versions of every profile that say which agreement a wellbeing conversation with a pupil
needs: the parents' consent everywhere; in Denmark also the school's agreement ("efter nærmere
aftale med forældre og skole", seed 004). Published versions never change, so these are new
versions; concerns received under the earlier ones keep them."""

import copy

from django.db import migrations
from django.utils import timezone

AGREEMENT = {"HU": ["parent"], "CZ": ["parent"], "DK": ["parent", "school"], "GENERIC": ["parent"]}


def publish(apps, schema_editor):
    Profile = apps.get_model("protocols", "Profile")
    for key, needed in AGREEMENT.items():
        current = (
            Profile.objects.filter(key=key, published_at__isnull=False).order_by("-version").first()
        )
        if current is None or "wellbeing_agreement" in current.rules:
            continue
        rules = copy.deepcopy(current.rules)
        rules["wellbeing_agreement"] = needed
        Profile.objects.create(
            key=key,
            version=current.version + 1,
            name=current.name,
            jurisdiction_id=current.jurisdiction_id,
            rules=rules,
            published_at=timezone.now(),
        )


def withdraw(apps, schema_editor):
    Profile = apps.get_model("protocols", "Profile")
    for profile in Profile.objects.filter(key__in=AGREEMENT, concerns__isnull=True):
        if "wellbeing_agreement" in profile.rules and profile.version > 1:
            profile.delete()


class Migration(migrations.Migration):
    dependencies = [("protocols", "0003_hu_v2_written_follow_up")]

    operations = [migrations.RunPython(publish, withdraw)]
