"""The catalogue of activity types in the administration: each municipality's administrator
switches types off, reorders them, adds the municipality's own and names the method from the
catalogue of interventions each type follows."""

from django.contrib import admin

from earlyhelp.activities.models import ActivityType
from earlyhelp.knowledge.models import Method
from earlyhelp.organisations.admin import ScopedAdmin, site


@admin.register(ActivityType, site=site)
class ActivityTypeAdmin(ScopedAdmin):
    list_display = ("__str__", "code", "mode", "needs_agreement", "registration", "active")
    list_filter = ("mode", "active")
    list_editable = ("active",)
    search_fields = ("code", "name")
    fields = (
        "municipality", "code", "name", "mode", "needs_agreement", "registration", "method",
        "active", "position",
    )  # fmt: skip

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "method":
            field.queryset = field.queryset.filter(kind=Method.Kind.INTERVENTION)
        return field
