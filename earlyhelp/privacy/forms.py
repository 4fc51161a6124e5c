"""The data-protection officer's forms: deciding a retention batch, placing and lifting a
legal hold."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.forms import RecordIdField
from earlyhelp.core.forms import past_date_field
from earlyhelp.privacy.models import SubjectRequest

HOLD_KINDS = [
    ("child", _("Child (and every record about them)")),
    ("case", _("Case")),
    ("concern", _("Concern")),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Erase these records")), ("reject", _("Do not erase them now"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you reject the batch: the records are proposed again in 30 days."),
    )
    items = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=10_000_000)


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=HOLD_KINDS)
    number = RecordIdField(
        label=_("Record number"), help_text=_("The number the record's page shows.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the court, authority or claim that needs the records kept."),
    )


class LiftForm(forms.Form):
    lift_reason = forms.CharField(
        label=_("Why the hold ends"),
        max_length=2000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


PERSON_KINDS = [("child", _("Child")), ("adult", _("Adult"))]


class RequestForm(forms.Form):
    right = forms.ChoiceField(label=_("Right"), choices=SubjectRequest.Right.choices)
    person_kind = forms.ChoiceField(label=_("Whose data"), choices=PERSON_KINDS)
    number = RecordIdField(
        label=_("Record number"), help_text=_("The number the person's page shows.")
    )
    received_on = past_date_field(label=_("Received on"))
    requester = forms.CharField(
        label=_("Who asked, and how"),
        max_length=300,
        strip=True,
        help_text=_("For example: the mother, by letter; the young person, in person."),
    )
    details = forms.CharField(
        label=_("What is asked"),
        max_length=5000,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why more time is needed"),
        max_length=2000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "The person must be told of the extension and its reason within the first month."
        ),
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[("answer", _("Answered")), ("refuse", _("Refused"))],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=5000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, what was corrected, or why the request was refused."),
    )
