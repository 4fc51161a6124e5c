"""The form on which a service's keepers change the items of one of its methods: each item's
own name, its place in the order, whether it is in use; new items; a note on what changed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from earlyhelp.knowledge.items import LABEL_LENGTH, Items

NEW_ITEMS = 3


class ItemsForm(forms.Form):
    note = forms.CharField(label=_("What changed and why"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, items: Items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        count = len(items.all)
        for place, item in enumerate(items.all, start=1):
            self.fields[f"label__{item.code}"] = forms.CharField(
                label=_("Name"),
                max_length=LABEL_LENGTH,
                required=False,
                initial=item.own_label,
                help_text=_("Leave empty for the shipped name, shown in each language.")
                if item.shipped
                else "",
                widget=forms.TextInput(attrs={"placeholder": item.label if item.shipped else ""}),
            )
            # Empty: where it stands now (and an item someone else added meanwhile, which this
            # form did not show, keeps its place: the save is then refused as stale).
            self.fields[f"order__{item.code}"] = forms.IntegerField(
                label=_("Place in the order"),
                min_value=1,
                max_value=count,
                initial=place,
                required=False,
            )
            self.fields[f"use__{item.code}"] = forms.BooleanField(
                label=_("In use"), required=False, initial=not item.retired
            )
        for n in range(1, NEW_ITEMS + 1):
            self.fields[f"new__{n}"] = forms.CharField(
                label=_("New item %(n)s") % {"n": n}, max_length=LABEL_LENGTH, required=False
            )
        self.order_fields([name for name in self.fields if name not in ("note", "version")])

    def item_rows(self):
        """For the page: each item with its three fields."""
        return [
            (
                item,
                self[f"label__{item.code}"],
                self[f"order__{item.code}"],
                self[f"use__{item.code}"],
            )
            for item in self.items.all
        ]

    def new_fields(self):
        return [self[f"new__{n}"] for n in range(1, NEW_ITEMS + 1)]

    def clean(self):
        data = super().clean()
        data["rows"] = [
            {
                "code": item.code,
                "label": data.get(f"label__{item.code}") or "",
                "order": data.get(f"order__{item.code}") or place,
                "in_use": bool(data.get(f"use__{item.code}")),
            }
            for place, item in enumerate(self.items.all, start=1)
        ]
        data["added"] = [data.get(f"new__{n}") or "" for n in range(1, NEW_ITEMS + 1)]
        return data
