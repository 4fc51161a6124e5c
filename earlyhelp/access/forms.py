from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.text import plain_number

# The separators people type in identifiers (123 456 789, 010203-1234, 120512/1234).
RECORD_SEPARATORS = str.maketrans("", "", " -/")


class RecordNumberField(forms.CharField):
    """A child's record number or national identifier, as typed: digits, perhaps grouped by
    spaces, dashes or slashes. Cleans to the digits alone; a value without digits, or with
    anything else in it, is refused here, before any record is looked up."""

    default_error_messages = {
        "invalid": _(
            "Type the record number or the national identifier in digits, for example 1234 or "
            "010203-1234."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        digits = value.translate(RECORD_SEPARATORS)
        if not (digits.isascii() and digits.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return digits


class RecordIdField(RecordNumberField):
    """A record's number as typed (the digits, perhaps grouped), cleaned to the number; one too
    long to be a record's is refused like any other wrong value."""

    def clean(self, value) -> int | str:
        digits = super().clean(value)  # the digits, checked as a record number's
        if digits in self.empty_values:
            return digits
        number = plain_number(digits)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class BreakGlassForm(forms.Form):
    record = RecordNumberField(label=_("Child's record number or national identifier"))
    reason = forms.CharField(
        label=_("Why do you need this record now?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=20,
        help_text=_("Your reason is shown to the supervisors and kept in the audit log."),
    )
    minutes = forms.IntegerField(
        label=_("For how many minutes?"),
        min_value=1,
        max_value=settings.EARLYHELP_BREAK_GLASS_MAX_MINUTES,
        initial=30,
    )


class LinkChoiceField(forms.ModelChoiceField):
    """A link from one record to another (an activity to a concern or a case): the form offers
    the records the policy lets the user link, and a record already linked stays linked even
    when the user could not choose it today; it is named only to those who may see it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, queryset=None, **kwargs)
        self.named: set[int] = set()

    def offer(self, user, offered, current_pk: int | None) -> None:
        from django.db.models import Q

        from earlyhelp.access.policy import Action, visible

        model = offered.model
        rows = model._default_manager.filter(Q(pk__in=offered.values("pk")) | Q(pk=current_pk))
        self.queryset = rows.order_by(*offered.query.order_by)
        self.named = set(visible(user, rows, Action.VIEW).values_list("pk", flat=True))

    def label_from_instance(self, obj):
        if obj.pk in self.named:
            return super().label_from_instance(obj)
        return _("A record you may not open (no. %(pk)s)") % {"pk": obj.pk}
