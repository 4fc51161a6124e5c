"""The pages of foster-carer support: the households a worker supports with each one's
compliance, a household with its carers, placed children, agreement, requirements and records
(and the forms to add them), and the service's compliance overview. Every object comes through
the policy; every page that names a person is audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible, visible_of
from earlyhelp.access.shortcuts import audit_context, audit_list, audit_read, get_object_or_deny
from earlyhelp.core.forms import acted, first_choices, saved
from earlyhelp.fostercare import selectors, services
from earlyhelp.fostercare.access import fostercare_services
from earlyhelp.fostercare.forms import (
    AgreementEditForm,
    AgreementForm,
    CarerForm,
    DevelopmentDoneForm,
    DevelopmentForm,
    HouseholdEditForm,
    HouseholdForm,
    PlacementEditForm,
    PlacementForm,
    RespiteForm,
    StepForm,
    TrainingForm,
    VisitForm,
)
from earlyhelp.fostercare.models import Carer, Household, Requirement
from earlyhelp.fostercare.rules import CARER_NAMES, CHILD_NAMES, STATUS_LABELS, compliance_of
from earlyhelp.organisations.models import Service
from earlyhelp.people.models import Adult
from earlyhelp.programmes.services import programmes_shown


def _household(request, pk: int, action: str = Action.VIEW) -> Household:
    return get_object_or_deny(request, selectors.household_queryset(), action, pk=pk)


@login_required
def household_list(request):
    if not can(request.user, Action.LIST, Household):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in STATUS_LABELS:
        status = ""
    rows = selectors.household_list(request.user, today=timezone.localdate(), status=status)
    if rows:
        audit_list(
            request,
            object_type="fostercare.household",
            purpose="foster households",
            changes={"households": [c.household.pk for c in rows]},
        )
    return render(
        request,
        "fostercare/list.html",
        {
            "rows": rows,
            "status": status,
            "statuses": list(STATUS_LABELS.items()),
            "can_create": can(request.user, Action.CREATE, Household),
            "can_overview": can(request.user, Action.VIEW_STATS, Household),
        },
    )


@login_required
def overview(request):
    if not can(request.user, Action.VIEW_STATS, Household):
        raise PermissionDenied
    context = selectors.service_overview(request.user, today=timezone.localdate())
    audit_list(request, object_type="", purpose="foster-care compliance overview")
    return render(request, "fostercare/overview.html", context)


@login_required
def household_new(request):
    if not can(request.user, Action.CREATE, Household):
        raise PermissionDenied
    services_qs = Service.objects.filter(pk__in=fostercare_services(request.user)).order_by("name")
    form = HouseholdForm(request.POST or None, services=services_qs)
    made = {}

    def save(data):
        made["household"] = services.household_create(
            user=request.user, service=data["service"], data=data, **audit_context(request)
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The foster household was recorded."))
        return redirect(made["household"])
    return render(
        request,
        "fostercare/form.html",
        {"form": form, "household": None, "title": _("Record a foster household")},
    )


def _form_page(request, household: Household, form, title: str, purpose: str):
    audit_read(
        request,
        household,
        purpose=purpose,
        subjects=selectors.people_named(request.user, household),
    )
    return render(
        request, "fostercare/form.html", {"form": form, "household": household, "title": title}
    )


@login_required
def household_edit(request, pk: int):
    household = _household(request, pk, Action.CHANGE)
    initial = {name: getattr(household, name) for name in services.HOUSEHOLD_FIELDS}
    form = HouseholdEditForm(
        request.POST or None, initial={**initial, "version": household.version}
    )

    def save(data):
        services.household_update(
            user=request.user, household=household, data=data, version=data["version"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(household)
    return _form_page(request, household, form, _("Change the household"), "foster household")


@login_required
def carer_new(request, pk: int):
    household = _household(request, pk, Action.CHANGE)
    # The adults the user may open: the relatives of the children they work with.
    adults = first_choices(
        visible(
            request.user,
            Adult.objects.filter(municipality_id=household.municipality_id).select_related(
                "municipality__jurisdiction"
            ),
            Action.CHANGE,
        ).order_by("family_name", "given_name"),
        600,
    )
    form = CarerForm(request.POST or None, adults=adults)

    def save(data):
        if data["adult"] is not None:
            services.carer_add(
                user=request.user, household=household, adult=data["adult"],
                since=data["since"], **audit_context(request),
            )  # fmt: skip
            return
        services.carer_create(
            user=request.user, household=household, given_name=data["given_name"],
            family_name=data["family_name"], phone=data["phone"], since=data["since"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The carer was recorded."))
        return redirect(f"{household.get_absolute_url()}#carers-heading")
    return _form_page(request, household, form, _("Add a foster carer"), "foster household")


@login_required
def placement_new(request, pk: int):
    household = _household(request, pk, Action.CHANGE)
    children = first_choices(selectors.placeable_children(request.user, household), 600)
    form = PlacementForm(
        request.POST or None, children=children, initial={"starts_on": timezone.localdate()}
    )

    def save(data):
        services.placement_create(
            user=request.user, household=household, child=data["child"], data=data,
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The placement was recorded."))
        return redirect(f"{household.get_absolute_url()}#placements-heading")
    return _form_page(request, household, form, _("Record a placement"), "foster household")


@login_required
def placement_edit(request, pk: int, placement_pk: int):
    household = _household(request, pk, Action.CHANGE)
    placement = visible(request.user, household.placements.select_related("child"), Action.CHANGE)
    placement = placement.filter(pk=placement_pk).first()
    if placement is None:
        raise Http404
    initial = {name: getattr(placement, name) for name in services.PLACEMENT_FIELDS}
    form = PlacementEditForm(
        request.POST or None, initial={**initial, "version": placement.version}
    )

    def save(data):
        services.placement_update(
            user=request.user, placement=placement, data=data, version=data["version"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(f"{household.get_absolute_url()}#placements-heading")
    title = _("Change the placement of %(child)s") % {"child": placement.child}
    return _form_page(request, household, form, title, "foster placement")


@login_required
def agreement_new(request, pk: int):
    household = _household(request, pk, Action.CHANGE)
    form = AgreementForm(
        request.POST or None,
        workers=selectors.key_workers(household),
        user=request.user,
        municipality_id=household.municipality_id,
        initial={"key_worker": request.user.pk, "signed_on": timezone.localdate()},
    )

    def save(data):
        services.agreement_create(
            user=request.user, household=household, data=data, **audit_context(request)
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The support agreement was recorded."))
        return redirect(f"{household.get_absolute_url()}#agreement-heading")
    return _form_page(request, household, form, _("Record a support agreement"), "foster household")


@login_required
def agreement_edit(request, pk: int, agreement_pk: int):
    household = _household(request, pk, Action.CHANGE)
    agreement = household.agreements.filter(pk=agreement_pk).first()
    if agreement is None:
        raise Http404
    initial = {name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS}
    form = AgreementEditForm(
        request.POST or None,
        workers=selectors.key_workers(household),
        user=request.user,
        municipality_id=household.municipality_id,
        initial={
            **initial,
            "version": agreement.version,
            "programmes": list(agreement.programmes.all()),
        },  # fmt: skip
    )

    def save(data):
        services.agreement_update(
            user=request.user, agreement=agreement, data=data, version=data["version"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(f"{household.get_absolute_url()}#agreement-heading")
    return _form_page(
        request, household, form, _("Change the support agreement"), "foster household"
    )


def _with_programmes(user, agreement):
    agreement.linked_programmes = programmes_shown(user, agreement)
    return agreement


@login_required
def household_detail(request, pk: int):
    household = _household(request, pk)
    user = request.user
    today = timezone.localdate()
    compliance = compliance_of(household, today)
    placements = selectors.placements(user, household)
    can_change = can(user, Action.CHANGE, household)
    steps_done = {s.step: s for s in household.steps.select_related("done_by")}
    # The steps of the household's method; a retired one only where it was done.
    steps = [
        (item.code, item.label, steps_done.get(item.code))
        for item in household.method_steps
        if not item.retired or item.code in steps_done
    ]
    carers = visible_of(user, household, Carer.objects.select_related(*CARER_NAMES))
    current = [p for p in placements if p.is_current(today)]
    arrangements = selectors.contact_arrangements(user, [p.child for p in placements])
    for placement in placements:
        placement.arrangements = arrangements.get(placement.child_id, [])
    context = {
        "household": household,
        "compliance": compliance,
        "agreement": compliance.agreement,
        "agreements": [
            _with_programmes(user, a) for a in household.agreements.select_related("key_worker")
        ],
        "carers": carers,
        "placements": placements,
        "visits": list(household.visits.select_related("by")[:50]),
        "trainings": list(
            household.trainings.select_related(*(f"carer__{n}" for n in CARER_NAMES))[:50]
        ),
        # Respite names the child: only of the placements the reader may see (a child on a
        # restricted record is named only to the child's team).
        "respites": list(
            household.respites.filter(placement__in=[p.pk for p in placements]).select_related(
                *(f"placement__{n}" for n in CHILD_NAMES)
            )[:50]
        ),
        "items": list(
            household.development_items.select_related(*(f"carer__{n}" for n in CARER_NAMES))
        ),
        "steps": steps,
        "steps_done": len(steps_done),
        "can_change": can_change,
        "show_address": can(user, Action.VIEW_DETAILS, household),
        "requirement_labels": dict(Requirement.choices),
        "today": today,
    }
    if can_change:
        context.update(
            visit_form=VisitForm(prefix="visit", initial={"on": today}),
            training_form=TrainingForm(prefix="training", carers=carers, initial={"on": today}),
            respite_form=RespiteForm(
                prefix="respite",
                placements=visible_of(
                    user, household, household.placements.filter(pk__in=[p.pk for p in current])
                ).select_related(*CHILD_NAMES),
            ),
            development_form=DevelopmentForm(prefix="plan", carers=carers),
        )
    audit_read(
        request,
        household,
        purpose="foster household",
        subjects=selectors.people_named(user, household),
    )
    return render(request, "fostercare/detail.html", context)


def _posted(request, household: Household, form, act, done: str, anchor: str):
    acted(request, form, act, done)
    return redirect(f"{household.get_absolute_url()}#{anchor}")


@login_required
@require_POST
def visit_new(request, pk: int):
    household = _household(request, pk, Action.CHANGE)

    def act(data):
        services.visit_record(
            user=request.user, household=household, kind=data["kind"], on=data["on"],
            note=data["note"], **audit_context(request),
        )  # fmt: skip

    form = VisitForm(request.POST, prefix="visit")
    return _posted(request, household, form, act, _("The contact was recorded."), "visits-heading")


@login_required
@require_POST
def training_new(request, pk: int):
    household = _household(request, pk, Action.CHANGE)

    def act(data):
        services.training_record(
            user=request.user, household=household, carer=data["carer"], on=data["on"],
            title=data["title"], hours=data["hours"], **audit_context(request),
        )  # fmt: skip

    carers = selectors.changeable_carers(request.user, household)
    form = TrainingForm(request.POST, prefix="training", carers=carers)
    return _posted(
        request, household, form, act, _("The training was recorded."), "trainings-heading"
    )


@login_required
@require_POST
def respite_new(request, pk: int):
    household = _household(request, pk, Action.CHANGE)

    def act(data):
        services.respite_record(
            user=request.user, household=household, placement=data["placement"],
            starts_on=data["starts_on"], ends_on=data["ends_on"], note=data["note"],
            **audit_context(request),
        )  # fmt: skip

    placements = visible(request.user, household.placements.all(), Action.CHANGE)
    form = RespiteForm(request.POST, prefix="respite", placements=placements)
    return _posted(request, household, form, act, _("The respite was recorded."), "respite-heading")


@login_required
@require_POST
def step_set(request, pk: int):
    household = _household(request, pk, Action.CHANGE)

    def act(data):
        services.step_set(
            user=request.user, household=household, step=data["step"], done=data["done"],
            on=data["on"], **audit_context(request),
        )  # fmt: skip

    form = StepForm(request.POST)
    return _posted(request, household, form, act, _("The checklist was updated."), "steps-heading")


@login_required
@require_POST
def development_new(request, pk: int):
    household = _household(request, pk, Action.CHANGE)

    def act(data):
        services.development_item_create(
            user=request.user, household=household, goal=data["goal"], how=data["how"],
            due_on=data["due_on"], carer=data["carer"], **audit_context(request),
        )  # fmt: skip

    carers = selectors.changeable_carers(request.user, household)
    form = DevelopmentForm(request.POST, prefix="plan", carers=carers)
    return _posted(request, household, form, act, _("The goal was added."), "plan-heading")


@login_required
@require_POST
def development_done(request, pk: int, item_pk: int):
    household = _household(request, pk, Action.CHANGE)
    item = household.development_items.filter(pk=item_pk).first()
    if item is None:
        raise Http404

    def act(data):
        services.development_item_done(
            user=request.user, item=item, done_on=data["done_on"], version=data["version"],
            **audit_context(request),
        )  # fmt: skip

    form = DevelopmentDoneForm(request.POST)
    return _posted(request, household, form, act, _("The plan was updated."), "plan-heading")
