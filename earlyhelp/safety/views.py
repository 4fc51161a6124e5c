"""The Signs of Safety page of a case and the forms that add to it. Read where the case may be
read (audited as a read of the case), changed where the case may be changed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.access.shortcuts import audit_context, audit_read, get_object_or_deny, open_record
from earlyhelp.cases.models import Case
from earlyhelp.cases.selectors import case_children, case_queryset
from earlyhelp.core.downloads import private_download
from earlyhelp.core.forms import first_choices, saved
from earlyhelp.core.fragments import render_section
from earlyhelp.core.keyset import Key, keyset_page
from earlyhelp.safety import selectors, services
from earlyhelp.safety.access import meeting_institutions
from earlyhelp.safety.forms import (
    MappingForm,
    MeetingForm,
    NetworkForm,
    RuleForm,
    ScalingForm,
    StatementForm,
    ThreeHousesForm,
)
from earlyhelp.safety.models import MappingItem, SafetyMeeting, Statement, Tool


def _page(request, case: Case, forms: dict | None = None, status: int = 200):
    statements = selectors.statements(case=case)
    can_change = can(request.user, Action.CHANGE, case) and case.status == Case.Status.OPEN
    context = {
        "case": case,
        "columns": selectors.mapping(case=case),
        "statements": statements,
        "scaling": selectors.scaling(case=case),
        "houses": list(case.three_houses.select_related("child__municipality__jurisdiction")),
        "network": list(case.network.prefetch_related("rules")),
        "rules": list(case.safety_rules.select_related("holder")),
        "today": timezone.localdate(),
        "can_change": can_change,
    }
    # The tools of the case's version are offered; a tool out of it is shown only where the
    # case has work in it.
    tools = services.case_tools(case)
    used = {
        Tool.MAPPING: any(c["items"] for col in context["columns"] for c in col["categories"]),
        Tool.STATEMENTS: any(s["current"] for s in statements.values()),
        Tool.SCALING: bool(context["scaling"]["series"]),
        Tool.THREE_HOUSES: bool(context["houses"]),
        Tool.NETWORK: bool(context["network"]),
        Tool.SAFETY_PLAN: bool(context["rules"]),
    }
    context["offered"] = {tool.value: tool in tools.codes for tool in Tool}
    context["shown"] = {tool.value: tool in tools.codes or used[tool] for tool in Tool}
    if can_change:
        based = {
            kind: (s["current"].number if s["current"] else 0) for kind, s in statements.items()
        }
        context["mapping_form"] = MappingForm()
        context["statement_forms"] = {
            kind: StatementForm(initial={"kind": kind, "based_on": based[kind]})
            for kind in statements
        }
        context["scaling_form"] = ScalingForm()
        context["houses_form"] = ThreeHousesForm(
            children=case_children(user=request.user, case=case)
        )
        context["network_form"] = NetworkForm()
        context["rule_form"] = RuleForm(network=case.network.all())
        for name, form in (forms or {}).items():
            if name == "statement_form":
                context["statement_forms"][form.data.get("kind", "danger")] = form
            else:
                context[name] = form
    return render(request, "safety/page.html", context, status=status)


@login_required
def safety_page(request, pk: int):
    case, _path = open_record(request, case_queryset(), purpose="signs of safety", pk=pk)
    return _page(request, case)


@login_required
def case_tools(request, pk: int):
    """The case's Signs of Safety at a glance, a section of the case page loaded on demand: the
    map's three columns, the current danger statement and safety goal, the latest scaling
    answers with their chart, the safety network and its rules. Read as the Signs of Safety page
    is, and audited with its own purpose."""
    case, _path = open_record(request, case_queryset(), purpose="signs of safety summary", pk=pk)
    scaling = selectors.scaling(case=case)
    latest = {}
    for answer in scaling["answers"]:  # oldest first: each person's latest answer wins
        latest[(answer.respondent, answer.respondent_name)] = answer
    context = {
        "case": case,
        "columns": [
            {"column": col["column"], "items": [i for c in col["categories"] for i in c["items"]]}
            for col in selectors.mapping(case=case)
        ],
        "statements": selectors.statements(case=case),
        "scaling": scaling,
        "latest_answers": sorted(latest.values(), key=lambda a: (a.answered_on, a.pk)),
        "network": list(case.network.all()),
        "rules": list(case.safety_rules.select_related("holder")),
        "today": timezone.localdate(),
    }
    return render_section(
        request,
        "safety/_summary.html",
        context,
        title=_("Signs of Safety of case #%(n)s") % {"n": case.pk},
        back_url=f"{case.get_absolute_url()}#safety",
    )


def _case(request, pk: int) -> Case:
    return get_object_or_deny(request, case_queryset(), Action.CHANGE, pk=pk)


def _done(case: Case, anchor: str):
    return redirect(f"{reverse('safety:page', args=[case.pk])}#{anchor}")


@login_required
@require_POST
def mapping_add(request, pk: int):
    case = _case(request, pk)
    form = MappingForm(request.POST)

    def save(data):
        services.mapping_add(
            user=request.user, case=case, category=data["category"], text=data["text"],
            **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("Added to the map."))
        return _done(case, "mapping-heading")
    return _page(request, case, {"mapping_form": form}, status=400)


@login_required
@require_POST
def mapping_withdraw(request, pk: int, item_pk: int):
    case = _case(request, pk)
    item = MappingItem.objects.filter(case=case, pk=item_pk).select_related("case").first()
    if item is None:
        raise Http404
    try:
        services.mapping_withdraw(user=request.user, item=item, **audit_context(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Taken off the map; it stays on record."))
    return _done(case, "mapping-heading")


@login_required
@require_POST
def statement_write(request, pk: int):
    case = _case(request, pk)
    form = StatementForm(request.POST)

    def save(data):
        services.statement_write(
            user=request.user, case=case, kind=data["kind"], text=data["text"],
            based_on=data["based_on"], **audit_context(request),
        )  # fmt: skip

    if form.data.get("kind") not in Statement.Kind.values:
        raise Http404
    if saved(form, save):
        messages.success(request, _("A new version was saved."))
        return _done(case, "statements-heading")
    return _page(request, case, {"statement_form": form}, status=400)


@login_required
@require_POST
def scaling_add(request, pk: int):
    case = _case(request, pk)
    form = ScalingForm(request.POST)

    def save(data):
        services.scaling_answer(
            user=request.user, case=case, respondent=data["respondent"],
            respondent_name=data["respondent_name"], score=data["score"],
            answered_on=data["answered_on"], note=data["note"], **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("The answer was added to the chart."))
        return _done(case, "scaling-heading")
    return _page(request, case, {"scaling_form": form}, status=400)


@login_required
@require_POST
def three_houses_add(request, pk: int):
    case = _case(request, pk)
    form = ThreeHousesForm(
        request.POST, request.FILES, children=case_children(user=request.user, case=case)
    )

    def save(data):
        services.three_houses(
            user=request.user, case=case, child=data["child"], held_on=data["held_on"],
            worries=data["worries"], good_things=data["good_things"], dreams=data["dreams"],
            drawing=data["drawing"], **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("The child's words were recorded."))
        return _done(case, "voice-heading")
    return _page(request, case, {"houses_form": form}, status=400)


@login_required
def drawing(request, pk: int, houses_pk: int):
    """The child's drawing, for those who may read the case: a download, audited."""
    case, _path = open_record(request, case_queryset(), purpose="child's drawing", pk=pk)
    houses = case.three_houses.filter(pk=houses_pk).exclude(drawing="").first()
    if houses is None:
        raise Http404
    return private_download(
        houses.drawing.open("rb"),
        filename=f"three-houses-{houses.pk}",
        content_type=houses.drawing_type,
    )


@login_required
@require_POST
def network_add(request, pk: int):
    case = _case(request, pk)
    form = NetworkForm(request.POST)

    def save(data):
        services.network_add(user=request.user, case=case, **data, **audit_context(request))

    if saved(form, save):
        messages.success(request, _("The safety network was changed."))
        return _done(case, "network-heading")
    return _page(request, case, {"network_form": form}, status=400)


@login_required
@require_POST
def rule_add(request, pk: int):
    case = _case(request, pk)
    form = RuleForm(request.POST, network=case.network.all())

    def save(data):
        services.rule_add(user=request.user, case=case, **data, **audit_context(request))

    if saved(form, save):
        messages.success(request, _("The rule was added to the safety plan."))
        return _done(case, "network-heading")
    return _page(request, case, {"rule_form": form}, status=400)


# --- Meetings without a case --------------------------------------------------------------


def _meeting_form(request, data=None, initial=None, institution_ids=None):
    from earlyhelp.concerns.models import Concern
    from earlyhelp.organisations.models import Institution

    ids = institution_ids if institution_ids is not None else meeting_institutions(request.user)
    return MeetingForm(
        data,
        initial=initial or {},
        institutions=Institution.objects.filter(pk__in=ids).order_by("name"),
        concerns=first_choices(
            visible(
                request.user, Concern.objects.filter(institution_id__in=ids), Action.VIEW_DECISION
            ).order_by("-received_at"),
            200,
        ),  # fmt: skip
        cases=visible(request.user, Case.objects.filter(status=Case.Status.OPEN), Action.CHANGE),
    )


@login_required
def meeting_list(request):
    if not can(request.user, Action.LIST, SafetyMeeting):
        raise PermissionDenied
    meetings = visible(request.user, SafetyMeeting.objects.all()).select_related("institution")
    page = keyset_page(
        meetings, [Key("held_on", descending=True), Key("pk", descending=True)],
        request.GET.get("after", ""), 25,
    )  # fmt: skip
    return render(
        request,
        "safety/meetings.html",
        {"page": page, "can_create": can(request.user, Action.CREATE, SafetyMeeting)},
    )


@login_required
def meeting_new(request):
    if not can(request.user, Action.CREATE, SafetyMeeting):
        raise PermissionDenied
    form = _meeting_form(request, request.POST or None)
    made = {}

    def save(data):
        made["meeting"] = services.meeting_save(
            user=request.user, data=data, institution=data["institution"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The meeting was recorded."))
        return redirect(made["meeting"])
    return render(request, "safety/meeting.html", {"form": form, "meeting": None})


@login_required
def meeting_detail(request, pk: int):
    meeting = get_object_or_deny(
        request, SafetyMeeting.objects.select_related("institution", "concern", "case"), pk=pk
    )
    can_change = can(request.user, Action.CHANGE, meeting)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    if request.method == "GET":
        # It names no child, but it is about one: every reading is audited.
        audit_read(request, meeting, purpose="signs of safety meeting")
    form = None
    if can_change:
        initial = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
        initial.update(
            institution=meeting.institution_id, concern=meeting.concern_id,
            case=meeting.case_id, version=meeting.version,
        )  # fmt: skip
        form = _meeting_form(
            request, request.POST or None, initial, institution_ids={meeting.institution_id}
        )
        # Only the tools of the meeting's version are asked about.
        for tool, names in services.MEETING_TOOL_FIELDS.items():
            if tool not in meeting.tools.codes:
                for name in names:
                    del form.fields[name]

        def save(data):
            services.meeting_save(
                user=request.user, data=data, meeting=meeting, version=data["version"],
                **audit_context(request),
            )  # fmt: skip

        if request.method == "POST" and saved(form, save):
            messages.success(request, _("Saved."))
            return redirect(meeting)
    return render(request, "safety/meeting.html", {"form": form, "meeting": meeting})
