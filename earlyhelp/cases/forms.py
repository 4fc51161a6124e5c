"""The forms of the case pages; choices come from the access policy through the views."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.cases.models import Case, CaseMember, ChronologyEntry


class CaseOpenForm(forms.Form):
    title = forms.CharField(
        label=_("Name of the case"),
        max_length=200,
        help_text=_("How the team refers to it, e.g. the family's name."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Case.Kind.choices, initial=Case.Kind.FAMILY)
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, empty_label=None)
    children = forms.ModelMultipleChoiceField(
        label=_("Children the case is about"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A sibling group or household can share one case; each child gets a plan."),
    )
    reason = forms.CharField(
        label=_("Why the case is opened"), widget=forms.Textarea(attrs={"rows": 4})
    )
    lead_worker = forms.ModelChoiceField(
        label=_("Lead worker"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to lead the case yourself."),
    )
    restricted = forms.BooleanField(
        label=_("Restricted case"),
        required=False,
        help_text=_("Only the case's team can see a restricted case, not even the supervisor."),
    )

    def __init__(self, *args, services, children, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["children"].queryset = children
        self.fields["lead_worker"].queryset = workers


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in ChronologyEntry.MANUAL_KINDS],
    )
    happened_at = forms.DateTimeField(
        label=_("When it happened"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    corrects = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        initial = dict(kwargs.pop("initial", None) or {})
        initial.setdefault("happened_at", timezone.localtime().replace(second=0, microsecond=0))
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=Case.ClosureReason.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Case.Outcome.choices)
    note = forms.CharField(
        label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReopenForm(forms.Form):
    why = forms.CharField(
        label=_("Why the case is reopened"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AllocateForm(forms.Form):
    lead_worker = forms.ModelChoiceField(label=_("New lead worker"), queryset=None)
    handover = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the new lead worker needs to know: where the work stands, what is due."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_worker"].queryset = workers


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Professional"), queryset=None)
    role = forms.ChoiceField(
        label=_("Role in the case"),
        choices=[(r.value, r.label) for r in CaseMember.Role if r != CaseMember.Role.LEAD],
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = workers


class LinkConcernForm(forms.Form):
    concern = forms.ModelChoiceField(label=_("Concern"), queryset=None)

    def __init__(self, *args, concerns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concern"].queryset = concerns
