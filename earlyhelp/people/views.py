"""Children's pages: the list with search, the record, editing and consents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import (
    CHILD_CREATORS,
    Action,
    can,
    primary_role,
    scope_for,
    visible,
)
from earlyhelp.access.shortcuts import get_object_or_deny, open_record
from earlyhelp.audit.selectors import record_history, record_viewers
from earlyhelp.audit.services import audit_request, subject_of
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.organisations.models import Group
from earlyhelp.people import selectors, services
from earlyhelp.people.forms import ChildForm, ConsentForm, ConsentWithdrawForm
from earlyhelp.people.models import Adult, Child, Consent


@login_required
def child_list(request):
    if not can(request.user, Action.LIST, Child):
        raise PermissionDenied
    query = request.GET.get("q", "")
    page = selectors.child_list(user=request.user, query=query, cursor=request.GET.get("after", ""))
    audit_request(
        request,
        action="list",
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
    child, path = open_record(
        request, selectors.child_queryset(), Action.VIEW, purpose="child page", pk=pk
    )
    context = {
        "child": child,
        "access_path": path,
        "enrolments": selectors.child_enrolments(child=child),
        "can_view_details": can(request.user, Action.VIEW_DETAILS, child),
        "can_change": can(request.user, Action.CHANGE, child),
        "break_glass": path == "break_glass",
    }
    if context["can_view_details"]:
        subject = subject_of(child)
        context.update(selectors.child_details(user=request.user, child=child))
        context["viewers"] = record_viewers(subject)
        context["history"] = record_history(subject)
    return render(request, "people/child_detail.html", context)


def _creator_scope(user):
    """The municipality and groups a new child can be placed in by this user."""
    scope = scope_for(user)
    memberships = [m for role in sorted(CHILD_CREATORS) for m in scope.roles.get(role, [])]
    if not memberships:
        raise PermissionDenied
    municipality = memberships[0].municipality
    institutions = {m.institution_id for m in memberships if m.institution_id}
    groups = Group.objects.filter(institution_id__in=institutions).select_related("institution")
    return municipality, groups


@login_required
def child_create(request):
    if not can(request.user, Action.CREATE, Child):
        raise PermissionDenied
    municipality, groups = _creator_scope(request.user)
    form = ChildForm(request.POST or None, municipality=municipality, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.child_create(
                user=request.user,
                municipality=municipality,
                data=form.cleaned_data,
                group=form.cleaned_data.get("group"),
                role=primary_role(request.user),
                request_id=request.request_id,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The child's record was created."))
            return redirect(child)
    return render(request, "people/child_form.html", {"form": form, "creating": True})


@login_required
def child_edit(request, pk: int):
    child = get_object_or_deny(request, selectors.child_queryset(), Action.CHANGE, pk=pk)
    form = ChildForm(request.POST or None, instance=child, municipality=child.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update(
                user=request.user,
                child=Child.objects.get(pk=child.pk),
                data=form.cleaned_data,
                version=form.cleaned_data.get("version") or 0,
                role=primary_role(request.user),
                request_id=request.request_id,
            )
        except StaleVersionError as error:
            form.add_error(None, error.args[0])
        else:
            messages.success(request, _("Saved."))
            return redirect(child)
    return render(
        request, "people/child_form.html", {"form": form, "child": child, "creating": False}
    )


@login_required
def consent_create(request, pk: int):
    child = get_object_or_deny(request, selectors.child_queryset(), Action.CHANGE, pk=pk)
    adults = visible(request.user, Adult.objects.filter(relationships__child=child)).distinct()
    form = ConsentForm(request.POST or None, adults=adults)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(
                user=request.user,
                child=child,
                data=form.cleaned_data,
                role=primary_role(request.user),
                request_id=request.request_id,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect(f"{child.get_absolute_url()}#consents")
    return render(request, "people/consent_form.html", {"form": form, "child": child})


@login_required
@require_POST
def consent_withdraw(request, pk: int, consent_pk: int):
    child = get_object_or_deny(request, selectors.child_queryset(), Action.CHANGE, pk=pk)
    consent = get_object_or_deny(
        request, Consent.objects.filter(child=child), Action.CHANGE, pk=consent_pk
    )
    form = ConsentWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(
                user=request.user,
                consent=consent,
                on=form.cleaned_data["withdrawn_on"],
                version=form.cleaned_data["version"],
                role=primary_role(request.user),
                request_id=request.request_id,
            )
        except StaleVersionError as error:
            messages.error(request, error.args[0])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The consent was withdrawn."))
    else:
        messages.error(request, _("Give the date the consent was withdrawn."))
    return redirect(reverse("people:child_detail", args=[child.pk]) + "#consents")


@login_required
def adult_detail(request, pk: int):
    adult, path = open_record(
        request, selectors.adult_queryset(), Action.VIEW, purpose="adult page", pk=pk
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
            "show_address": not adult.address_protected
            or adult.relationships.filter(child__team_members__user=request.user).exists(),
        },
    )
