from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.forms import date_field


class AbsenceForm(forms.Form):
    child = forms.ModelChoiceField(queryset=None, label=_("Child"))
    date = date_field(label=_("Date"))
    amount = forms.IntegerField(label=_("How much"), min_value=1, max_value=12, initial=1)
    excused = forms.BooleanField(label=_("Excused"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, children, unit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
        self.fields["child"].label_from_instance = lambda child: child.full_name
        self.fields["amount"].help_text = unit_label
        if not self.is_bound:
            self.fields["date"].initial = timezone.localdate()
