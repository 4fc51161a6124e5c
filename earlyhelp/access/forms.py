from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class BreakGlassForm(forms.Form):
    record = forms.CharField(
        label=_("Child's record number or national identifier"),
        max_length=20,
    )
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
