"""Every existing municipality gets the shipped catalogue of activity types; new ones get it
when they are created (`activities.catalogue.seed_new_municipality`)."""

from django.db import migrations

# Copied from activities.models.CATALOGUE as it stood: code → (mode, needs agreement,
# registration). Migrations do not import the app's current code.
SHIPPED = {
    "individual_session": ("individual", False, False),
    "mentoring": ("individual", False, False),
    "wellbeing_conversation": ("individual", True, False),
    "catch_up_tutoring": ("group", False, False),
    "parent_club": ("group", False, False),
    "baby_mama_club": ("group", False, False),
    "household_club": ("group", False, False),
    "mental_health_group": ("group", False, False),
    "mediation": ("individual", False, False),
    "job_readiness": ("group", False, False),
    "crime_prevention": ("group", False, False),
    "health_day": ("community", False, False),
    "community_development": ("community", False, False),
    "staff_sparring": ("staff", False, False),
    "meeting_facilitation": ("staff", False, False),
    "staff_workshop": ("staff", False, True),
    "round_table": ("staff", False, False),
    "help_with_authorities": ("individual", False, False),
}


def seed(apps, schema_editor):
    Municipality = apps.get_model("organisations", "Municipality")
    ActivityType = apps.get_model("activities", "ActivityType")
    for municipality in Municipality.objects.all():
        have = set(
            ActivityType.objects.filter(municipality=municipality).values_list("code", flat=True)
        )
        ActivityType.objects.bulk_create(
            ActivityType(
                municipality=municipality, code=code, mode=mode, needs_agreement=agreement,
                registration=registration, position=position,
            )  # fmt: skip
            for position, (code, (mode, agreement, registration)) in enumerate(SHIPPED.items())
            if code not in have
        )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial"), ("organisations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
