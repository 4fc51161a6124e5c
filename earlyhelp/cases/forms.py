"""The forms of the case pages; choices come from the access policy through the views."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.cases.models import (
    Case,
    CaseConference,
    CaseMember,
    CaseParticipant,
    ChronologyEntry,
    LifeDomain,
    PlanAction,
    Referral,
)
from earlyhelp.core.forms import RowsField, date_field, moment_field, this_minute
from earlyhelp.programmes.forms import ProgrammesField


class _CaseOpening(forms.Form):
    """What opening any case asks; a subclass adds whom the case is about (`SUBJECT`, a
    `RowsField` whose choices come through the policy like the others)."""

    SUBJECT = ""

    title = forms.CharField(
        label=_("Name of the case"),
        max_length=200,
        help_text=_("How the team refers to it, e.g. the family's name."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Case.Kind.choices, initial=Case.Kind.FAMILY)
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, empty_label=None)
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
    programmes = ProgrammesField()

    def __init__(self, *args, services, subjects, workers, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Whom the case is about comes after the service, before the reason.
        self.order_fields(["title", "kind", "service", self.SUBJECT, "reason"])
        self.fields["service"].queryset = services
        self.fields[self.SUBJECT].queryset = subjects
        self.fields["lead_worker"].queryset = workers
        if user is None:
            del self.fields["programmes"]
        else:
            self.fields["programmes"].offer(user, services.values("municipality_id"))

    def case_arguments(self) -> dict:
        """What `cases.services.case_open` takes from the valid form: the case and whom it is
        about (the page and the API open a case alike)."""
        data = self.cleaned_data
        return {
            "service": data["service"],
            "title": data["title"],
            "kind": data["kind"],
            "reason": data["reason"],
            "restricted": data["restricted"],
            "lead_worker": data["lead_worker"],
            "programmes": data.get("programmes"),
            **self.whom(),
        }

    def whom(self) -> dict:
        raise NotImplementedError


class CaseOpenForm(_CaseOpening):
    SUBJECT = "children"

    children = RowsField(
        label=_("Children the case is about"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A sibling group or household can share one case; each child gets a plan."),
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, subjects=children, **kwargs)

    def whom(self) -> dict:
        return {"children": list(self.cleaned_data["children"])}


class AdultCaseOpenForm(_CaseOpening):
    """Opening a case about an adult, or about a household of adults living together."""

    SUBJECT = "adults"

    adults = RowsField(
        label=_("Adults the case is about"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "One adult, or several who live together as a household; each gets their own plan."
        ),
    )

    def __init__(self, *args, adults, **kwargs):
        super().__init__(*args, subjects=adults, **kwargs)

    @property
    def subject(self) -> str:
        adults = self.cleaned_data.get("adults") or []
        return Case.Subject.HOUSEHOLD if len(adults) > 1 else Case.Subject.ADULT

    def whom(self) -> dict:
        return {"subject": self.subject, "adults": list(self.cleaned_data["adults"])}


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in ChronologyEntry.MANUAL_KINDS],
    )
    happened_at = moment_field(
        initial=this_minute,
        label=_("When it happened"),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    corrects = forms.IntegerField(widget=forms.HiddenInput, required=False)


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


class CaseProgrammesForm(forms.Form):
    """The programmes an open case counts for: only those the user may link are offered."""

    programmes = ProgrammesField()
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programmes"].offer(user, [case.municipality_id])


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


SEVERITY_CHOICES = [("", _("not assessed"))] + [(str(n), str(n)) for n in range(1, 6)]


class ProblemMapForm(forms.Form):
    """One severity (and a note) per life domain; a domain left empty is not assessed now."""

    assessed_on = date_field(
        initial=timezone.localdate,
        label=_("Assessed on"),
    )

    def __init__(self, *args, domains=tuple(LifeDomain), **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        for domain in self.domains:
            self.fields[f"severity_{domain.value}"] = forms.ChoiceField(
                label=domain.label, choices=SEVERITY_CHOICES, required=False
            )
            self.fields[f"note_{domain.value}"] = forms.CharField(
                label=_("Note on %(domain)s") % {"domain": domain.label},
                max_length=500,
                required=False,
            )

    def domain_fields(self):
        return [(self[f"severity_{d.value}"], self[f"note_{d.value}"]) for d in self.domains]

    def severities(self) -> dict:
        data = self.cleaned_data
        return {
            d.value: (int(data[f"severity_{d.value}"]), data[f"note_{d.value}"])
            for d in self.domains
            if data.get(f"severity_{d.value}")
        }


class GoalForm(forms.Form):
    child = forms.ModelChoiceField(label=_("Child"), queryset=None, empty_label=None)
    text = forms.CharField(
        label=_("Goal"),
        max_length=500,
        help_text=_("In the family's own words, e.g. “Dani goes to school every day.”"),
    )
    domain = forms.ChoiceField(
        label=_("Life domain"), choices=[("", "—"), *LifeDomain.choices], required=False
    )

    adult = forms.ModelChoiceField(label=_("Adult"), queryset=None, empty_label=None)

    def __init__(self, *args, children=None, adults=None, domains=tuple(LifeDomain), **kwargs):
        """A child's goal, or (given `adults`) the goal of an adult a case is about."""
        super().__init__(*args, **kwargs)
        if adults is not None:
            del self.fields["child"]
            self.fields["adult"].queryset = adults
            self.fields["text"].help_text = _(
                "In the person's own words, e.g. “I pay the rent on time every month.”"
            )
        else:
            del self.fields["adult"]
            self.fields["child"].queryset = children
        self.fields["domain"].choices = [("", "—"), *((d.value, d.label) for d in domains)]


class PlanActionForm(forms.Form):
    text = forms.CharField(label=_("What is to be done"), max_length=500)
    owner_kind = forms.ChoiceField(label=_("Who does it"), choices=PlanAction.Owner.choices)
    owner = forms.ModelChoiceField(
        label=_("Professional"),
        queryset=None,
        required=False,
        help_text=_("When a professional does it: someone on the case's team."),
    )
    owner_name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("When a parent, the child or a network member does it."),
    )
    due_on = date_field(label=_("Due"))
    method = forms.ModelChoiceField(
        label=_("Method"),
        queryset=None,
        required=False,
        help_text=_("The intervention from the catalogue this step follows, if any."),
    )

    def __init__(self, *args, team, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team
        self.fields["method"].queryset = methods


class StatusForm(forms.Form):
    status = forms.CharField(max_length=10)
    version = forms.IntegerField()


class ReviewForm(forms.Form):
    reviewed_on = date_field(
        initial=timezone.localdate,
        label=_("Reviewed on"),
    )
    note = forms.CharField(
        label=_("What the review found"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ReferralForm(forms.Form):
    to = forms.ChoiceField(label=_("Referred to"), choices=Referral.To.choices)
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=None,
        required=False,
        help_text=_("One of the municipality's partner organisations."),
    )
    organisation = forms.CharField(
        label=_("Another organisation, not in the list"),
        max_length=200,
        required=False,
    )
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))
    referred_on = date_field(
        initial=timezone.localdate,
        label=_("Referred on"),
    )
    method = forms.ModelChoiceField(
        label=_("Method"),
        queryset=None,
        required=False,
        help_text=_("The intervention from the catalogue the family is referred to, if any."),
    )

    def __init__(self, *args, methods, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].queryset = methods
        self.fields["partner"].queryset = partners

    def clean(self):
        data = super().clean()
        if not data.get("partner") and not (data.get("organisation") or "").strip():
            self.add_error(
                "partner", _("Choose the partner organisation, or name another organisation.")
            )
        return data


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Referral.Status.choices)
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Needed when the referral was declined or has ended."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConferenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseConference.Kind.choices)
    held_at = moment_field(
        initial=this_minute,
        label=_("Held"),
    )
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}))
    attendees = RowsField(
        label=_("Professionals of the team who took part"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    external_attendees = forms.CharField(
        label=_("Others who took part"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line, with their role: the mother, the class teacher, the GP."),
    )
    partners = RowsField(
        label=_("Partner organisations taking part"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )

    def __init__(self, *args, team, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = team
        self.fields["partners"].queryset = partners


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=500)
    goal = forms.ModelChoiceField(
        label=_("Make it a step towards"),
        queryset=None,
        required=False,
        empty_label=_("— not a step of the plan —"),
    )
    owner_kind = forms.ChoiceField(
        label=_("Who does it"), choices=[("", "—"), *PlanAction.Owner.choices], required=False
    )
    owner = forms.ModelChoiceField(label=_("Professional"), queryset=None, required=False)
    owner_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    due_on = date_field(
        label=_("Due"),
        required=False,
    )

    def __init__(self, *args, goals, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        self.fields["owner"].queryset = team


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF or a photo (JPEG, PNG), at most %(mb)s MB.") % {
            "mb": settings.EARLYHELP_ATTACHMENT_MAX_BYTES // 1024**2
        }


class ParticipantForm(forms.Form):
    adult = forms.ModelChoiceField(label=_("Adult of the family"), queryset=None)
    role = forms.ChoiceField(label=_("Role in the case"), choices=CaseParticipant.Role.choices)

    def __init__(self, *args, adults, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adult"].queryset = adults
