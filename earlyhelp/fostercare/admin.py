"""The foster-care requirements in the administration: a municipality's administrator may set
its own rule for a requirement (or switch it off); without one, the Czech defaults of zákon
359/1999 Sb. apply (`fostercare.rules.DEFAULT_RULES`)."""

from django.contrib import admin

from earlyhelp.fostercare.models import RequirementRule
from earlyhelp.organisations.admin import ScopedAdmin, site


@admin.register(RequirementRule, site=site)
class RequirementRuleAdmin(ScopedAdmin):
    list_display = ("code", "amount", "period", "months", "active", "municipality")
    list_filter = ("code", "active")
    fields = ("municipality", "code", "amount", "period", "months", "active")
