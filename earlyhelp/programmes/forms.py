"""The forms that set a programme up. Their choices (the municipality, its people, services,
districts and activity types) are given by the views; the services save what they return."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.forms import RowsField, date_field, period_in_order
from earlyhelp.organisations.models import Institution
from earlyhelp.programmes.models import (
    ActionArea,
    Indicator,
    OutcomeCategory,
    Partner,
    Programme,
    TargetGroup,
)


def _rows(label, required=False) -> RowsField:
    return RowsField(
        label=label, queryset=None, required=required, widget=forms.CheckboxSelectMultiple
    )


class ProgrammeForm(forms.ModelForm):
    """A programme's particulars. The municipality is chosen only by who runs programmes in
    several; the lead is someone holding a role there."""

    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, empty_label=None)
    starts_on = date_field(label=_("Starts on"))
    ends_on = date_field(label=_("Ends on"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Programme
        fields = [
            "name", "funder", "reference", "starts_on", "ends_on", "budget", "currency",
            "aid_rate", "lead", "services", "institutions", "description",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"services": RowsField, "institutions": RowsField}

    def __init__(self, *args, municipalities, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if self.instance.pk:
            del self.fields["municipality"]
        else:
            del self.fields["version"]
        self.fields["lead"].queryset = choices["leads"]
        self.fields["services"].queryset = choices["services"]
        self.fields["services"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["services"].choices
        )
        self.fields["institutions"].queryset = choices["institutions"]
        self.fields["institutions"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["institutions"].choices
        )

    def clean(self):
        data = super().clean()
        period_in_order(self, "starts_on", "ends_on")
        return data


class PartnerForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Partner
        fields = ["name", "role", "service", "note"]

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["version"]
        self.fields["service"].queryset = services


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"), help_text=_("A PDF or a photo (JPEG or PNG), at most the size allowed.")
    )


class TargetGroupForm(forms.ModelForm):
    settings = forms.MultipleChoiceField(
        label=_("Kinds of setting"),
        choices=Institution.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of institution where they are reached; none chosen: any."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TargetGroup
        fields = [
            "name", "people", "min_age", "max_age", "settings", "disadvantaged", "legal_basis",
            "area", "action_area", "target_share", "share_rule",
        ]  # fmt: skip

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["version"]
        self.fields["action_area"].queryset = areas


class OutcomeCategoryForm(forms.ModelForm):
    """A shipped category chosen by its code, or the programme's own with a name."""

    OWN = "own"
    code = forms.ChoiceField(label=_("Outcome"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = OutcomeCategory
        fields = ["code", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["version"]
        self.fields["code"].choices = [
            *((code, label) for code, label in OutcomeCategory.SHIPPED.items()),
            (self.OWN, _("Our own (give it a name)")),
        ]
        if self.instance.pk and self.instance.code not in OutcomeCategory.SHIPPED:
            self.initial["code"] = self.OWN
        self.fields["name"].help_text = _("Only for an outcome of your own.")

    def clean(self):
        data = super().clean()
        code = data.get("code")
        if code == self.OWN:
            name = (data.get("name") or "").strip()
            if not name:
                self.add_error("name", _("Name the outcome."))
            elif self.instance.pk and self.instance.code not in OutcomeCategory.SHIPPED:
                data["code"] = self.instance.code
            else:
                data["code"] = f"own-{slugify(name)[:35]}".rstrip("-")
        elif code:
            data["name"] = ""
        return data

    def _post_clean(self):
        # The code and the name are settled in clean(); a clash is refused by the service.
        if not self.errors:
            self.instance.code = self.cleaned_data["code"]
            self.instance.name = self.cleaned_data["name"]


class IndicatorForm(forms.ModelForm):
    """An indicator as a definition; a definition that cannot be computed is refused with the
    model's own messages next to the fields."""

    period_starts = date_field(
        label=_("Counted from"), required=False, help_text=_("Empty: from the programme's start.")
    )
    period_ends = date_field(
        label=_("Counted until"), required=False, help_text=_("Empty: until the programme's end.")
    )
    target_date = date_field(label=_("To be reached by"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = [
            "name", "unit", "aggregation", "role", "target_group", "activity_types", "outcome",
            "with_partners", "period_starts", "period_ends", "target_value", "target_date",
            "lower_is_better",
        ]  # fmt: skip
        field_classes = {"activity_types": RowsField}

    def __init__(self, *args, target_groups, outcomes, activity_types, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["version"]
        self.fields["target_group"].queryset = target_groups
        self.fields["outcome"].queryset = outcomes
        self.fields["activity_types"].queryset = activity_types
        self.fields["activity_types"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["activity_types"].choices
        )

    def _post_clean(self):
        super()._post_clean()
        if "activity_types" in self.errors:
            return
        try:
            self.instance.clean(activity_types=list(self.cleaned_data.get("activity_types") or []))
        except ValidationError as error:
            # The other refusals were given by the model's full_clean() already.
            for message in error.message_dict.get("activity_types", []):
                self.add_error("activity_types", message)


class ActionAreaForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ActionArea
        fields = ["municipality", "name", "districts", "streets"]
        field_classes = {"districts": RowsField}
        widgets = {"streets": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, municipalities, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].empty_label = None
        if self.instance.pk:
            del self.fields["municipality"]
        else:
            del self.fields["version"]
        self.fields["districts"].queryset = districts
        self.fields["districts"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["districts"].choices
        )

    def clean(self):
        data = super().clean()
        municipality = data.get("municipality") or getattr(self.instance, "municipality", None)
        chosen = data.get("districts") or []
        if municipality and any(d.municipality_id != municipality.pk for d in chosen):
            self.add_error("districts", _("Choose districts of the area's municipality."))
        return data


class ProgrammesField(RowsField):
    """ "Counts for programmes" on a record of work: offers only the programmes the user may
    link (`offer`); links to others are kept by `services.programmes_link`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Counts for programmes"))
        kwargs.setdefault("help_text", _("The funded programmes this work counts for, if any."))
        super().__init__(
            queryset=Programme.objects.none(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )

    def offer(self, user, municipality_ids=None) -> None:
        from earlyhelp.programmes.services import linkable

        self.queryset = linkable(user, municipality_ids)
