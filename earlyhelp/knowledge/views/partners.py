"""The partner organisations' pages: the list, a partner's page with the work done with it,
and the forms that add and change one. Every object comes through the policy."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.access.shortcuts import audit_context, get_object_or_deny
from earlyhelp.activities.models import Activity
from earlyhelp.cases.models import Case, CaseConference, Referral
from earlyhelp.core.forms import saved
from earlyhelp.knowledge.access.partners import offer_institutions, partner_municipalities
from earlyhelp.knowledge.models import Partner
from earlyhelp.knowledge.outcomes import count_shown
from earlyhelp.knowledge.partners import FIELDS, partner_create, partner_update


class PartnerForm(forms.ModelForm):
    website = forms.URLField(
        label=gettext_lazy("Website"), max_length=200, required=False, assume_scheme="https"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Partner
        fields = ["municipality", *FIELDS]
        widgets = {"what_they_do": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is None:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = municipalities
            self.fields["municipality"].empty_label = None
            del self.fields["version"]

    def validate_unique(self):
        """The service checks the name against the municipality's other partners."""


KIND_CHOICES = [("", gettext_lazy("All kinds")), *Partner.Kind.choices]


@login_required
def partner_list(request):
    if not can(request.user, Action.LIST, Partner):
        raise PermissionDenied
    partners = visible(request.user, Partner.objects.select_related("municipality"))
    kind = request.GET.get("kind", "")
    if kind in Partner.Kind.values:
        partners = partners.filter(kind=kind)
    partners = list(partners.order_by("municipality__name", "-active", "name")[:500])
    return render(
        request,
        "knowledge/partners_list.html",
        {
            "partners": partners,
            "kinds": KIND_CHOICES,
            "kind": kind,
            "several": len({p.municipality_id for p in partners}) > 1,
            "can_create": can(request.user, Action.CREATE, Partner),
            "institutions": offer_institutions(request.user)
            .select_related("municipality")
            .order_by("municipality__name", "name")[:200],
        },
    )


@login_required
def partner_detail(request, pk: int):
    partner = get_object_or_deny(request, Partner.objects.select_related("municipality"), pk=pk)
    referrals = Referral.objects.filter(partner=partner)
    by_status = {
        row["status"]: row["n"]
        for row in referrals.order_by().values("status").annotate(n=Count("pk"))
    }
    round_tables = (
        visible(request.user, Activity.objects.filter(partners=partner))
        .select_related("type", "institution")
        .order_by("-starts_on")[:50]
    )
    conferences = (
        CaseConference.objects.filter(
            partners=partner, case__in=visible(request.user, Case.objects.all())
        )
        .select_related("case")
        .order_by("-held_at")[:50]
    )
    return render(
        request,
        "knowledge/partners_detail.html",
        {
            "partner": partner,
            "referrals_total": count_shown(sum(by_status.values())),
            "referrals_by_status": [
                (label, count_shown(by_status.get(value, 0)))
                for value, label in Referral.Status.choices
                if by_status.get(value)
            ],
            "round_tables": round_tables,
            "conferences": conferences,
            "may_change": can(request.user, Action.CHANGE, partner),
        },
    )


@login_required
def partner_create_view(request):
    if not can(request.user, Action.CREATE, Partner):
        raise PermissionDenied
    municipalities = partner_municipalities(request.user)
    first = municipalities.first()
    form = PartnerForm(
        request.POST or None,
        municipalities=municipalities,
        initial={"municipality": first.pk if first else None, "active": True},
    )
    made = {}

    def save(data):
        made["partner"] = partner_create(
            user=request.user, municipality=data["municipality"], data=data,
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The partner organisation was added."))
        return redirect(made["partner"])
    return render(
        request,
        "knowledge/partners_form.html",
        {"form": form, "partner": None, "several": municipalities.count() > 1},
    )


@login_required
def partner_edit(request, pk: int):
    partner = get_object_or_deny(request, Partner.objects.all(), Action.CHANGE, pk=pk)
    form = PartnerForm(
        request.POST or None,
        instance=Partner.objects.get(pk=partner.pk),
        initial={"version": partner.version},
    )

    def save(data):
        partner_update(
            user=request.user, partner=partner, data=data, version=data.get("version") or 0,
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(partner)
    return render(
        request,
        "knowledge/partners_form.html",
        {"form": form, "partner": partner, "several": False},
    )
