"""The case pages: my cases, opening a case, the case page with its chronology, and the
forms that change it. Thin: objects through the access policy, changes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible, visible_of
from earlyhelp.access.shortcuts import (
    audit_context,
    audit_export,
    audit_list,
    get_object_or_deny,
    open_record,
)
from earlyhelp.cases import selectors, services
from earlyhelp.cases.access import remember_case_work
from earlyhelp.cases.chronology_pdf import chronology_filename, render_chronology
from earlyhelp.cases.forms import (
    AdultCaseOpenForm,
    AllocateForm,
    CaseOpenForm,
    CaseProgrammesForm,
    CloseForm,
    ConferenceForm,
    DecisionForm,
    DocumentForm,
    EntryForm,
    GoalForm,
    LinkConcernForm,
    MemberForm,
    ParticipantForm,
    PlanActionForm,
    ProblemMapForm,
    ReferralForm,
    ReferralUpdateForm,
    ReopenForm,
    ReviewForm,
    StatusForm,
)
from earlyhelp.cases.models import (
    Case,
    CaseConference,
    CaseMember,
    ChronologyEntry,
    Goal,
    Referral,
)
from earlyhelp.concerns.models import Concern
from earlyhelp.core.downloads import private_download
from earlyhelp.core.forms import acted, saved
from earlyhelp.core.fragments import render_section
from earlyhelp.core.list_filters import ListFilterForm
from earlyhelp.core.text import fold_text, plain_number
from earlyhelp.knowledge.access.partners import partner_choices
from earlyhelp.knowledge.catalogue import offerable_methods
from earlyhelp.people.models import Adult, Child
from earlyhelp.programmes import outcomes
from earlyhelp.programmes.models import Outcome as ProgrammeOutcome
from earlyhelp.programmes.outcomes import OutcomeForm, OutcomeRemoveForm
from earlyhelp.programmes.services import programmes_shown


@login_required
def case_list(request):
    if not can(request.user, Action.LIST, Case):
        raise PermissionDenied
    supervisor = can(request.user, Action.ALLOCATE, Case)
    mine = request.GET.get("show") != "team" or not supervisor
    status = request.GET.get("status", Case.Status.OPEN)
    if status not in Case.Status.values:
        status = Case.Status.OPEN
    form = ListFilterForm(
        request.GET,
        sorts=[
            ("opened", gettext_lazy("Newest first")),
            ("contact", gettext_lazy("Last contact longest ago first")),
        ],
        period_label=_("Opened between these days."),
    )
    filters = form.filters
    page = selectors.case_list(
        user=request.user,
        mine=mine,
        status=status,
        filters=filters,
        cursor=request.GET.get("after", ""),
    )
    audit_list(
        request,
        object_type="cases.case",
        purpose="case list",
        changes={"rows": len(page.rows), "searched": bool(filters.get("child"))},
    )
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "form": form,
            "mine": mine,
            "status": status,
            "statuses": Case.Status,
            "supervisor": supervisor,
            "caseload": selectors.caseload(user=request.user) if supervisor and not mine else [],
            "can_open": can(request.user, Action.CREATE, Case),
            "today": timezone.localdate(),
        },
    )


def _starting_point(request) -> tuple[list[Concern], list[int], object]:
    """The concern (?concern=) or child (?child=) a case is opened from, through the policy,
    the children it is about unless the opener says otherwise, and the children to offer."""
    source = request.POST if request.method == "POST" else request.GET
    concern = child = None
    concern_id = plain_number(source.get("concern"))
    child_id = plain_number(source.get("child"))
    if concern_id is not None:
        concern = get_object_or_deny(
            request, Concern.objects.select_related("institution"), Action.VIEW_DECISION,
            pk=concern_id,
        )  # fmt: skip
    elif child_id is not None:
        child = get_object_or_deny(request, Child.objects.all(), Action.VIEW, pk=child_id)
    child_ids, offered = selectors.opening_children(user=request.user, concern=concern, child=child)
    return [concern] if concern else [], child_ids, offered


ADULT_SEARCH_LIMIT = 20


def _adult_start(request) -> Adult | None:
    """The adult (?adult=) a case about an adult is opened from, through the policy."""
    source = request.POST if request.method == "POST" else request.GET
    adult_id = plain_number(source.get("adult"))
    if adult_id is None:
        return None
    return get_object_or_deny(request, Adult.objects.all(), Action.VIEW, pk=adult_id)


def _adults_found(request) -> list[Adult] | None:
    """The adults the user may see whose name holds the words searched (?q=), for opening a
    case about one of them from the case list; None before a search."""
    words = fold_text(request.GET.get("q", "")).split()
    if not words:
        return None
    named = Q()
    for word in words[:5]:
        named &= Q(search_name__contains=word)
    adults = list(
        visible(request.user, Adult.objects.filter(named), Action.VIEW).order_by(
            "search_name", "pk"
        )[:ADULT_SEARCH_LIMIT]
    )
    audit_list(
        request,
        object_type="people.adult",
        purpose="open a case about an adult",
        changes={"adults": [a.pk for a in adults]},
    )
    return adults


def _case_open_adult(request, adult: Adult):
    """Opening a case about the adult, or about their household: the adult and the other
    adults of the same children whom the user may see."""
    offered = selectors.opening_adults(user=request.user, adult=adult)
    form = AdultCaseOpenForm(
        request.POST or None,
        adults=offered,
        initial={"adults": [adult.pk]},
        **selectors.opening_choices(user=request.user),
    )
    done = _open_from(request, form)
    if done is not None:
        return done
    audit_list(
        request,
        object_type="people.adult",
        purpose="open a case",
        changes={"adults": sorted(a.pk for a in offered)},
    )
    return render(request, "cases/open_adult.html", {"form": form, "adult": adult})


@login_required
def case_open(request):
    if not can(request.user, Action.CREATE, Case):
        raise PermissionDenied
    adult = _adult_start(request)
    if adult is not None:
        return _case_open_adult(request, adult)
    concerns, child_ids, offered = _starting_point(request)
    form = CaseOpenForm(
        request.POST or None,
        children=offered,
        initial={"children": child_ids},
        **selectors.opening_choices(user=request.user),
    )
    done = _open_from(request, form, concerns=concerns)
    if done is not None:
        return done
    if child_ids:
        # The form names the children offered: a read of their names, audited as a list.
        audit_list(
            request,
            object_type="people.child",
            purpose="open a case",
            changes={"children": sorted(c.pk for c in offered)},
        )
    return render(
        request,
        "cases/open.html",
        {
            "form": form,
            "concerns": concerns,
            "has_start": bool(child_ids),
            "adults_found": None if child_ids else _adults_found(request),
            "q": request.GET.get("q", ""),
        },
    )


def _open_from(request, form, concerns=None):
    """Open the case the form describes (from `concerns`, if any); the redirect to it, or None
    to show the form again with what was typed and why it was refused."""
    opened = {}

    def save(data):
        opened["case"] = services.case_open(
            user=request.user,
            concerns=concerns,
            **form.case_arguments(),
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The case was opened."))
        return redirect(opened["case"])
    return None


@login_required
def case_detail(request, pk: int):
    """The case page: the case, its team and its plan. Its other parts are sections loaded as
    the reader reaches them, each opened and audited on its own: the Signs of Safety tools,
    the problem map, the programmes and outcomes, the discussions, documents and referrals,
    and the chronology."""
    case, _path = open_record(request, selectors.case_queryset(), purpose="case", pk=pk)
    remember_case_work(request.user, case)
    context = selectors.case_page(user=request.user, case=case)
    can_change = can(request.user, Action.CHANGE, case)
    corrects = plain_number(request.GET.get("corrects"))
    # The chronology is loaded on demand (case_chronology), keeping the page's filter and page.
    wanted = {key: request.GET[key] for key in ("kind", "after") if request.GET.get(key)}
    context.update(
        case=case,
        chronology_url=reverse("cases:chronology", args=[case.pk])
        + (f"?{urlencode(wanted)}" if wanted else ""),
        can_change=can_change,
        can_allocate=can(request.user, Action.ALLOCATE, case),
        can_close=can(request.user, Action.CLOSE, case),
        next_review=selectors.next_review(case=case),
        next_contact=selectors.next_contact(case, getattr(case, "last_contact", None)),
        today=timezone.localdate(),
    )
    if can_change and case.status == Case.Status.OPEN:
        context["entry_form"] = EntryForm(
            initial={"corrects": corrects} if corrects is not None else None
        )
        if corrects is not None:
            context["correcting"] = selectors.entry_to_correct(
                user=request.user, case=case, entry_id=corrects
            )
        context["link_form"] = LinkConcernForm(
            concerns=selectors.concerns_to_link(user=request.user, case=case)
        )
    return render(request, "cases/detail.html", context)


def _case_section(request, pk: int, purpose: str) -> tuple[Case, bool]:
    """The case a section of its page shows, opened and audited like the page (404 outside
    scope), and whether the user may change it (the section adds to it only while it is
    open)."""
    case, _path = open_record(
        request,
        Case.objects.select_related("service", "municipality__jurisdiction"),
        purpose=purpose,
        pk=pk,
    )
    return case, can(request.user, Action.CHANGE, case)


@login_required
def case_map(request, pk: int):
    case, can_change = _case_section(request, pk, "case problem map")
    return render_section(
        request,
        "cases/_map.html",
        {"case": case, "can_change": can_change, "map_rows": selectors.problem_map(case=case)},
        title=_("Problem map of case #%(n)s") % {"n": case.pk},
        back_url=f"{case.get_absolute_url()}#map",
    )


@login_required
def case_outcomes(request, pk: int):
    """The programmes the case counts for, each with its categories and what was reached."""
    case, can_change = _case_section(request, pk, "case programmes")
    linked = programmes_shown(request.user, case)
    context = {
        "case": case,
        "can_change": can_change,
        "linked_programmes": linked,
        "programme_outcomes": outcomes.case_outcomes(user=request.user, case=case, named=linked[0]),
        "can_record_outcome": can_change and outcomes.open_categories(case).exists(),
    }
    return render_section(
        request,
        "cases/_programmes.html",
        context,
        title=_("Programmes and outcomes of case #%(n)s") % {"n": case.pk},
        back_url=f"{case.get_absolute_url()}#programmes",
    )


@login_required
def case_work(request, pk: int):
    """The case's discussions and conferences, documents and referrals."""
    case, can_change = _case_section(request, pk, "case discussions, documents and referrals")
    context = {
        "case": case,
        "can_change": can_change,
        "referrals": list(case.referrals.select_related("method")),
        "conferences": list(case.conferences.all()),
        "documents": list(case.documents.select_related("uploaded_by")),
    }
    return render_section(
        request,
        "cases/_work.html",
        context,
        title=_("Discussions, documents and referrals of case #%(n)s") % {"n": case.pk},
        back_url=f"{case.get_absolute_url()}#work",
    )


@login_required
def case_chronology(request, pk: int):
    """The case's chronology, a section of the case page loaded on demand: one page of entries,
    filtered by kind."""
    case, _path = open_record(request, selectors.case_queryset(), purpose="case chronology", pk=pk)
    kind = request.GET.get("kind", "")
    context = selectors.case_chronology(
        user=request.user, case=case, kind=kind, cursor=request.GET.get("after", "")
    )
    context.update(
        case=case,
        kind=kind,
        kinds=ChronologyEntry.Kind,
        manual_kinds=[k.value for k in ChronologyEntry.MANUAL_KINDS],
        can_correct=case.status == Case.Status.OPEN and can(request.user, Action.CHANGE, case),
    )
    return render_section(
        request,
        "cases/_chronology.html",
        context,
        title=_("Chronology of case #%(n)s") % {"n": case.pk},
        back_url=f"{case.get_absolute_url()}#chronology",
    )


def _case_for(request, pk: int, action: str) -> Case:
    return get_object_or_deny(request, selectors.case_queryset(), action, pk=pk)


@login_required
def entry_add(request, pk: int):
    """GET shows the form on its own page (a phone, or after a refusal); POST writes it."""
    case = _case_for(request, pk, Action.CHANGE)
    form = EntryForm(request.POST or None)

    def save(data):
        corrects = None
        if data.get("corrects"):
            corrects = selectors.entry_to_correct(
                user=request.user, case=case, entry_id=data["corrects"]
            )
            if corrects is None:
                raise Http404
        services.entry_add(
            user=request.user,
            case=case,
            kind=data["kind"],
            happened_at=data["happened_at"],
            title=data["title"],
            text=data["text"],
            corrects=corrects,
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The entry was added to the chronology."))
        return redirect(f"{case.get_absolute_url()}#chronology")
    return render(request, "cases/entry.html", {"case": case, "form": form})


@login_required
def member_add(request, pk: int):
    """The form on its own page: its list of everyone who may join is long."""
    case = _case_for(request, pk, Action.CHANGE)
    form = MemberForm(request.POST or None, workers=services.team_candidates(case))

    def save(data):
        services.member_add(
            user=request.user, case=case, member=data["user"], member_role=data["role"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The team was changed."))
        return redirect(f"{case.get_absolute_url()}#team-heading")
    return render(request, "cases/member.html", {"case": case, "form": form})


@login_required
@require_POST
def member_leave(request, pk: int, member_pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    membership = visible_of(
        request.user, case, CaseMember.objects.filter(pk=member_pk), Action.CHANGE
    ).first()
    if membership is None:
        raise Http404
    try:
        services.member_leave(
            user=request.user, case=case, membership=membership, **audit_context(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The team was changed."))
    return redirect(case)


@login_required
@require_POST
def concern_link(request, pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    form = LinkConcernForm(
        request.POST, concerns=selectors.concerns_to_link(user=request.user, case=case)
    )
    acted(
        request,
        form,
        lambda d: services.case_link_concern(
            user=request.user, case=case, concern=d["concern"], **audit_context(request)
        ),
        _("The concern joined the case."),
    )
    return redirect(case)


@login_required
def case_allocate(request, pk: int):
    case = _case_for(request, pk, Action.ALLOCATE)
    form = AllocateForm(
        request.POST or None,
        workers=services.team_candidates(case).exclude(pk=case.lead_worker_id),
        initial={"version": case.version},
    )

    def save(data):
        services.case_allocate(
            user=request.user,
            case=case,
            version=data["version"],
            lead_worker=data["lead_worker"],
            handover=data["handover"],
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The case was allocated."))
        return redirect(case)
    return render(request, "cases/allocate.html", {"case": case, "form": form})


@login_required
def case_programmes(request, pk: int):
    """The programmes the case counts for, changed by who may change the case."""
    case = _case_for(request, pk, Action.CHANGE)
    form = CaseProgrammesForm(
        request.POST or None,
        user=request.user,
        case=case,
        initial={"version": case.version, "programmes": list(case.programmes.all())},
    )

    def save(data):
        services.case_programmes(
            user=request.user, case=case, version=data["version"],
            programmes=data["programmes"], **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(case)
    return render(
        request,
        "cases/programmes.html",
        {"case": case, "form": form, "linked": programmes_shown(request.user, case)},
    )


@login_required
def case_close(request, pk: int):
    case = _case_for(request, pk, Action.CLOSE)
    reopening = case.status == Case.Status.CLOSED
    form_class = ReopenForm if reopening else CloseForm
    form = form_class(request.POST or None, initial={"version": case.version})

    def save(data):
        if reopening:
            services.case_reopen(
                user=request.user, case=case, version=data["version"], why=data["why"],
                **audit_context(request),
            )  # fmt: skip
        else:
            services.case_close(
                user=request.user, case=case, version=data["version"], reason=data["reason"],
                outcome=data["outcome"], note=data["note"], **audit_context(request),
            )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(
            request, _("The case was reopened.") if reopening else _("The case was closed.")
        )
        return redirect(case)
    return render(request, "cases/close.html", {"case": case, "form": form, "reopening": reopening})


# --- The problem map and the plan ----------------------------------------------------------------


@login_required
def problem_map(request, pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    form = ProblemMapForm(request.POST or None, domains=case.domains)

    def save(data):
        services.assess_problems(
            user=request.user,
            case=case,
            assessed_on=data["assessed_on"],
            severities=form.severities(),
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The problem map was assessed."))
        return redirect(f"{case.get_absolute_url()}#map-heading")
    return render(
        request,
        "cases/problem_map.html",
        {
            "case": case,
            "form": form,
            "domains": [
                (severity, note, row)
                for (severity, note), row in zip(
                    form.domain_fields(), selectors.problem_map(case=case), strict=True
                )
            ],
        },
    )


@login_required
def goal_add(request, pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    people = selectors.plan_people(user=request.user, case=case)
    form = GoalForm(request.POST or None, domains=case.domains, **people)

    def save(data):
        services.goal_add(
            user=request.user,
            case=case,
            child=data.get("child"),
            adult=data.get("adult"),
            text=data["text"],
            domain=data["domain"],
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The goal was added to the plan."))
        return redirect(f"{case.get_absolute_url()}#plan-heading")
    return render(request, "cases/plan_form.html", {"case": case, "form": form, "goal": None})


def _goal_for(case: Case, goal_pk: int) -> Goal:
    goal = selectors.case_goal(case=case, goal_id=goal_pk)
    if goal is None:
        raise Http404
    return goal


@login_required
def action_add(request, pk: int, goal_pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    goal = _goal_for(case, goal_pk)
    form = PlanActionForm(
        request.POST or None,
        team=selectors.team_users(case=case),
        methods=offerable_methods(request.user, [case.municipality_id]),
    )

    def save(data):
        services.action_add(
            user=request.user,
            goal=goal,
            text=data["text"],
            owner_kind=data["owner_kind"],
            owner=data["owner"],
            owner_name=data["owner_name"],
            due_on=data["due_on"],
            method=data.get("method"),
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The step was added to the plan."))
        return redirect(f"{case.get_absolute_url()}#goal-{goal.pk}")
    return render(request, "cases/plan_form.html", {"case": case, "form": form, "goal": goal})


@login_required
@require_POST
def goal_status(request, pk: int, goal_pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    goal = _goal_for(case, goal_pk)
    acted(
        request,
        StatusForm(request.POST),
        lambda d: services.goal_set_status(
            user=request.user,
            goal=goal,
            version=d["version"],
            status=d["status"],
            **audit_context(request),
        ),  # fmt: skip
        _("The plan was changed."),
    )
    return redirect(f"{case.get_absolute_url()}#goal-{goal.pk}")


@login_required
@require_POST
def action_status(request, pk: int, action_pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    action = selectors.case_step(case=case, step_id=action_pk)
    if action is None:
        raise Http404
    acted(
        request,
        StatusForm(request.POST),
        lambda d: services.action_set_status(
            user=request.user,
            action=action,
            version=d["version"],
            status=d["status"],
            **audit_context(request),
        ),  # fmt: skip
        _("The plan was changed."),
    )
    return redirect(f"{case.get_absolute_url()}#goal-{action.goal_id}")


@login_required
def plan_review(request, pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    form = ReviewForm(request.POST or None)

    def save(data):
        services.plan_review(
            user=request.user,
            case=case,
            reviewed_on=data["reviewed_on"],
            note=data["note"],
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The review was recorded."))
        return redirect(f"{case.get_absolute_url()}#plan-heading")
    return render(request, "cases/review.html", {"case": case, "form": form})


# --- Referrals -----------------------------------------------------------------------------------


def _partners_of(user, case: Case):
    """The partner organisations of the case's municipality that a referral or a conference
    may name."""
    return partner_choices(user, [case.municipality_id])


@login_required
def referral_add(request, pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    form = ReferralForm(
        request.POST or None,
        methods=offerable_methods(request.user, [case.municipality_id]),
        partners=_partners_of(request.user, case),
    )

    def save(data):
        services.referral_add(
            user=request.user,
            case=case,
            to=data["to"],
            partner=data["partner"],
            organisation=data["organisation"],
            reason=data["reason"],
            referred_on=data["referred_on"],
            method=data.get("method"),
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The referral was recorded."))
        return redirect(f"{case.get_absolute_url()}#work")
    return render(request, "cases/referral.html", {"case": case, "form": form, "referral": None})


@login_required
def referral_update(request, pk: int, referral_pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    referral = Referral.objects.filter(case=case, pk=referral_pk).select_related("case").first()
    if referral is None:
        raise Http404
    form = ReferralUpdateForm(
        request.POST or None,
        initial={
            "status": referral.status,
            "outcome": referral.outcome,
            "version": referral.version,
        },
    )

    def save(data):
        services.referral_update(
            user=request.user,
            referral=referral,
            version=data["version"],
            status=data["status"],
            outcome=data["outcome"],
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The referral was updated."))
        return redirect(f"{case.get_absolute_url()}#work")
    return render(
        request, "cases/referral.html", {"case": case, "form": form, "referral": referral}
    )


# --- Case conferences and discussions --------------------------------------------------------


@login_required
def conference_add(request, pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    form = ConferenceForm(
        request.POST or None,
        team=selectors.team_users(case=case),
        partners=_partners_of(request.user, case),
    )
    recorded = {}

    def save(data):
        recorded["conference"] = services.conference_record(
            user=request.user,
            case=case,
            kind=data["kind"],
            held_at=data["held_at"],
            agenda=data["agenda"],
            attendees=list(data["attendees"]),
            external_attendees=data["external_attendees"],
            partners=list(data["partners"]),
            minutes=data["minutes"],
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The conference was recorded. Add its decisions."))
        return redirect(recorded["conference"])
    return render(request, "cases/conference_form.html", {"case": case, "form": form})


def _conference_for(case: Case, conference_pk: int) -> CaseConference:
    conference = (
        CaseConference.objects.filter(case=case, pk=conference_pk)
        .select_related("case", "created_by")
        .prefetch_related("attendees", "decisions__step__owner")
        .first()
    )
    if conference is None:
        raise Http404
    return conference


@login_required
def conference_detail(request, pk: int, conference_pk: int):
    case, _path = open_record(request, selectors.case_queryset(), purpose="case conference", pk=pk)
    conference = _conference_for(case, conference_pk)
    can_change = can(request.user, Action.CHANGE, case) and case.status == Case.Status.OPEN
    form = None
    if can_change:
        form = DecisionForm(
            goals=case.goals.filter(status=Goal.Status.ACTIVE), team=selectors.team_users(case=case)
        )
    return render(
        request,
        "cases/conference.html",
        {"case": case, "conference": conference, "form": form},
    )


@login_required
def decision_add(request, pk: int, conference_pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    conference = _conference_for(case, conference_pk)
    form = DecisionForm(
        request.POST or None,
        goals=case.goals.filter(status=Goal.Status.ACTIVE),
        team=selectors.team_users(case=case),
    )

    def save(data):
        services.decision_add(
            user=request.user,
            conference=conference,
            text=data["text"],
            goal=data["goal"],
            owner_kind=data["owner_kind"],
            owner=data["owner"],
            owner_name=data["owner_name"],
            due_on=data["due_on"],
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The decision was recorded."))
        return redirect(conference)
    return render(
        request,
        "cases/conference.html",
        {"case": case, "conference": conference, "form": form},
    )


@login_required
def chronology_pdf(request, pk: int):
    """The chronology (of one kind, if chosen) as a PDF download, for those who may read the
    case; the export is audited with what it contained."""
    case = _case_for(request, pk, Action.VIEW)
    kind = request.GET.get("kind", "")
    entries = visible_of(
        request.user, case, ChronologyEntry.objects.select_related("author", "corrects")
    )
    if kind in ChronologyEntry.Kind.values:
        entries = entries.filter(kind=kind)
    else:
        kind = ""
    entries = list(entries.order_by("happened_at", "pk"))
    audit_export(
        request,
        case,
        purpose="case chronology PDF",
        changes={"entries": len(entries), "kind": kind or "all"},
    )
    return private_download(
        render_chronology(case, entries, user=request.user, kind=kind),
        filename=chronology_filename(case),
        content_type="application/pdf",
    )


# --- Documents -----------------------------------------------------------------------------------


@login_required
def document_add(request, pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    form = DocumentForm(request.POST or None, request.FILES or None)

    def save(data):
        services.document_add(
            user=request.user,
            case=case,
            title=data["title"],
            upload=data["file"],
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The document was added."))
        return redirect(f"{case.get_absolute_url()}#work")
    return render(request, "cases/document.html", {"case": case, "form": form})


@login_required
def document_download(request, pk: int, document_pk: int):
    """A document of the case, for those who may read the case: always a download, audited."""
    case, _path = open_record(request, selectors.case_queryset(), purpose="case document", pk=pk)
    document = case.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404
    return private_download(
        document.file.open("rb"),
        filename=document.original_name,
        content_type=document.content_type,
    )


def _family_adults(request, case: Case):
    """The adults related to the case's children whom the user may see."""
    from earlyhelp.people.models import Adult

    return visible(
        request.user,
        Adult.objects.filter(relationships__child__case_places__case=case).select_related(
            "municipality__jurisdiction"
        ),
        Action.VIEW,
    ).order_by("family_name", "given_name")


@login_required
def participant_add(request, pk: int):
    case = _case_for(request, pk, Action.CHANGE)
    form = ParticipantForm(request.POST or None, adults=_family_adults(request, case))

    def save(data):
        services.participant_add(
            user=request.user, case=case, adult=data["adult"], participant_role=data["role"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The team was changed."))
        return redirect(f"{case.get_absolute_url()}#team-heading")
    return render(request, "cases/participant.html", {"case": case, "form": form})


# --- Outcomes for programmes ---------------------------------------------------------------------


@login_required
def outcome_add(request, pk: int):
    """An outcome of a programme the case counts for, reached on a day."""
    case = _case_for(request, pk, Action.CHANGE)
    named, _more = programmes_shown(request.user, case)
    form = OutcomeForm(
        request.POST or None,
        categories=outcomes.open_categories(case),
        named=[p.pk for p in named],
    )

    def save(data):
        outcomes.outcome_record(
            user=request.user,
            case=case,
            category=data["category"],
            achieved_on=data["achieved_on"],
            note=data["note"],
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The outcome was recorded."))
        return redirect(f"{case.get_absolute_url()}#programmes")
    return render(request, "cases/outcome.html", {"case": case, "form": form, "outcome": None})


@login_required
def outcome_remove(request, pk: int, outcome_pk: int):
    """Remove an outcome recorded by mistake: GET asks why, POST removes it."""
    case = _case_for(request, pk, Action.CHANGE)
    outcome = (
        visible_of(
            request.user, case, ProgrammeOutcome.objects.filter(pk=outcome_pk), Action.CHANGE
        )
        .select_related("category__programme")
        .first()
    )
    if outcome is None:
        raise Http404
    form = OutcomeRemoveForm(request.POST or None, initial={"version": outcome.version})

    def save(data):
        outcomes.outcome_remove(
            user=request.user,
            case=case,
            outcome=outcome,
            version=data["version"],
            why=data["why"],
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The outcome was removed."))
        return redirect(f"{case.get_absolute_url()}#programmes")
    return render(request, "cases/outcome.html", {"case": case, "form": form, "outcome": outcome})
