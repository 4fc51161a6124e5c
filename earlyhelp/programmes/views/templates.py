"""A new programme from one of the shipped templates of the municipality's country
(`programmes.templates`): the template, the lead and the start date are chosen here; everything
else (partners, target groups, indicators) is set up afterwards on the programme's pages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from earlyhelp.access.policy import Action, can
from earlyhelp.access.shortcuts import audit_context
from earlyhelp.accounts.models import User
from earlyhelp.core.forms import date_field, saved
from earlyhelp.organisations.models import Membership, Municipality
from earlyhelp.programmes.access import programme_municipalities
from earlyhelp.programmes.models import Programme
from earlyhelp.programmes.templates import TEMPLATES, apply_template


class FromTemplateForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"), queryset=Municipality.objects.none()
    )
    template = forms.ChoiceField(label=gettext_lazy("Template"))
    lead = forms.ModelChoiceField(
        label=gettext_lazy("Programme lead"),
        queryset=User.objects.none(),
        required=False,
        help_text=gettext_lazy("Empty: the managers run it."),
    )
    starts_on = date_field(
        label=gettext_lazy("Starts on"),
        required=False,
        help_text=gettext_lazy(
            "Empty: the template's own start. The end and the target dates move with it."
        ),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        places = Municipality.objects.filter(pk__in=municipalities).select_related("jurisdiction")
        self.fields["municipality"].queryset = places.order_by("name")
        countries = {m.jurisdiction.code for m in places}
        self.fields["template"].choices = [
            (t.code, f"{t.label} · {t.name}") for t in TEMPLATES.values() if t.country in countries
        ]
        active = Membership.objects.active().filter(municipality__in=places)
        self.fields["lead"].queryset = (
            User.objects.filter(pk__in=active.values("user_id"))
            .order_by("last_name", "first_name", "username")
        )  # fmt: skip
        self.fields["lead"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        if len(places) == 1:
            self.fields["municipality"].initial = places[0].pk
            self.fields["municipality"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        place, code, lead = data.get("municipality"), data.get("template"), data.get("lead")
        if place and code and TEMPLATES[code].country != place.jurisdiction.code:
            self.add_error("template", _("Choose a template of the municipality's country."))
        if (
            place
            and lead
            and not Membership.objects.active().filter(user=lead, municipality=place).exists()
        ):
            self.add_error("lead", _("Choose someone who works in the municipality."))
        return data


@login_required
def from_template(request):
    if not can(request.user, Action.CREATE, Programme):
        raise PermissionDenied
    municipalities = programme_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied
    form = FromTemplateForm(request.POST or None, municipalities=municipalities)
    made = {}

    def save(data):
        made["programme"] = apply_template(
            data["template"], municipality=data["municipality"], user=request.user,
            starts_on=data["starts_on"], lead=data["lead"], **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(
            request,
            _("The programme was set up from the template. Check its partners, target groups "
              "and indicators."),
        )  # fmt: skip
        return redirect(made["programme"])
    templates = [
        t for t in TEMPLATES.values()
        if t.code in dict(form.fields["template"].choices)
    ]  # fmt: skip
    return render(request, "programmes/from_template.html", {"form": form, "templates": templates})
