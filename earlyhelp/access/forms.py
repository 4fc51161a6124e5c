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
