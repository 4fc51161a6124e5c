"""The forms of a screening of promising interventions. Their choices (municipalities, staff,
catalogue entries, candidates) are given by the views, read through the policy; the services in
knowledge/reviews.py check and save what they return."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.forms import RowsField
from earlyhelp.knowledge.models import MAX_WEIGHT, RATING_SCALE, Method
from earlyhelp.knowledge.reviews import Entry

TEXT = {"rows": 3}


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=4000,
        help_text=_("What the review is to answer."),
    )
    target_group = forms.CharField(label=_("For whom"), max_length=300, required=False)
    background = forms.CharField(
        label=_("Why this review"), widget=forms.Textarea(attrs=TEXT), required=False,
        max_length=4000,
    )  # fmt: skip
    members = RowsField(
        label=_("Review group"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The colleagues who rate the candidates with you."),
    )
    version = _version()

    def __init__(self, *args, staff, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = staff
        if municipalities is None:
            # A review stays in its municipality.
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = municipalities
            del self.fields["version"]


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=150)
    description = forms.CharField(
        label=_("What it asks"), widget=forms.Textarea(attrs=TEXT), required=False,
        max_length=2000,
    )  # fmt: skip
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=MAX_WEIGHT,
        initial=1,
        help_text=_("1 to 5: how much the criterion counts in the total."),
    )


class CandidateForm(forms.Form):
    method = forms.ModelChoiceField(
        label=_("From the catalogue"),
        queryset=None,
        required=False,
        empty_label=_("— not in the catalogue: describe it below —"),
    )
    name = forms.CharField(
        label=_("Intervention"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to use the name in the catalogue."),
    )
    description = forms.CharField(
        label=_("What it is"), widget=forms.Textarea(attrs=TEXT), required=False, max_length=4000
    )
    source = forms.CharField(
        label=_("Where it comes from"),
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=4000,
        help_text=_("A publication, another municipality's experience, a link."),
    )

    def __init__(self, *args, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].queryset = methods

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("method") and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Name the intervention or choose it from the catalogue."))
        return cleaned


SCORE_CHOICES = [("", _("Not rated")), *((str(value), label) for value, label in RATING_SCALE)]


class RatingForm(forms.Form):
    """A rater's ratings of one candidate: for each criterion a score, the sources and the
    experiences behind it, and the version of their rating they saw."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            key = criterion.pk
            self.fields[f"score_{key}"] = forms.TypedChoiceField(
                label=_("Score"), choices=SCORE_CHOICES, coerce=int, empty_value=None,
                required=False,
            )  # fmt: skip
            self.fields[f"sources_{key}"] = forms.CharField(
                label=_("Sources"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                max_length=4000,
            )  # fmt: skip
            self.fields[f"experiences_{key}"] = forms.CharField(
                label=_("Experiences"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                max_length=4000,
            )  # fmt: skip
            self.fields[f"version_{key}"] = _version()

    def rows(self) -> list[tuple]:
        """(criterion, score, sources, experiences, version) bound fields, for the page."""
        return [
            (
                criterion,
                self[f"score_{criterion.pk}"],
                self[f"sources_{criterion.pk}"],
                self[f"experiences_{criterion.pk}"],
                self[f"version_{criterion.pk}"],
            )
            for criterion in self.criteria
        ]

    def entries(self) -> list[Entry]:
        data = self.cleaned_data
        return [
            Entry(
                criterion=criterion,
                score=data.get(f"score_{criterion.pk}"),
                sources=data.get(f"sources_{criterion.pk}") or "",
                experiences=data.get(f"experiences_{criterion.pk}") or "",
                version=data.get(f"version_{criterion.pk}"),
            )
            for criterion in self.criteria
        ]


class RecommendationForm(forms.Form):
    recommendation = forms.CharField(
        label=_("Recommendation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=8000,
        help_text=_("What the review recommends, and the prototype it proposes."),
    )
    chosen = RowsField(
        label=_("Builds on"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The candidates the recommendation builds on."),
    )
    version = _version()

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = candidates


class PrototypeForm(forms.Form):
    name = forms.CharField(label=_("Name of the new intervention"), max_length=150)
    description = forms.CharField(
        label=_("What it is"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )
    mechanism = forms.CharField(
        label=_("How it is meant to help"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=8000,
    )
    target_group = forms.CharField(label=_("For whom"), max_length=300, required=False)
    age_from = forms.IntegerField(label=_("From age"), min_value=0, max_value=120, required=False)
    age_to = forms.IntegerField(label=_("To age"), min_value=0, max_value=120, required=False)
    setting = forms.ChoiceField(label=_("Setting"), choices=Method.Setting.choices)
    version = _version()

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("age_from"), cleaned.get("age_to")
        if low is not None and high is not None and low > high:
            self.add_error("age_to", _("The upper age is below the lower age."))
        return cleaned


class StepForm(forms.Form):
    """A step of the review's phases (open the rating, close): the version the lead saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)
