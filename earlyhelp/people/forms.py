from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.organisations.models import Municipality
from earlyhelp.people.identifiers import clean_national_id, scheme_name
from earlyhelp.people.models import Adult, Child, Consent, Enrolment, Relationship


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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
        self.municipality = municipality
        scheme = scheme_name(municipality.jurisdiction.code)
        if scheme and "national_id" in self.fields:
            self.fields["national_id"].help_text = _("Optional. %(scheme)s, digits only.") % {
                "scheme": scheme
            }

    def clean_national_id(self) -> str:
        return clean_national_id(
            self.municipality.jurisdiction.code, self.cleaned_data.get("national_id", "")
        )

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born and born > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."))
        return born

    def _post_clean(self):
        # The model's own clean needs the municipality, which is not a form field.
        self.instance.municipality = self.municipality
        super()._post_clean()


class ChildForm(PersonForm):
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
        ]
        widgets = {"birth_date": DateInput(), "needs": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is None:
            del self.fields["group"]
        else:
            self.fields["group"].queryset = groups


class AdultForm(PersonForm):
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
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, show_address: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_address:
            # A protected address stays hidden, and untouched, for those not on the team.
            del self.fields["address"]
            del self.fields["address_protected"]


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
    class Meta:
        model = Enrolment
        fields = ["group", "starts_on"]
        widgets = {"starts_on": DateInput()}

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["starts_on"].initial = timezone.localdate


class EnrolmentEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["purpose", "given_by", "given_by_other", "given_on", "valid_until", "note"]
        widgets = {"given_on": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, adults, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_by"].queryset = adults
        self.fields["given_on"].initial = timezone.localdate


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)
