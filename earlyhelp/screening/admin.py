"""A municipality's own screening instruments in the administration; the one shipped with
earlyhelp (no municipality) is offered everywhere and changed only by a new version of
earlyhelp."""

from django.contrib import admin

from earlyhelp.organisations.admin import ScopedAdmin, ScopedInline, site
from earlyhelp.screening.models import Instrument, Item


class ItemInline(ScopedInline):
    model = Item
    extra = 3
    fields = ("position", "code", "text")


@admin.register(Instrument, site=site)
class InstrumentAdmin(ScopedAdmin):
    list_display = ("__str__", "code", "scale", "amber_flags", "active")
    list_filter = ("scale", "active")
    fields = ("municipality", "code", "name", "scale", "amber_flags", "active")
    inlines = [ItemInline]
