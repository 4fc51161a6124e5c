"""The forms of the foster-care pages; their choices come from the access policy through the
views."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.forms import date_field, past_date_field, period_in_order
from earlyhelp.fostercare.models import Placement, Visit
from earlyhelp.programmes.forms import ProgrammesField


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class HouseholdForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, empty_label=None)
    name = forms.CharField(
        label=_("Name"), max_length=150, help_text=_("E.g. the carers' surname.")
    )
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    address_protected = forms.BooleanField(
        label=_("Protected address"),
        required=False,
        help_text=_(
            "The carers' address is never shown to the birth family's side, nor to anyone "
            "working the child's contacts who does not support the foster family."
        ),
    )

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services


class HouseholdEditForm(_Versioned):
    name = HouseholdForm.base_fields["name"]
    address = HouseholdForm.base_fields["address"]
    address_protected = HouseholdForm.base_fields["address_protected"]
    active = forms.BooleanField(
        label=_("Supported by the service"),
        required=False,
        help_text=_("Clear it when the support ends; the records are kept."),
    )


class CarerForm(forms.Form):
    adult = forms.ModelChoiceField(
        label=_("An adult already recorded"),
        queryset=None,
        required=False,
        empty_label=_("Nobody: record a new person below"),
        help_text=_("E.g. a grandparent who already appears as a child's relative."),
    )
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    since = past_date_field(label=_("Foster carer since"), required=False)

    def __init__(self, *args, adults=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adult"].queryset = adults

    def clean(self):
        data = super().clean()
        if not data.get("adult") and not (
            (data.get("given_name") or "").strip() and (data.get("family_name") or "").strip()
        ):
            raise forms.ValidationError(
                _("Choose an adult already recorded, or give the new carer's names.")
            )
        return data


class PlacementForm(forms.Form):
    child = forms.ModelChoiceField(label=_("Child"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of placement"), choices=Placement.Kind.choices)
    starts_on = date_field(label=_("Placed on"))
    ends_on = date_field(label=_("Ended on"), required=False)

    def clean(self):
        data = super().clean()
        period_in_order(self, "starts_on", "ends_on", _("The placement ends before it starts."))
        return data

    def __init__(self, *args, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        if children is None:
            del self.fields["child"]
        else:
            self.fields["child"].queryset = children


class PlacementEditForm(_Versioned, PlacementForm):
    pass


class AgreementForm(forms.Form):
    key_worker = forms.ModelChoiceField(label=_("Key worker"), queryset=None)
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    signed_on = date_field(label=_("Signed on"))
    ends_on = date_field(label=_("Ends on"), required=False)
    programmes = ProgrammesField()

    def clean(self):
        data = super().clean()
        period_in_order(self, "signed_on", "ends_on", _("The agreement ends before it was signed."))
        return data

    def __init__(self, *args, workers=None, user=None, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].queryset = workers
        if user is None:
            del self.fields["programmes"]
        else:
            self.fields["programmes"].offer(user, [municipality_id])


class AgreementEditForm(_Versioned, AgreementForm):
    pass


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices)
    on = date_field(label=_("Date"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TrainingForm(forms.Form):
    carer = forms.ModelChoiceField(label=_("Carer"), queryset=None, empty_label=None)
    on = date_field(label=_("Date"))
    title = forms.CharField(label=_("Title"), max_length=200)
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=5, decimal_places=1, min_value=Decimal("0.5")
    )

    def __init__(self, *args, carers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = carers


class RespiteForm(forms.Form):
    placement = forms.ModelChoiceField(label=_("Child"), queryset=None, empty_label=None)
    starts_on = date_field(label=_("From"))
    ends_on = date_field(label=_("To"))
    note = forms.CharField(label=_("Who looked after the child"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        period_in_order(self, "starts_on", "ends_on", _("The respite ends before it starts."))
        return data

    def __init__(self, *args, placements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = placements
        self.fields["placement"].label_from_instance = lambda p: str(p.child)


class StepForm(forms.Form):
    # A step of the household's method (`knowledge.items`), checked by the service.
    step = forms.CharField(max_length=20, widget=forms.HiddenInput)
    done = forms.BooleanField(required=False, widget=forms.HiddenInput)
    on = date_field(label=_("Done on"), required=False)


class DevelopmentForm(forms.Form):
    goal = forms.CharField(label=_("Goal"), max_length=250)
    how = forms.CharField(label=_("How"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    carer = forms.ModelChoiceField(
        label=_("Carer"), queryset=None, required=False, empty_label=_("All carers")
    )
    due_on = date_field(label=_("To be reached by"), required=False)

    def __init__(self, *args, carers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = carers


class DevelopmentDoneForm(_Versioned):
    done_on = date_field(label=_("Reached on"), required=False)
