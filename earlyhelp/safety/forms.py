from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.forms import date_field
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
    answered_on = date_field(
        initial=timezone.localdate,
        label=_("Answered on"),
    )
    note = forms.CharField(label=_("What they said"), max_length=500, required=False)


class ThreeHousesForm(forms.Form):
    child = forms.ModelChoiceField(label=_("Child"), queryset=None, empty_label=None)
    held_on = date_field(
        initial=timezone.localdate,
        label=_("Talked on"),
    )
    worries = forms.CharField(
        label=_("House of worries"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    good_things = forms.CharField(
        label=_("House of good things"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    dreams = forms.CharField(
        label=_("House of dreams"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    drawing = forms.FileField(
        label=_("The child's drawing"),
        required=False,
        help_text=_("A photo or a scan (JPEG, PNG or PDF), if the child wants it kept."),
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    relation = forms.CharField(label=_("Who they are to the child"), max_length=100)
    contact = forms.CharField(label=_("How to reach them"), max_length=200, required=False)
    agreed = forms.CharField(
        label=_("What they have agreed to"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class RuleForm(forms.Form):
    text = forms.CharField(label=_("Rule"), max_length=500)
    holder = forms.ModelChoiceField(label=_("Who holds it"), queryset=None)
    review_on = date_field(label=_("Review on"))

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = network


class MeetingForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None, empty_label=None)
    held_on = date_field(
        initial=timezone.localdate,
        label=_("Held on"),
    )
    topic = forms.CharField(
        label=_("The worry"),
        max_length=300,
        help_text=_("What the staff brought, without a child's name: “a pupil of 3.b who…”."),
    )
    participants = forms.CharField(
        label=_("Who took part"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Roles, one per line."),
    )
    worried = forms.CharField(
        label=_("What are we worried about?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    working = forms.CharField(
        label=_("What's working well?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    needs = forms.CharField(
        label=_("What needs to happen?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    scale = forms.IntegerField(
        label=_("How safe is the child, 0–10?"), min_value=0, max_value=10, required=False
    )
    next_steps = forms.CharField(
        label=_("Next steps, who and by when"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    concern = forms.ModelChoiceField(label=_("Concern"), queryset=None, required=False)
    case = forms.ModelChoiceField(label=_("Case"), queryset=None, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, institutions, concerns, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["concern"].queryset = concerns
        self.fields["case"].queryset = cases
