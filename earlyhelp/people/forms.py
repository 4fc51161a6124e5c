from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.organisations.models import Group, Municipality
from earlyhelp.people.identifiers import clean_national_id, scheme_name
from earlyhelp.people.models import Child, Consent


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


class ChildForm(VersionedForm):
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
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

    def __init__(self, *args, municipality: Municipality, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        code = municipality.jurisdiction.code
        if scheme_name(code):
            self.fields["national_id"].help_text = _("Optional. %(scheme)s, digits only.") % {
                "scheme": scheme_name(code)
            }
        if groups is None:
            del self.fields["group"]
        else:
            self.fields["group"].queryset = groups

    def clean_national_id(self) -> str:
        return clean_national_id(
            self.municipality.jurisdiction.code, self.cleaned_data.get("national_id", "")
        )

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."))
        return born

    def _post_clean(self):
        # The model's own clean needs the municipality, which is not a form field.
        self.instance.municipality = self.municipality
        super()._post_clean()


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
