"""The catalogue of activity types in the administration: each municipality's administrator
switches types off, reorders them and adds the municipality's own."""

from django.contrib import admin

from earlyhelp.activities.models import ActivityType
from earlyhelp.organisations.admin import ScopedAdmin, site


@admin.register(ActivityType, site=site)
class ActivityTypeAdmin(ScopedAdmin):
    list_display = ("__str__", "code", "mode", "needs_agreement", "registration", "active")
    list_filter = ("mode", "active")
    list_editable = ("active",)
    search_fields = ("code", "name")
    fields = (
        "municipality", "code", "name", "mode", "needs_agreement", "registration", "active",
        "position",
    )  # fmt: skip
