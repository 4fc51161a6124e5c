"""Children's and adults' pages: the list with search, the records, and the forms that change
them. Thin: every object comes through the access policy, every change through a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, primary_role, visible, visible_of
from earlyhelp.access.shortcuts import audit_list, get_object_or_deny, open_record
from earlyhelp.audit.selectors import record_history, record_viewers
from earlyhelp.audit.services import subject_of
from earlyhelp.cases.models import Case
from earlyhelp.cases.selectors import adult_cases
from earlyhelp.concerns.selectors import concern_pattern
from earlyhelp.core.forms import acted, saved
from earlyhelp.core.fragments import render_section
from earlyhelp.organisations.models import Group
from earlyhelp.people import selectors, services
from earlyhelp.people.access import child_creation_places, child_page_parts
from earlyhelp.people.forms import (
    AdultAddForm,
    AdultForm,
    ChildForm,
    ConsentForm,
    ConsentWithdrawForm,
    EnrolmentEndForm,
    EnrolmentForm,
    RelationshipForm,
)
from earlyhelp.people.models import Adult, Child, Consent, Enrolment, Relationship


def _who(request) -> dict:
    return {
        "user": request.user,
        "role": primary_role(request.user),
        "request_id": request.request_id,
    }


def _for_change(request, model, purpose: str, pk: int):
    """The record (a child or an adult) to edit. Showing the form reads the record, so a GET
    is audited as a view; a POST is audited by the service as the change it makes."""
    rows = model.objects.select_related("municipality__jurisdiction")
    if request.method == "GET":
        return open_record(request, rows, Action.CHANGE, purpose=purpose, pk=pk)[0]
    return get_object_or_deny(request, rows, Action.CHANGE, pk=pk)


def _child_for_change(request, pk: int, purpose: str = "edit child") -> Child:
    return _for_change(request, Child, purpose, pk)


@login_required
def child_list(request):
    if not can(request.user, Action.LIST, Child):
        raise PermissionDenied
    query = request.GET.get("q", "")
    page = selectors.child_list(user=request.user, query=query, cursor=request.GET.get("after", ""))
    audit_list(
        request,
        object_type="people.child",
        purpose="child list",
        changes={"rows": len(page.rows), "searched": bool(query)},
    )
    context = {
        "page": page,
        "query": query,
        "can_create": can(request.user, Action.CREATE, Child),
        "min_search_length": selectors.MIN_SEARCH_LENGTH,
    }
    template = "people/_child_rows.html" if request.htmx else "people/child_list.html"
    return render(request, template, context)


@login_required
def child_detail(request, pk: int):
    child, _path = open_record(
        request,
        Child.objects.select_related("municipality__jurisdiction"),
        Action.VIEW,
        purpose="child page",
        pk=pk,
    )
    parts = child_page_parts(request.user, child)
    context = {
        "child": child,
        "enrolments": selectors.child_enrolments(user=request.user, child=child),
        "can_view_details": parts["details"],
        "can_change": parts["change"],
        "can_open_case": parts["help"] and can(request.user, Action.CREATE, Case),
        "break_glass": parts["break_glass"],
        # The family and consents, the help around the child, the history and the readers
        # are sections of their own (child_family, child_help, child_history, child_readers),
        # loaded as the reader reaches them.
        "show_help": parts["help"],
    }
    if parts["break_glass"]:
        context["break_glass_grant"] = (
            child.break_glass_grants.active().filter(user=request.user).first()
        )
    context["pattern"] = concern_pattern(user=request.user, child=child)
    return render(request, "people/child_detail.html", context)


def _child_section(request, pk: int, purpose: str) -> Child:
    """The child whose full record a section of the page shows, opened and audited like the
    page itself: 404 outside scope, 403 for those who see only the basics."""
    child, _path = open_record(
        request,
        Child.objects.select_related("municipality__jurisdiction"),
        Action.VIEW_DETAILS,
        purpose=purpose,
        pk=pk,
    )
    return child


@login_required
def child_family(request, pk: int):
    child = _child_section(request, pk, "record family and consents")
    context = {"child": child, "can_change": can(request.user, Action.CHANGE, child)}
    context.update(selectors.child_details(user=request.user, child=child))
    return render_section(
        request,
        "people/_child_family.html",
        context,
        title=_("Family and consents of %(name)s") % {"name": child.full_name},
        back_url=f"{child.get_absolute_url()}#family",
    )


@login_required
def child_help(request, pk: int):
    """The help around the child: activities and assisted contact. Not to a break-glass
    reader, who reads the record in an emergency and does not work with the child."""
    from earlyhelp.activities.selectors import child_activities
    from earlyhelp.contacts.models import Arrangement
    from earlyhelp.contacts.selectors import child_contacts

    child = _child_section(request, pk, "record help and contact")
    if not child_page_parts(request.user, child)["help"]:
        raise PermissionDenied
    context = {"child": child, **child_activities(request.user, child)}
    context["contact_arrangements"] = child_contacts(request.user, child)
    context["can_plan_contact"] = can(request.user, Action.CREATE, Arrangement)
    return render_section(
        request,
        "people/_child_help.html",
        context,
        title=_("Help and contact of %(name)s") % {"name": child.full_name},
        back_url=f"{child.get_absolute_url()}#help",
    )


@login_required
def child_history(request, pk: int):
    child = _child_section(request, pk, "record history")
    return render_section(
        request,
        "people/_child_history.html",
        {"child": child, "history": record_history(subject_of(child))},
        title=_("Changes to the record of %(name)s") % {"name": child.full_name},
        back_url=f"{child.get_absolute_url()}#history",
    )


@login_required
def child_readers(request, pk: int):
    child = _child_section(request, pk, "record readers")
    return render_section(
        request,
        "people/_child_readers.html",
        {"child": child, "viewers": record_viewers(subject_of(child))},
        title=_("Who has seen the record of %(name)s") % {"name": child.full_name},
        back_url=f"{child.get_absolute_url()}#readers",
    )


@login_required
def child_create(request):
    if not can(request.user, Action.CREATE, Child):
        raise PermissionDenied
    municipality, groups = child_creation_places(request.user)
    form = ChildForm(request.POST or None, municipality=municipality, groups=groups)
    created = {}

    def save(data):
        created["child"] = services.child_create(
            municipality=municipality, data=data, group=data.get("group"), **_who(request)
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The child's record was created."))
        return redirect(created["child"])
    return render(request, "people/child_form.html", dict(form=form, creating=True))


@login_required
def child_edit(request, pk: int):
    child = _child_for_change(request, pk)
    form = ChildForm(request.POST or None, instance=child, municipality=child.municipality)

    def save(data):
        fresh = visible(request.user, Child.objects.all(), Action.CHANGE).get(pk=child.pk)
        services.child_update(child=fresh, data=data, version=data["version"] or 0, **_who(request))

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(child)
    return render(request, "people/child_form.html", dict(form=form, child=child, creating=False))


@login_required
def adult_add(request, pk: int):
    child = _child_for_change(request, pk, "add adult")
    form = AdultAddForm(request.POST or None, municipality=child.municipality)

    def save(data):
        services.adult_add(child=child, data=data, **_who(request))

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The adult was added to the child's record."))
        return redirect(child)
    return render(
        request, "people/person_form.html", dict(form=form, child=child, title=_("Add an adult"))
    )


@login_required
def adult_edit(request, pk: int):
    adult = _for_change(request, Adult, "edit adult", pk)
    form = AdultForm(
        request.POST or None,
        instance=adult,
        municipality=adult.municipality,
        show_address=can(request.user, Action.VIEW_CONTACT, adult),
    )

    def save(data):
        fresh = visible(request.user, Adult.objects.all(), Action.CHANGE).get(pk=adult.pk)
        services.adult_update(adult=fresh, data=data, version=data["version"] or 0, **_who(request))

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(adult)
    return render(
        request, "people/person_form.html", dict(form=form, adult=adult, title=adult.full_name)
    )


@login_required
def relationship_edit(request, pk: int, relationship_pk: int):
    child = _child_for_change(request, pk, "edit relationship")
    relationship = get_object_or_deny(
        request,
        Relationship.objects.filter(child=child).select_related("adult"),
        Action.CHANGE,
        pk=relationship_pk,
    )
    form = RelationshipForm(request.POST or None, instance=relationship)

    def save(data):
        fresh = visible_of(request.user, child, Relationship.objects.all(), Action.CHANGE).get(
            pk=relationship.pk
        )
        services.relationship_update(
            relationship=fresh, data=data, version=data["version"] or 0, **_who(request)
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(child)
    title = _("%(adult)s and %(child)s") % {
        "adult": relationship.adult.full_name,
        "child": child.full_name,
    }
    return render(request, "people/person_form.html", dict(form=form, child=child, title=title))


@login_required
def enrolment_add(request, pk: int):
    child = _child_for_change(request, pk, "add enrolment")
    groups = Group.objects.filter(institution__municipality=child.municipality).select_related(
        "institution"
    )
    form = EnrolmentForm(request.POST or None, groups=groups)

    def save(data):
        services.enrolment_add(
            child=child, group=data["group"], starts_on=data["starts_on"], **_who(request)
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The enrolment was recorded."))
        return redirect(child)
    return render(
        request,
        "people/person_form.html",
        dict(
            form=form,
            child=child,
            title=_("Enrol in a group or class"),
        ),
    )


@login_required
@require_POST
def enrolment_end(request, pk: int, enrolment_pk: int):
    child = _child_for_change(request, pk)
    enrolment = get_object_or_deny(
        request, Enrolment.objects.filter(child=child), Action.CHANGE, pk=enrolment_pk
    )
    acted(
        request,
        EnrolmentEndForm(request.POST),
        lambda data: services.enrolment_end(
            enrolment=enrolment, on=data["ends_on"], version=data["version"], **_who(request)
        ),
        _("The enrolment was ended."),
    )
    return redirect(child)


@login_required
def consent_create(request, pk: int):
    child = _child_for_change(request, pk, "record consent")
    adults = visible(request.user, Adult.objects.filter(relationships__child=child)).distinct()
    form = ConsentForm(request.POST or None, adults=adults)

    def save(data):
        services.consent_record(child=child, data=data, **_who(request))

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The consent was recorded."))
        return redirect(f"{child.get_absolute_url()}#consents")
    return render(
        request,
        "people/person_form.html",
        dict(form=form, child=child, title=_("Record a consent")),
    )


@login_required
@require_POST
def consent_withdraw(request, pk: int, consent_pk: int):
    child = _child_for_change(request, pk)
    consent = get_object_or_deny(
        request, Consent.objects.filter(child=child), Action.CHANGE, pk=consent_pk
    )
    acted(
        request,
        ConsentWithdrawForm(request.POST),
        lambda data: services.consent_withdraw(
            consent=consent, on=data["withdrawn_on"], version=data["version"], **_who(request)
        ),
        _("The consent was withdrawn."),
    )
    return redirect(f"{child.get_absolute_url()}#consents")


@login_required
def adult_detail(request, pk: int):
    adult, _path = open_record(
        request,
        Adult.objects.select_related("municipality__jurisdiction"),
        Action.VIEW,
        purpose="adult page",
        pk=pk,
    )
    relationships = visible(
        request.user,
        adult.relationships.select_related("child__municipality__jurisdiction"),
        Action.VIEW,
    )
    return render(
        request,
        "people/adult_detail.html",
        {
            "adult": adult,
            "relationships": relationships,
            "can_change": can(request.user, Action.CHANGE, adult),
            "show_address": can(request.user, Action.VIEW_CONTACT, adult),
            # The adult's cases, as far as the case rules let the user see them.
            "cases": adult_cases(user=request.user, adult=adult),
            "can_open_case": can(request.user, Action.CREATE, Case),
        },
    )
