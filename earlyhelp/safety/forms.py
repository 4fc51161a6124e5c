from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.safety.models import MappingItem, ScalingAnswer, Statement


class MappingForm(forms.Form):
    category = forms.ChoiceField(label=_("Where it belongs"), choices=MappingItem.Category.choices)
    text = forms.CharField(
        label=_("In plain words"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Words the family would use, not professional terms."),
    )


class StatementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Statement.Kind.choices)
    text = forms.CharField(label=_("In plain words"), widget=forms.Textarea(attrs={"rows": 3}))
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ScalingForm(forms.Form):
    respondent = forms.ChoiceField(
        label=_("Who answered"), choices=ScalingAnswer.Respondent.choices
    )
    respondent_name = forms.CharField(label=_("Name"), max_length=100)
    score = forms.IntegerField(
        label=_("Answer (0–10)"),
        min_value=0,
        max_value=10,
        help_text=_(
            "0: the danger is so great that the child must be protected now; 10: everyone is "
            "confident the child is safe enough for the case to close."
        ),
    )
    answered_on = forms.DateField(
        label=_("Answered on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("What they said"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("answered_on", timezone.localdate())
        super().__init__(*args, **kwargs)
