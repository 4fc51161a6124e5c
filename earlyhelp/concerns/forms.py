import uuid

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.concerns.models import CATEGORY_GUIDANCE, Category, Concern, ConcernChild
from earlyhelp.concerns.services import MAX_CHILDREN, categories_clean
from earlyhelp.core.forms import moment_field


class CategoryWidget(forms.CheckboxSelectMultiple):
    option_template_name = "concerns/_category_option.html"

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["guidance"] = CATEGORY_GUIDANCE.get(value, "")
        return option


class ConcernForm(forms.ModelForm):
    draft = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    follows_up = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Names the one concern this form makes: letters and digits, as the form makes it, so that
    # what is stored and what is looked up follow one rule (`services.concern_of_form`).
    form_token = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        max_length=32,
        initial=lambda: uuid.uuid4().hex,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z]*$", _("This form is damaged: open the report form again.")
            )
        ],
    )
    institution = forms.ModelChoiceField(
        queryset=None, label=_("Where do you work with the child?")
    )
    categories = forms.MultipleChoiceField(
        label=_("What is the concern about?"),
        choices=Category.choices,
        widget=CategoryWidget,
        required=False,
        help_text=_("Choose all that fit. Describe; you do not have to be sure."),
    )

    class Meta:
        model = Concern
        fields = [
            "immediate_danger",
            "what_happened",
            "child_words",
            "categories",
            "already_done",
            "parents_know",
            "parents_not_told_why",
            "feedback_requested",
        ]
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 5}),
            "child_words": forms.Textarea(attrs={"rows": 3}),
            "already_done": forms.Textarea(attrs={"rows": 2}),
            "parents_not_told_why": forms.Textarea(attrs={"rows": 2}),
            "parents_know": forms.RadioSelect,
        }

    def __init__(self, *args, institutions, offered, preselect=None, **kwargs):
        """`institutions`: those the reporter may report for; `offered`: those of them whose
        concerns someone receives, the only ones shown. Another one named in a request passes
        the field, so that the service refuses it in words that say whom to contact."""
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        field.queryset = institutions
        offered = list(offered)
        field.widget.choices = [("", field.empty_label)] if len(offered) != 1 else []
        field.widget.choices += [(i.pk, field.label_from_instance(i)) for i in offered]
        if not self.is_bound and preselect in {i.pk for i in offered}:
            field.initial = preselect
        self.fields["parents_know"].required = False
        self.fields["parents_know"].choices = Concern.ParentsKnow.choices
        if self.instance.pk and not self.is_bound:
            self.fields["draft"].initial = self.instance.pk
            self.fields["version"].initial = self.instance.version
            if self.instance.institution_id in {i.pk for i in offered}:
                field.initial = self.instance.institution_id

    def clean_categories(self):
        return categories_clean(self.cleaned_data["categories"])


class ChildSelect(forms.Select):
    """The child list, each child marked with their class (`data-group`), so that picking a
    child fills in the class and picking a class narrows the list (concern-form.js)."""

    def __init__(self, *args, of_child=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.of_child = of_child or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        group = self.of_child.get(getattr(value, "value", value))
        if group is not None:
            option["attrs"]["data-group"] = group
        return option


class ConcernChildForm(forms.Form):
    group = forms.TypedChoiceField(
        label=_("Class or group"), required=False, coerce=int, empty_value=None
    )
    child = forms.ModelChoiceField(queryset=None, required=False, label=_("Child"))
    described_as = forms.CharField(
        label=_("Or, if the child is not in the list: name and class"),
        max_length=200,
        required=False,
    )
    role = forms.ChoiceField(
        label=_("Role in the concern"),
        choices=ConcernChild.Role.choices,
        initial=ConcernChild.Role.HARMED,
    )

    def __init__(self, *args, children, classes=None, **kwargs):
        """`classes` (selectors.ReportClasses): the classes to pick from; without them the
        row has no class field."""
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
        if classes is None or not classes.groups:
            del self.fields["group"]
            return
        self.classes = classes
        self.fields["child"].widget = ChildSelect(of_child=classes.of_child)
        self.fields["child"].widget.choices = self.fields["child"].choices
        self.fields["group"].choices = [("", "---------"), *classes.groups]
        child = self.initial.get("child")
        if child is not None and not self.initial.get("group"):
            self.initial["group"] = classes.of_child.get(getattr(child, "pk", child))

    def clean(self):
        data = super().clean()
        if data.get("child") and data.get("described_as"):
            raise forms.ValidationError(
                _("Choose the child from the list or describe them, not both.")
            )
        described, group = data.get("described_as"), data.get("group")
        if described and group is not None:
            # A child not in the list is described by name and class: the class picked here
            # completes the description, so that nobody types it.
            label = dict(self.classes.groups).get(group, "")
            if label and label not in described:
                data["described_as"] = f"{described}, {label}"[:200]
        return data

    @property
    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("child") or self.cleaned_data.get("described_as"))


ConcernChildFormSet = forms.formset_factory(
    ConcernChildForm, extra=0, min_num=3, max_num=MAX_CHILDREN, validate_max=True
)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Concern.Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    child_at_risk = forms.TypedChoiceField(
        label=_("Was the child found to be at risk?"),
        choices=[("", _("Not assessed")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        help_text=_("Where the reporter may be told this, it is all they are told."),
    )
    share_measure_type = forms.BooleanField(
        label=_("Tell the reporter the type of measure"),
        required=False,
        help_text=_("Only where it matters for the reporter's own support of the child."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Reporter and triager both read every message here: no case details."),
    )


def _name_and_username(user) -> str:
    """ "Anna Kovács (hu.educator)": a name alone may be shared by two colleagues."""
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class RecordedConcernForm(forms.ModelForm):
    """A report that reached a triager outside earlyhelp: a call, a letter, a visit."""

    institution = forms.ModelChoiceField(queryset=None, label=_("Which institution is it about?"))
    channel = forms.ChoiceField(
        label=_("How did the report reach you?"),
        choices=Concern.Channel.choices,
        widget=forms.RadioSelect,
        initial=Concern.Channel.ORAL,
    )
    reporter_kind = forms.ChoiceField(
        label=_("Who reported it?"),
        choices=[
            (Concern.ReporterKind.PROFESSIONAL, _("A professional of the institution")),
            (Concern.ReporterKind.CITIZEN, _("A private person")),
        ],
        widget=forms.RadioSelect,
        initial=Concern.ReporterKind.PROFESSIONAL,
    )
    reporter = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("The professional"),
        help_text=_("They will find the report under their concerns."),
    )
    reporter_name = forms.CharField(
        label=_("The private person's name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty only if they stay anonymous, where the law allows it."),
    )
    reporter_contact = forms.CharField(label=_("How to reach them"), max_length=200, required=False)
    received_at = moment_field(
        label=_("Received"),
        help_text=_("When the report reached you: the deadlines count from then."),
    )
    categories = forms.MultipleChoiceField(
        label=_("What is the concern about?"),
        choices=Category.choices,
        widget=CategoryWidget,
        required=False,
    )

    class Meta:
        model = Concern
        fields = [
            "immediate_danger",
            "what_happened",
            "child_words",
            "categories",
            "already_done",
            "parents_know",
            "parents_not_told_why",
            "feedback_requested",
        ]
        labels = {
            "what_happened": _("What the reporter saw or heard"),
            "feedback_requested": _("The reporter asks to be told what came of it"),
        }
        widgets = ConcernForm.Meta.widgets

    def __init__(self, *args, institutions, reporters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        if len(institutions) == 1 and not self.is_bound:
            self.fields["institution"].initial = institutions[0].pk
            self.fields["institution"].empty_label = None
        self.fields["reporter"].queryset = reporters
        self.fields["reporter"].label_from_instance = _name_and_username
        self.fields["parents_know"].required = False
        self.fields["parents_know"].choices = Concern.ParentsKnow.choices
        if not self.is_bound:
            self.fields["received_at"].initial = timezone.localtime().replace(
                second=0, microsecond=0
            )
