"""The rooms where contacts take place, in the administration: each municipality's
administrator keeps them per service, so that the planning can keep two meetings apart."""

from django.contrib import admin

from earlyhelp.contacts.models import Room
from earlyhelp.organisations.admin import ScopedAdmin, site


@admin.register(Room, site=site)
class RoomAdmin(ScopedAdmin):
    list_display = ("name", "service", "active")
    list_filter = ("active",)
    list_editable = ("active",)
    search_fields = ("name",)
    fields = ("municipality", "service", "name", "active")
