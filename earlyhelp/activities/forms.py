"""The forms of the activity pages; their choices come from the access policy through the
views."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.forms import LinkChoiceField
from earlyhelp.activities.models import Activity, Attendance, Participant, Session, SparringRequest
from earlyhelp.core.forms import RowsField, date_field, moment_field, this_minute, time_exists_on
from earlyhelp.core.list_filters import ListFilterForm
from earlyhelp.knowledge.access.partners import partner_choices
from earlyhelp.programmes.forms import ProgrammesField


class ActivityListForm(ListFilterForm):
    """The activity list's filters: whose activities (those the user delivers, or all they may
    see), the type, and the shared ones (`core.list_filters`): the name of a child taking part,
    the institution, the status, a period with a meeting, and the order."""

    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("mine", _("Activities I deliver")), ("all", _("All I may see"))],
    )
    type = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, data=None, *, types=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["type"].choices = [("", _("Any")), *((t.code, str(t)) for t in types)]
        self.order_fields(["show", "type"])

    @property
    def mine(self) -> bool:
        return self.filters.get("show", "mine") == "mine"

    @property
    def active(self) -> bool:
        return super().active or bool(self.data.get("type"))


class ActivityForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None, empty_label=None)
    type = forms.ModelChoiceField(label=_("Type"), queryset=None)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("As people know it, e.g. 'Parent club, Tuesdays'. No child's name."),
    )
    description = forms.CharField(
        label=_("What it is about"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    recurrence = forms.ChoiceField(
        label=_("How often"), choices=Activity.Recurrence.choices, initial="once"
    )
    starts_on = date_field(label=_("First day"), initial=timezone.localdate)
    ends_on = date_field(
        label=_("Last day"),
        required=False,
        help_text=_("Needed for a weekly or fortnightly series."),
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=1440, initial=60
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    theme = forms.ChoiceField(
        label=_("Theme (workshops)"),
        choices=[("", "—"), *Activity.Theme.choices],
        required=False,
    )
    capacity = forms.IntegerField(
        label=_("Places (workshops)"), min_value=1, max_value=100000, required=False
    )
    workers = RowsField(
        label=_("Co-workers"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    concern = LinkChoiceField(label=_("Concern it follows"), required=False)
    case = LinkChoiceField(label=_("Case it belongs to"), required=False)
    programmes = ProgrammesField()
    method = LinkChoiceField(
        label=_("Method used"),
        required=False,
        help_text=_(
            "From the catalogue of interventions and methods. Left empty, a new activity "
            "follows the method of its type, if the type follows one."
        ),
    )
    partners = RowsField(
        label=_("Partner organisations taking part"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A round table or network meeting: the organisations that took part."),
    )

    def __init__(
        self, *args, institutions, types, workers, concerns, cases, methods, linked, user,
        **kwargs,
    ):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["type"].queryset = types
        self.fields["workers"].queryset = workers
        self.fields["concern"].offer(user, concerns, linked["concern"])
        self.fields["case"].offer(user, cases, linked["case"])
        self.fields["method"].offer(user, methods, linked["method"])
        self.fields["programmes"].offer(user, institutions.values("municipality_id"))
        self.fields["partners"].queryset = partner_choices(
            user, institutions.values("municipality_id")
        )

    def clean(self):
        data = super().clean()
        kind, institution = data.get("type"), data.get("institution")
        if kind and institution and kind.municipality_id != institution.municipality_id:
            self.add_error("type", _("Choose a type from the institution's municipality."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day is before the first day."))
        if data.get("recurrence") in ("weekly", "fortnightly") and not ends:
            self.add_error("ends_on", _("A series needs its last day."))
        return data


class ActivityEditForm(ActivityForm):
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The institution and the series are fixed once planned; meetings are added one by one.
        del self.fields["institution"]
        self.fields["recurrence"].disabled = True

    def clean(self):
        data = forms.Form.clean(self)
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day is before the first day."))
        return data


class SessionAddForm(forms.Form):
    day = date_field(label=_("Day"), initial=timezone.localdate)
    start = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=5, max_value=1440)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("day"):
            time_exists_on(self, [data["day"]], "start")
        return data


class SessionRecordForm(forms.Form):
    """What happened at a meeting, with one attendance choice per expected participant."""

    status = forms.ChoiceField(
        label=_("Status of the meeting"),
        choices=Session.Status.choices,
        widget=forms.RadioSelect,
    )
    minutes = forms.IntegerField(label=_("Time spent (minutes)"), min_value=1, max_value=1440)
    head_count = forms.IntegerField(
        label=_("People present whose names were not taken"), min_value=0, required=False
    )
    note = forms.CharField(
        label=_("Session note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, participants, marked, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = participants
        for participant in participants:
            self.fields[f"p{participant.pk}"] = forms.ChoiceField(
                label=str(participant),
                choices=Attendance.Status.choices,
                initial=marked.get(participant.pk, Attendance.Status.PRESENT),
                widget=forms.RadioSelect,
            )

    def attendance_rows(self):
        return [(p, self[f"p{p.pk}"]) for p in self.participants]

    def attendance(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[f"p{p.pk}"] for p in self.participants}


class ParticipantAddForm(forms.Form):
    child = forms.ModelChoiceField(label=_("Child"), queryset=None, required=False)
    adult = forms.ModelChoiceField(label=_("Adult"), queryset=None, required=False)
    name = forms.CharField(
        label=_("Or a name only"),
        max_length=150,
        required=False,
        help_text=_("For someone who is not on record, e.g. at a community event."),
    )
    target_group = forms.ChoiceField(
        label=_("Target group"),
        choices=[("", "—"), *Participant.TargetGroup.choices],
        required=False,
    )
    joined_on = date_field(label=_("Joined on"), initial=timezone.localdate)

    def __init__(self, *args, children, adults, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
        self.fields["adult"].queryset = adults

    def clean(self):
        data = super().clean()
        chosen = [data.get("child"), data.get("adult"), (data.get("name") or "").strip()]
        if sum(bool(x) for x in chosen) != 1:
            raise forms.ValidationError(_("Choose a child or an adult, or write a name."))
        return data


class ParticipantForm(forms.Form):
    target_group = forms.ChoiceField(
        label=_("Target group"),
        choices=[("", "—"), *Participant.TargetGroup.choices],
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Participant.Outcome.choices], required=False
    )
    outcome_note = forms.CharField(label=_("About the outcome"), max_length=500, required=False)
    left_on = date_field(label=_("Left on"), required=False)
    left_reason = forms.CharField(label=_("Why they left"), max_length=250, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was it? (1 not at all, 5 very)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("What would you like to say?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class SparringRequestForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None, empty_label=None)
    about = forms.ChoiceField(label=_("About"), choices=SparringRequest.About.choices)
    group = forms.ModelChoiceField(label=_("Class or group"), queryset=None, required=False)
    topic = forms.CharField(
        label=_("What you would like to talk about"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Describe the worry without the child's name; only the social helpers read it."
        ),
    )
    preferred_times = forms.CharField(label=_("When it suits you"), max_length=250, required=False)

    def __init__(self, *args, institutions, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["group"].queryset = groups

    def clean(self):
        data = super().clean()
        group, institution = data.get("group"), data.get("institution")
        if group and institution and group.institution_id != institution.pk:
            self.add_error("group", _("Choose a class of the same institution."))
        return data


class SparringScheduleForm(forms.Form):
    starts_at = moment_field(
        label=_("When"),
        initial=this_minute,
    )
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=480, initial=45
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    answer = forms.CharField(
        label=_("Message to the one who asked"), max_length=500, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SparringDeclineForm(forms.Form):
    answer = forms.CharField(label=_("Why, and where else they might find help"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)
