"""The workforce's forms. Their choices (accounts, services, institutions, staff members) are
given by the views, read through the policy; the services save what they return."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from earlyhelp.core.forms import RowsField, date_field, past_date_field, period_in_order
from earlyhelp.programmes.forms import ProgrammesField
from earlyhelp.workforce.models import (
    MAX_DISCUSSION_MINUTES,
    MAX_HOURS_PER_WEEK,
    MAX_SESSION_MINUTES,
    MAX_SESSIONS_PER_YEAR,
    MAX_TRAINING_HOURS,
    SupervisionSession,
)


def _hours_field(label, maximum, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=0, max_value=maximum, max_digits=6, decimal_places=1, **kwargs
    )


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


def _institutions(queryset) -> RowsField:
    return RowsField(
        label=_("Institutions served"),
        queryset=queryset,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ProfileCreateForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None)

    def __init__(self, *args, candidates, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = candidates
        self.fields["institutions"] = _institutions(institutions)


class ProfileForm(forms.Form):
    version = _version()

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institutions"] = _institutions(institutions)


class QualificationForm(forms.Form):
    title = forms.CharField(label=_("Qualification"), max_length=200)
    awarded_by = forms.CharField(label=_("Awarded by"), max_length=200, required=False)
    awarded_on = past_date_field(label=_("Awarded on"), required=False)
    version = _version()

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)


class EmploymentForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=None)
    hours_per_week = _hours_field(_("Hours per week"), MAX_HOURS_PER_WEEK)
    starts_on = date_field(label=_("From"))
    ends_on = date_field(label=_("To"), required=False, help_text=_("Leave empty if it runs on."))
    version = _version()

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = choices

    def clean(self):
        cleaned = super().clean()
        period_in_order(self, "starts_on", "ends_on")
        return cleaned


class EventForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    provider = forms.CharField(label=_("Provider"), max_length=200, required=False)
    starts_on = date_field(label=_("Starts on"))
    ends_on = date_field(label=_("Ends on"))
    hours = _hours_field(_("Hours"), MAX_TRAINING_HOURS)
    programmes = ProgrammesField()
    version = _version()

    def __init__(self, *args, municipalities=None, user=None, offered_in=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is None:
            # A saved event stays in its municipality.
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = municipalities
            del self.fields["version"]
        # The programmes the user may count the training for, in its municipality (or theirs).
        if user is None:
            del self.fields["programmes"]
        else:
            self.fields["programmes"].offer(user, offered_in)

    def clean(self):
        cleaned = super().clean()
        period_in_order(self, "starts_on", "ends_on")
        return cleaned


class AttendanceForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None)
    hours = _hours_field(
        _("Hours credited"),
        MAX_TRAINING_HOURS,
        required=False,
        help_text=_("Leave empty to credit all of the event's hours."),
    )
    certificate = forms.FileField(
        label=_("Certificate"),
        required=False,
        help_text=_("A PDF or a photo (JPEG or PNG), at most the size allowed."),
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class NormForm(forms.Form):
    hours_per_year = _hours_field(_("Hours per person per year"), MAX_TRAINING_HOURS)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where the figure comes from: a regulation, an agreement, a decision."),
    )
    version = _version()


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisionSession.Kind.choices)
    held_on = past_date_field(label=_("Date"))
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=1, max_value=MAX_SESSION_MINUTES
    )
    supervisor_name = forms.CharField(
        label=pgettext_lazy("who leads a supervision session", "Supervisor"), max_length=200
    )
    supervisor_organisation = forms.CharField(
        label=_("Supervisor's organisation"),
        max_length=200,
        required=False,
        help_text=_("Supervisors often come from outside: say from where."),
    )
    supervisor_user = forms.ModelChoiceField(
        label=_("Supervisor's account"),
        queryset=None,
        required=False,
        help_text=_("Only if the supervisor works in earlyhelp."),
    )
    version = _version()

    def __init__(self, *args, participants, supervisors, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"] = RowsField(
            label=_("Participants"),
            queryset=participants,
            required=required,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["supervisor_user"].queryset = supervisors


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Notes"), widget=forms.Textarea, required=False, max_length=20000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SupervisionNormForm(forms.Form):
    social_helper = forms.IntegerField(
        label=_("Social helper: sessions a year"), min_value=0, max_value=MAX_SESSIONS_PER_YEAR
    )
    case_worker = forms.IntegerField(
        label=_("Case worker: sessions a year"), min_value=0, max_value=MAX_SESSIONS_PER_YEAR
    )
    supervisor = forms.IntegerField(
        label=_("Supervisor: sessions a year"), min_value=0, max_value=MAX_SESSIONS_PER_YEAR
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where the figures come from: a regulation, an agreement, a decision."),
    )
    version = _version()


# --- Team case discussions -------------------------------------------------------------------


class DiscussionForm(forms.Form):
    held_on = past_date_field(label=_("Date"))
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=1, max_value=MAX_DISCUSSION_MINUTES
    )
    facilitator = forms.CharField(label=_("Facilitator"), max_length=200)
    version = _version()

    def __init__(self, *args, participants=None, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if participants is None:
            # A saved discussion keeps its participants and what it discussed.
            return
        del self.fields["version"]
        self.fields["participants"] = RowsField(
            label=_("Participants"), queryset=participants, widget=forms.CheckboxSelectMultiple
        )
        self.fields["cases"] = RowsField(
            label=_("Cases discussed"),
            queryset=cases,
            required=False,
            help_text=_("Only cases you may open are offered."),
        )
        self.fields["situations"] = forms.CharField(
            label=_("Situations discussed, without names"),
            widget=forms.Textarea(attrs={"rows": 4}),
            required=False,
            max_length=8000,
            help_text=_(
                "One situation per paragraph (leave an empty line between them). No names and "
                "nothing that identifies a child or a family."
            ),
        )

    def situation_list(self) -> list[str]:
        text = self.cleaned_data.get("situations") or ""
        return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


class LearningForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=None)
    text = forms.CharField(
        label=_("What they learnt or decided"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Without names of children or families."),
    )
    version = _version()

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants


# --- Implementation support ------------------------------------------------------------------


class SupportForm(forms.Form):
    method = forms.ModelChoiceField(label=_("Method introduced"), queryset=None)
    supporter_user = forms.ModelChoiceField(
        label=_("Supported by (an account)"), queryset=None, required=False
    )
    supporter_name = forms.CharField(
        label=_("Supported by (a name)"),
        max_length=200,
        required=False,
        help_text=_("For someone from outside: their name and organisation."),
    )
    starts_on = date_field(label=_("From"))
    ends_on = date_field(label=_("To"), required=False, help_text=_("Leave empty if it runs on."))
    programmes = ProgrammesField()
    version = _version()

    def __init__(self, *args, staff=None, methods, supporters, user, offered_in, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is None:
            del self.fields["version"]
        else:
            self.fields["staff"] = forms.ModelChoiceField(
                label=_("Worker supported"), queryset=staff
            )
            self.order_fields(["staff"])
        self.fields["method"].queryset = methods
        self.fields["supporter_user"].queryset = supporters
        self.fields["programmes"].offer(user, offered_in)

    def clean(self):
        cleaned = super().clean()
        period_in_order(self, "starts_on", "ends_on")
        if not cleaned.get("supporter_user") and not (cleaned.get("supporter_name") or "").strip():
            self.add_error(
                "supporter_name", _("Say who supports the worker: an account or a name.")
            )
        return cleaned


class SupportSessionForm(forms.Form):
    held_on = past_date_field(label=_("Date"))
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=MAX_SESSION_MINUTES)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


# --- Coverage and caseload norms --------------------------------------------------------------


class CoverageNormForm(forms.Form):
    children_per_helper = forms.IntegerField(
        label=_("Children per full-time social helper"), min_value=1, max_value=100000
    )
    full_time_hours = forms.DecimalField(
        label=_("Full-time hours per week"),
        min_value=1,
        max_value=MAX_HOURS_PER_WEEK,
        max_digits=6,
        decimal_places=1,
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where the figures come from: a regulation, an agreement, a decision."),
    )
    version = _version()


class CaseloadNormForm(forms.Form):
    open_cases = forms.IntegerField(label=_("Open cases at most"), min_value=0, max_value=1000)
    activities_per_week = forms.DecimalField(
        label=_("Activities a week at most"),
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=1,
    )
    open_arrangements = forms.IntegerField(
        label=_("Open contact arrangements at most"), min_value=0, max_value=1000
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where the figures come from: a regulation, an agreement, a decision."),
    )
    version = _version()
