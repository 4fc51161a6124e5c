"""Existing records follow their service's shipped version (a migration of its own: on
PostgreSQL the rows it updates must not share a transaction with the new foreign key's
deferred index)."""

from django.db import migrations

from earlyhelp.knowledge.items import shipped_version_for

# The shipped Signs of Safety tools, as they were when records started keeping versions.
TOOLS = ["mapping", "statements", "scaling", "three_houses", "network", "safety_plan"]
SAFETY_SERVICE_KINDS = [
    "family_child_welfare", "school_social_work", "social_assistance", "educational_care",
]
NAME = "Signs of Safety tools in use"


def point_to_shipped(apps, schema_editor):
    """Every case with Signs of Safety work follows its service's shipped tools; every meeting
    those of the service of its facilitator's social-helper membership at the institution (or
    the municipality's first service doing Signs of Safety; none: the shipped default)."""
    Case = apps.get_model("cases", "Case")
    Membership = apps.get_model("organisations", "Membership")
    SafetyMeeting = apps.get_model("safety", "SafetyMeeting")
    Service = apps.get_model("organisations", "Service")
    worked = set()
    for related in ("mapping_items", "statements", "scaling_answers", "three_houses",
                    "network", "safety_rules"):  # fmt: skip
        worked |= set(
            Case.objects.filter(**{f"{related}__isnull": False}).values_list("pk", flat=True)
        )
    cases = Case.objects.filter(pk__in=worked)
    for service_id in cases.values_list("service_id", flat=True).distinct():
        cases.filter(service_id=service_id).update(
            safety_tools_version_id=shipped_version_for(apps, service_id, "safety_tools", NAME, TOOLS)
        )
    for meeting in SafetyMeeting.objects.all():
        membership = (
            Membership.objects.filter(
                user_id=meeting.facilitator_id, role="social_helper",
                institution_id=meeting.institution_id, service__isnull=False,
            ).order_by("pk").first()
        )  # fmt: skip
        service_id = membership.service_id if membership else (
            Service.objects.filter(
                municipality_id=meeting.municipality_id, kind__in=SAFETY_SERVICE_KINDS
            ).order_by("pk").values_list("pk", flat=True).first()
        )  # fmt: skip
        if service_id is not None:
            SafetyMeeting.objects.filter(pk=meeting.pk).update(
                tools_version_id=shipped_version_for(apps, service_id, "safety_tools", NAME, TOOLS)
            )


class Migration(migrations.Migration):
    dependencies = [("safety", "0004_tool_versions")]

    operations = [migrations.RunPython(point_to_shipped, migrations.RunPython.noop)]
