"""The forms of the assisted-contact pages; their choices come from the access policy through
the views."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.forms import LinkChoiceField
from earlyhelp.contacts.models import Arrangement, Meeting, Party, Report, Restriction
from earlyhelp.core.forms import RowsField, date_field, moment_field, time_exists_on
from earlyhelp.core.list_filters import ListFilterForm
from earlyhelp.programmes.forms import ProgrammesField


def _time(**kwargs):
    return forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), **kwargs)


class ArrangementListForm(ListFilterForm):
    """The arrangement list's filters: whose arrangements (those the user works on, or all they
    may see), the status (active unless asked otherwise), the service, and the shared ones
    (`core.list_filters`): the child's name, a period with a meeting, and the order."""

    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("mine", _("Arrangements I work on")), ("all", _("All I may see"))],
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=None, required=False, empty_label=_("All")
    )
    ANY = "any"

    def __init__(self, data=None, *, services=None, **kwargs):
        super().__init__(data, statuses=Arrangement.Status.choices, **kwargs)
        # Active unless asked otherwise: "All" is a value of its own, not the empty one.
        self.fields["status"].choices = [*Arrangement.Status.choices, (self.ANY, _("All"))]
        if services is None or len(services) < 2:
            del self.fields["service"]
        else:
            self.fields["service"].queryset = services
        self.order_fields(["show", "status", "service"])

    @property
    def filters(self) -> dict:
        values = super().filters
        status = values.get("status") or Arrangement.Status.ACTIVE
        if status == self.ANY:
            values.pop("status", None)
        else:
            values["status"] = status
        return values

    @property
    def mine(self) -> bool:
        return self.filters.get("show", "mine") == "mine"

    @property
    def active(self) -> bool:
        narrowing = ("child", "since", "until", "service")
        return any(name in self.fields and self.data.get(name) for name in narrowing) or (
            self.data.get("status") not in (None, "", Arrangement.Status.ACTIVE)
        )


class ArrangementForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, empty_label=None)
    child = forms.ModelChoiceField(label=_("Child"), queryset=None)
    visitor = LinkChoiceField(label=_("Parent or relative meeting the child"))
    carer = LinkChoiceField(
        label=_("Parent or carer the child lives with"),
        required=False,
        help_text=_("Hands the child over and takes them back."),
    )
    basis = forms.ChoiceField(label=_("Basis"), choices=Arrangement.Basis.choices)
    basis_reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("The court's file number or the date and parties of the agreement."),
    )
    may_attend = forms.CharField(
        label=_("Who may attend"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Besides the child, the visitor and the worker."),
    )
    restrictions = forms.MultipleChoiceField(
        label=_("Restrictions"),
        choices=Restriction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    restrictions_note = forms.CharField(
        label=_("Other restrictions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Choices: the competences of the service's method (`knowledge.items`), from the view.
    competences = forms.MultipleChoiceField(
        label=_("Competences worked on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Arrangement.Frequency.choices, initial="fortnightly"
    )
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=480, initial=90
    )
    room = forms.ModelChoiceField(label=_("Room"), queryset=None, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    school_hours_allowed = forms.BooleanField(
        label=_("Meetings in school hours allowed"),
        required=False,
        help_text=_("Only where the court, the authority or the parties have agreed to it."),
    )
    workers = RowsField(
        label=_("Other workers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    case = LinkChoiceField(label=_("Case it belongs to"), required=False)
    starts_on = date_field(label=_("First day"), initial=timezone.localdate)
    ends_on = date_field(label=_("Last day"), required=False)

    programmes = ProgrammesField()

    def __init__(
        self, *args, services, children, adults, rooms, workers, cases, linked, user,
        competences, **kwargs,
    ):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["competences"].choices = competences
        self.fields["child"].queryset = children
        self.fields["visitor"].offer(user, adults, linked["visitor"])
        self.fields["carer"].offer(user, adults, linked["carer"])
        self.fields["room"].queryset = rooms
        self.fields["workers"].queryset = workers
        self.fields["case"].offer(user, cases, linked["case"])
        self.fields["programmes"].offer(user, services.values("municipality_id"))

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day is before the first day."))
        if data.get("visitor") and data.get("visitor") == data.get("carer"):
            self.add_error("carer", _("The visitor and the carer are two different people."))
        return data


class ArrangementEditForm(ArrangementForm):
    status = forms.ChoiceField(label=_("Status"), choices=Arrangement.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The child and the service are the arrangement's for good.
        del self.fields["service"]
        del self.fields["child"]


class StageForm(forms.Form):
    """Choices: the stages of the arrangement's method version, from the view."""

    stage = forms.ChoiceField(label=_("New stage"))
    on = date_field(label=_("From"), initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the contact goes back a stage."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stages


class SeriesForm(forms.Form):
    first_day = date_field(label=_("First meeting"))
    start = _time(label=_("Starts at"))
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=15, max_value=480)
    count = forms.IntegerField(label=_("Number of meetings"), min_value=1, max_value=52, initial=1)
    step_days = forms.IntegerField(
        label=_("Days between meetings"),
        min_value=1,
        max_value=90,
        initial=14,
        help_text=_("7 for weekly, 14 for every second week."),
    )
    room = forms.ModelChoiceField(label=_("Room"), queryset=None, required=False)
    lead = forms.ModelChoiceField(label=_("Worker"), queryset=None, empty_label=None)

    def __init__(self, *args, rooms, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        self.fields["lead"].queryset = workers

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("count") and data.get("step_days"):
            days = [
                data["first_day"] + timedelta(days=n * data["step_days"])
                for n in range(data["count"])
            ]
            time_exists_on(self, days, "start")
        return data


class ShiftForm(forms.Form):
    from_day = date_field(label=_("Move the planned meetings from"), initial=timezone.localdate)
    days = forms.IntegerField(label=_("By days"), min_value=-60, max_value=60, initial=0)
    minutes = forms.IntegerField(
        label=_("And by minutes"), min_value=-600, max_value=600, initial=0, step_size=5
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeetingRecordForm(forms.Form):
    visitor_arrived_at = _time(label=_("Visitor arrived"), required=False)
    child_arrived_at = _time(label=_("Child arrived"), required=False)
    handover_at = _time(label=_("Child handed over"), required=False)
    ended_at = _time(label=_("Ended"), required=False)
    present = forms.CharField(
        label=_("Who was present"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    child_words = forms.CharField(
        label=_("The child's reactions, in the child's own words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    incidents = forms.CharField(
        label=_("Incidents"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    ended_early = forms.BooleanField(label=_("Ended early"), required=False)
    early_end_reason = forms.CharField(
        label=_("Why it ended early"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes_late = forms.IntegerField(
        label=_("Minutes late"), min_value=0, max_value=600, required=False
    )
    caused_by = forms.ChoiceField(
        label=_("Who came late"), choices=[("", "—"), *Party.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, competences, **kwargs):
        super().__init__(*args, **kwargs)
        self.competences = competences
        for code, label in competences:
            self.fields[f"observe_{code}"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    @classmethod
    def values_of(cls, meeting: Meeting) -> dict:
        """The meeting's record as this form's fields hold it: the form's starting values, and
        what a change made elsewhere (the API) starts from."""
        values = {name: getattr(meeting, name) for name in cls.base_fields if name != "version"}
        values.update({f"observe_{k}": v for k, v in meeting.observations.items()})
        return values

    @classmethod
    def for_meeting(cls, meeting: Meeting, data=None) -> MeetingRecordForm:
        """The form of the meeting's record, observing the competences its arrangement works
        on; `meeting.arrangement` is the arrangement fetched through the policy."""
        arrangement = meeting.arrangement
        return cls(
            data, initial={**cls.values_of(meeting), "version": meeting.version},
            competences=arrangement.competence_labels() or arrangement.competence_items.choices,
        )  # fmt: skip

    def observation_fields(self):
        return [self[f"observe_{code}"] for code, _label in self.competences]

    def clean(self):
        data = super().clean()
        data["observations"] = {
            code: data.pop(f"observe_{code}", "") for code, _label in self.competences
        }
        return data


class MeetingCancelForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (Meeting.Status.CANCELLED, _("Cancelled ahead")),
            (Meeting.Status.NO_SHOW, _("Someone did not come")),
        ],
        widget=forms.RadioSelect,
    )
    caused_by = forms.ChoiceField(label=_("Caused by"), choices=Party.choices)
    notice_given_at = moment_field(
        label=_("Notice given"),
        required=False,
        help_text=_("When the cancellation was announced; now if left empty."),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReportForm(forms.Form):
    recipient = forms.ChoiceField(label=_("For"), choices=Report.Recipient.choices)
    period_from = date_field(label=_("From"))
    period_to = date_field(label=_("To"), initial=timezone.localdate)
    summary = forms.CharField(label=_("Worker's summary"), widget=forms.Textarea(attrs={"rows": 8}))

    def clean(self):
        data = super().clean()
        if (
            data.get("period_from")
            and data.get("period_to")
            and data["period_to"] < data["period_from"]
        ):
            self.add_error("period_to", _("The period ends before it starts."))
        return data


class ReportEditForm(ReportForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("release", _("Release the report")), ("return", _("Return it for changes"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the writer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
