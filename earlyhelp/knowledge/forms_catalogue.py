"""The forms of the catalogue: finding entries, adding and changing an intervention, and a step
of the scale of evidence. Their choices (services, evidence steps, people) are those of the
entry's municipality, given by the views; the services in knowledge.catalogue save what they
return."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.forms import RowsField
from earlyhelp.knowledge.models import EvidenceLevel, Method

MAX_AGE = 120


class CatalogueFilterForm(forms.Form):
    """What the list is narrowed to. A value that is not one offered narrows nothing."""

    IN_USE = "yes"
    NOT_IN_USE = "no"
    ALL = "all"

    q = forms.CharField(label=_("Words in the name or description"), max_length=100, required=False)
    setting = forms.ChoiceField(
        label=_("Setting"), choices=[("", _("Any")), *Method.Setting.choices], required=False
    )
    stage = forms.ChoiceField(
        label=_("Development stage"),
        choices=[("", _("Any")), *Method.Stage.choices],
        required=False,
    )
    evidence = forms.ChoiceField(label=_("Evidence"), required=False)
    age = forms.IntegerField(
        label=_("Suits a child aged"), min_value=0, max_value=MAX_AGE, required=False
    )
    active = forms.ChoiceField(
        label=_("In use"),
        choices=[(IN_USE, _("In use")), (NOT_IN_USE, _("No longer in use")), (ALL, _("All"))],
        required=False,
    )

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        # One choice per step of the scales shown (a code shared by several municipalities
        # is one step: the shipped ones are).
        seen: dict[str, str] = {}
        for level in levels:
            seen.setdefault(level.code, str(level))
        self.fields["evidence"].choices = [("", _("Any")), *seen.items()]

    def filters(self) -> dict:
        """The valid filters, each field with an error left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in data.items()
            if name not in self.errors and value not in (None, "")
        }


class MethodForm(forms.Form):
    """An intervention's description. Saving a change names the version it was based on and
    says, in a short note, what changed."""

    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("What it is"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    target_group = forms.CharField(label=_("For whom"), max_length=300, required=False)
    age_from = forms.IntegerField(
        label=_("From age"), min_value=0, max_value=MAX_AGE, required=False
    )
    age_to = forms.IntegerField(label=_("To age"), min_value=0, max_value=MAX_AGE, required=False)
    setting = forms.ChoiceField(label=_("Setting"), choices=Method.Setting.choices)
    mechanism = forms.CharField(
        label=_("How it is meant to help"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("The mechanism or theory of change: what it does and why that should help."),
    )
    evidence_level = forms.ModelChoiceField(label=_("Evidence"), queryset=None, required=False)
    stage = forms.ChoiceField(label=_("Development stage"), choices=Method.Stage.choices)
    sources = forms.CharField(
        label=_("Sources and links"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line: a publication, or a link starting with https://."),
    )
    service = forms.ModelChoiceField(
        label=_("Service that keeps it"),
        queryset=None,
        required=False,
        help_text=_("Empty: the whole municipality's."),
    )
    responsible = RowsField(
        label=_("People responsible"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They keep the entry up to date, with the service's supervisors."),
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("A line for the history, e.g. 'Age range widened after the pilot'."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, levels, services, people, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_level"].queryset = levels
        self.fields["evidence_level"].label_from_instance = _level_label
        self.fields["service"].queryset = services
        self.fields["responsible"].queryset = people
        self.fields["responsible"].label_from_instance = _person_label
        if not editing:
            del self.fields["version"]
            del self.fields["active"]
            self.fields["note"].help_text = _("A line for the history, e.g. 'First described'.")

    def clean(self):
        data = super().clean()
        low, high = data.get("age_from"), data.get("age_to")
        if low is not None and high is not None and low > high:
            self.add_error("age_to", _("The upper age is below the lower age."))
        for key in ("description", "target_group", "mechanism", "sources", "note"):
            data[key] = (data.get(key) or "").strip()
        return data

    def method_data(self) -> dict:
        """The entry's own fields, as the service takes them."""
        names = (
            "name", "description", "target_group", "age_from", "age_to", "setting", "mechanism",
            "evidence_level", "stage", "sources", "service", "active",
        )  # fmt: skip
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


def _level_label(level: EvidenceLevel) -> str:
    return str(level)


def _person_label(user) -> str:
    return user.get_full_name() or user.get_username()


class EvidenceLevelForm(forms.Form):
    """A step of the scale: a shipped step keeps its code and may be renamed and described; a
    new step gets a code of its own."""

    code = forms.SlugField(
        label=_("Short code"),
        max_length=40,
        help_text=_("Letters, digits and dashes, e.g. 'local-evaluation'. It cannot be changed."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        required=False,
        help_text=_("Empty for a step of the shipped scale: it is then named in each language."),
    )
    description = forms.CharField(
        label=_("What it takes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    rank = forms.IntegerField(
        label=_("Rank"),
        min_value=0,
        max_value=1000,
        help_text=_("Higher is stronger evidence; the scale is shown in this order."),
    )

    def __init__(self, *args, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
