"""The import pages' forms: a roster file to check, decisions on the rows the check could not
tell, the confirmation to apply, and a municipality's column mapping."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from earlyhelp.core.forms import date_field
from earlyhelp.imports.fields import FIELDS, PRESETS, STAFF_PRESET, preset_choices
from earlyhelp.imports.models import ColumnMapping, RosterImport
from earlyhelp.organisations.models import Institution

EXTENSIONS = (".csv", ".txt", ".xlsx")


class ImportForm(forms.Form):
    municipality = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Municipality"))
    kind = forms.ChoiceField(
        choices=RosterImport.Kind.choices,
        initial=RosterImport.Kind.CHILDREN,
        label=gettext_lazy("The file lists"),
        help_text=gettext_lazy(
            "A staff list uses earlyhelp's staff template, whatever the columns say below."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        help_text=gettext_lazy("CSV or XLSX, with the column headings in its first row."),
    )
    mapping = forms.ChoiceField(label=gettext_lazy("Columns"))
    starts_on = date_field(
        label=gettext_lazy("Enrolments start on"),
        help_text=gettext_lazy(
            "The first day of a new enrolment, unless the file gives one per row; a move to "
            "another class ends the earlier one the day before."
        ),
    )
    full_roster = forms.BooleanField(
        required=False,
        label=gettext_lazy("This is the full roster of its institutions"),
        help_text=gettext_lazy(
            "Children enrolled in these institutions but missing from the file are listed, and "
            "their enrolments end only if you confirm it before applying."
        ),
    )
    create_groups = forms.BooleanField(
        required=False, label=gettext_lazy("Create classes the municipality does not have yet")
    )
    create_institutions = forms.BooleanField(
        required=False, label=gettext_lazy("Create institutions the municipality does not have yet")
    )
    institution_kind = forms.ChoiceField(
        choices=Institution.Kind.choices,
        initial=Institution.Kind.SCHOOL,
        label=gettext_lazy("Kind of a new institution"),
    )

    def __init__(self, *args, municipalities, **kwargs):
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0].pk
        saved = ColumnMapping.objects.filter(municipality__in=municipalities).order_by("name")
        self.saved = {f"mapping:{m.pk}": m for m in saved}
        presets = [(f"preset:{code}", label) for code, label in preset_choices()]
        if self.saved:
            self.fields["mapping"].choices = [
                (_("Saved for the municipality"), [(k, m.name) for k, m in self.saved.items()]),
                (_("Presets"), presets),
            ]
        else:
            self.fields["mapping"].choices = presets

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        limit = settings.EARLYHELP_IMPORT_MAX_MB
        if upload.size > limit * 1024**2:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB: split it into several files.") % {"mb": limit}
            )
        return upload

    def clean(self):
        data = super().clean()
        if data.get("kind") == RosterImport.Kind.STAFF:
            data["columns"], data["mapping_name"] = (
                STAFF_PRESET["columns"],
                str(STAFF_PRESET["label"]),
            )
            return data
        choice, municipality = data.get("mapping", ""), data.get("municipality")
        if choice.startswith("mapping:"):
            mapping = self.saved.get(choice)
            if mapping is None or municipality and mapping.municipality_id != municipality.pk:
                self.add_error("mapping", _("Choose a mapping of this municipality."))
            else:
                data["columns"], data["mapping_name"] = mapping.columns, mapping.name
        elif choice.startswith("preset:") and choice[7:] in PRESETS:
            preset = PRESETS[choice[7:]]
            data["columns"], data["mapping_name"] = preset["columns"], str(preset["label"])
        return data

    def options(self) -> dict:
        names = (
            "starts_on",
            "full_roster",
            "create_groups",
            "create_institutions",
            "institution_kind",
        )
        return {name: self.cleaned_data[name] for name in names}


class ApplyForm(forms.Form):
    end_missing = forms.BooleanField(
        required=False,
        label=gettext_lazy("End the enrolments of the children missing from the roster"),
    )


class MappingForm(forms.ModelForm):
    """A name, and for each value the heading of the column that holds it (empty: the file
    has no such column)."""

    class Meta:
        model = ColumnMapping
        fields = ["municipality", "name"]

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        columns = self.instance.columns or {}
        for name, label in FIELDS.items():
            self.fields[f"column_{name}"] = forms.CharField(
                label=label, required=False, max_length=100, initial=columns.get(name, "")
            )

    def column_fields(self):
        return [self[f"column_{name}"] for name in FIELDS]

    def clean(self):
        data = super().clean()
        columns = {name: data.get(f"column_{name}", "").strip() for name in FIELDS}
        headings = [h.casefold() for h in columns.values() if h]
        if len(headings) != len(set(headings)):
            raise forms.ValidationError(
                _("Each column can hold one value only: a heading is named twice.")
            )
        if not columns["group"] or not columns["birth_date"]:
            raise forms.ValidationError(
                _("Name the columns of the class and of the date of birth.")
            )
        if not (columns["full_name"] or (columns["family_name"] and columns["given_name"])):
            raise forms.ValidationError(
                _("Name the columns of the child's names, or of the full name.")
            )
        self.instance.columns = {k: v for k, v in columns.items() if v}
        return data


class PresetForm(forms.Form):
    preset = forms.ChoiceField(choices=preset_choices, label=gettext_lazy("Start from"))
