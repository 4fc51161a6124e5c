"""New versions of every profile with a retention period for adults' identities (parents,
relatives, carers): kept until nothing else about them has been kept for the period, counted
from the last change to their record (privacy/retention.py, docs/privacy.md). Like every period
shipped, a municipal setting whose default is earlyhelp's choice. Published versions never
change, so these are new versions; concerns received under the earlier ones keep them."""

import copy

from django.db import migrations, models
from django.utils import timezone

RULE, EVENT, SETTING, DEFAULT = "adult", "last_change", "retention_adult_months", 12
KEYS = ("HU", "CZ", "DK", "GENERIC")


def publish(apps, schema_editor):
    Profile = apps.get_model("protocols", "Profile")
    for key in KEYS:
        current = (
            Profile.objects.filter(key=key, published_at__isnull=False).order_by("-version").first()
        )
        if current is None or RULE in current.rules.get("retention", {RULE: None}):
            continue
        rules = copy.deepcopy(current.rules)
        rules["retention"][RULE] = {"from": EVENT, "setting": SETTING}
        rules.setdefault("settings", {})[SETTING] = DEFAULT
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
    for profile in Profile.objects.filter(key__in=KEYS, concerns__isnull=True):
        if RULE in profile.rules.get("retention", {}):
            profile.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0006_retention_periods"),
    ]

    operations = [
        migrations.AlterField(
            model_name="municipalsetting",
            name="key",
            field=models.CharField(
                choices=[
                    ("acting_working_days", "Act on a concern within (working days)"),
                    ("urgent_acting_hours", "Act on a concern in immediate danger within (hours)"),
                    ("feedback_working_days", "Give the reporter feedback within (working days)"),
                    (
                        "written_follow_up_working_days",
                        "Written signal after an oral urgent signal within (working days)",
                    ),
                    (
                        "retention_concern_no_case_months",
                        "Keep a concern that led to no case for (months after it was closed)",
                    ),
                    (
                        "retention_closed_case_months",
                        "Keep a closed case for (months after closure or the children's 18th birthday)",
                    ),
                    (
                        "retention_activity_months",
                        "Keep an activity's participants for (months after it ended)",
                    ),
                    (
                        "retention_contact_months",
                        "Keep a contact arrangement for (months after it ended)",
                    ),
                    (
                        "retention_foster_care_months",
                        "Keep a foster-care placement for (months after it ended)",
                    ),
                    (
                        "retention_attachments_months",
                        "Keep attached files for (months after their record was closed)",
                    ),
                    (
                        "retention_child_months",
                        "Keep a child's identity for (months after their 18th birthday, once nothing else about them is kept)",
                    ),
                    (
                        "retention_adult_months",
                        "Keep an adult's identity for (months after the last change to their record, once nothing else about them is kept)",
                    ),
                ],
                max_length=60,
                verbose_name="setting",
            ),
        ),
        migrations.RunPython(publish, withdraw),
    ]
