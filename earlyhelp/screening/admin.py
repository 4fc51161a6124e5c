"""A municipality's own screening instruments in the administration; the one shipped with
earlyhelp (no municipality) is offered everywhere and changed only by a new version of
earlyhelp."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from earlyhelp.organisations.admin import ScopedAdmin, ScopedInline, site
from earlyhelp.screening.models import Instrument, Item


class ItemForm(forms.ModelForm):
    """A municipality's own item has no shipped wording: its question must be written."""

    class Meta:
        model = Item
        fields = ["position", "code", "text"]

    def clean(self):
        data = super().clean()
        shipped = self.instance.instrument_id and self.instance.instrument.municipality_id is None
        if not shipped and not data.get("text") and not data.get("DELETE"):
            self.add_error("text", _("Write the question as the educators will read it."))
        return data


class ItemInline(ScopedInline):
    model = Item
    form = ItemForm
    extra = 3
    fields = ("position", "code", "text")


@admin.register(Instrument, site=site)
class InstrumentAdmin(ScopedAdmin):
    list_display = ("__str__", "code", "scale", "amber_flags", "active")
    list_filter = ("scale", "active")
    fields = ("municipality", "code", "name", "scale", "amber_flags", "active")
    inlines = [ItemInline]
