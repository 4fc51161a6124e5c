from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.forms import birth_date_field, date_field
from earlyhelp.organisations.models import Municipality
from earlyhelp.people.identifiers import clean_national_id, scheme_name
from earlyhelp.people.models import Adult, Child, Consent, Enrolment, Relationship


class VersionedForm(forms.ModelForm):
    """Carries the version the editor started from, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version


class PersonForm(VersionedForm):
    """A child's or adult's details; the national identifier is checked by the country's rule."""

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        # The age range is checked only on a date of birth entered or changed.
        self.fields["birth_date"].stored = self.instance.birth_date
        self.municipality = municipality
        if "home_district" in self.fields:
            # Where they live, as programmes' action areas need it: a district of the municipality.
            self.fields["home_district"].queryset = municipality.districts.order_by("name")
        scheme = scheme_name(municipality.jurisdiction.code)
        if scheme and "national_id" in self.fields:
            self.fields["national_id"].help_text = _("Optional. %(scheme)s, digits only.") % {
                "scheme": scheme
            }

    def clean_national_id(self) -> str:
        return clean_national_id(
            self.municipality.jurisdiction.code, self.cleaned_data.get("national_id", "")
        )

    def _post_clean(self):
        # The model's own clean needs the municipality, which is not a form field.
        self.instance.municipality = self.municipality
        super()._post_clean()


class ChildForm(PersonForm):
    birth_date = birth_date_field(label=_("Date of birth"))
    group = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Enrol in group or class"),
        help_text=_("Optional: the child's group or class today."),
    )

    class Meta:
        model = Child
        fields = [
            "family_name",
            "given_name",
            "birth_date",
            "sex",
            "national_id",
            "languages",
            "needs",
            "restricted",
            "home_district",
            "disadvantaged",
        ]
        widgets = {"needs": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is None:
            del self.fields["group"]
        else:
            self.fields["group"].queryset = groups


class AdultForm(PersonForm):
    birth_date = birth_date_field(adult=True, label=_("Date of birth"), required=False)

    class Meta:
        model = Adult
        fields = [
            "family_name",
            "given_name",
            "kind",
            "birth_date",
            "national_id",
            "phone",
            "email",
            "address",
            "address_protected",
            "home_district",
            "disadvantaged",
        ]

    def __init__(self, *args, show_address: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_address:
            # A protected address stays hidden, and untouched, for those not on the team; so
            # does the home district, which would tell where the person lives.
            del self.fields["address"]
            del self.fields["address_protected"]
            del self.fields["home_district"]


class AdultAddForm(AdultForm):
    """A new adult in the child's life and how they are related, on one form."""

    relationship_kind = forms.ChoiceField(
        label=_("Relationship to the child"), choices=Relationship.Kind.choices
    )
    relationship_parental_responsibility = forms.BooleanField(
        label=_("Has parental responsibility"), required=False
    )
    relationship_lives_with_child = forms.BooleanField(
        label=_("Lives with the child"), required=False
    )
    relationship_contact_restriction = forms.BooleanField(
        label=_("Contact with the child is restricted"), required=False
    )
    relationship_note = forms.CharField(label=_("Note"), max_length=250, required=False)


class RelationshipForm(VersionedForm):
    class Meta:
        model = Relationship
        fields = [
            "kind",
            "parental_responsibility",
            "lives_with_child",
            "contact_restriction",
            "note",
        ]


class EnrolmentForm(forms.ModelForm):
    starts_on = date_field(label=_("Starts on"))

    class Meta:
        model = Enrolment
        fields = ["group", "starts_on"]

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["starts_on"].initial = timezone.localdate


class EnrolmentEndForm(forms.Form):
    ends_on = date_field(label=_("Last day"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConsentForm(forms.ModelForm):
    given_on = date_field(label=_("Given on"))
    valid_until = date_field(label=_("Valid until"), required=False)

    class Meta:
        model = Consent
        fields = ["purpose", "given_by", "given_by_other", "given_on", "valid_until", "note"]

    def __init__(self, *args, adults, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_by"].queryset = adults
        self.fields["given_on"].initial = timezone.localdate


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = date_field(label=_("Withdrawn on"))
    version = forms.IntegerField(widget=forms.HiddenInput)
