"""Concern pages: report (with autosave), my concerns, the triage queue, the institution's
overview, the concern itself with decision and conversation. Thin: policy, service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible, visible_of
from earlyhelp.access.shortcuts import (
    audit_context,
    audit_list,
    audit_read,
    get_object_or_deny,
    open_record,
)
from earlyhelp.concerns import selectors, services
from earlyhelp.concerns.access import (
    led_institutions,
    receiving_institutions,
    reporting_institutions,
    triage_institutions,
)
from earlyhelp.concerns.figures import concern_figures
from earlyhelp.concerns.forms import ConcernChildFormSet, ConcernForm, DecisionForm, MessageForm
from earlyhelp.concerns.models import Concern, ConcernDeadline
from earlyhelp.concerns.official_form import official_form_filename, render_official_form
from earlyhelp.core.downloads import private_download
from earlyhelp.core.list_filters import ListFilterForm
from earlyhelp.core.text import plain_number
from earlyhelp.core.versioning import StaleVersionError, posted_version
from earlyhelp.organisations.emergency import emergency_lines
from earlyhelp.organisations.models import Institution

ALREADY_TRIAGED = gettext_lazy(
    "Someone else triaged this concern a moment ago. Their decision is shown below."
)


def _report_forms(request, concern: Concern | None, follows: Concern | None = None):
    institution_ids = reporting_institutions(request.user)
    institutions = Institution.objects.filter(pk__in=institution_ids).select_related(
        "municipality__jurisdiction"
    )
    receiving = receiving_institutions(institution_ids)
    offered = [i for i in institutions if i.pk in receiving]
    children = selectors.reportable_children(user=request.user, institution_ids=institution_ids)
    data = request.POST if request.method == "POST" else None
    # A written signal that follows an oral one starts from what the oral one recorded.
    source = concern or follows
    form_initial = {}
    if concern is None and follows is not None:
        form_initial = {f: getattr(follows, f) for f in services.DRAFT_FIELDS}
        if follows.institution_id in receiving:
            form_initial["institution"] = follows.institution_id
    if follows is not None:
        form_initial["follows_up"] = follows.pk
    form = ConcernForm(
        data,
        instance=concern,
        institutions=institutions,
        offered=offered,
        preselect=None
        if data is not None
        else selectors.likely_institution(user=request.user, offered=receiving),
        initial=form_initial,
    )
    initial = None
    if source is not None and data is None:
        # A child the triager named whom the reporter cannot pick is carried by name (the
        # reporter sees it on their oral signal), to be matched again by the triager.
        pickable = set(children.values_list("pk", flat=True))
        initial = [
            {"child": link.child_id, "described_as": "", "role": link.role}
            if link.child_id in pickable
            else {
                "child": None,
                "described_as": link.described_as or link.child.full_name,
                "role": link.role,
            }
            for link in visible_of(request.user, source, source.children.select_related("child"))
        ]
    classes = selectors.report_classes(user=request.user, institution_ids=institution_ids)
    formset = ConcernChildFormSet(
        data,
        initial=initial,
        prefix="children",
        form_kwargs={"children": children, "classes": classes},
    )
    unreceived = [i for i in institutions if i.pk not in receiving]
    return form, formset, unreceived


def _oral_signal_followed(request, concern: Concern | None) -> Concern | None:
    """The reporter's own oral signal that this report follows in writing, if any."""
    if concern is not None:
        return concern.follows_up
    pk = plain_number(request.POST.get("follows_up") or request.GET.get("follows"))
    if pk is None:
        return None
    oral = get_object_or_deny(request, Concern.objects.all(), Action.VIEW, pk=pk)
    if oral.reporter_id != request.user.pk or oral.channel != Concern.Channel.ORAL:
        raise PermissionDenied
    return oral


def _posted_concern(request, pk: int | None) -> Concern | None:
    """The concern this form already saved: the one being edited, or the draft named by the
    form (its id, or its token when the first autosave's answer has not arrived yet). Raises
    ConcernAlreadySent when it was sent: the form's token is spent."""
    draft = pk if pk is not None else plain_number(request.POST.get("draft"))
    concern = None
    if draft is not None:
        concern = get_object_or_deny(request, Concern.objects.all(), Action.VIEW, pk=draft)
    elif request.method == "POST":
        token = request.POST.get("form_token", "")[:32]
        concern = services.concern_of_form(user=request.user, form_token=token)
    if concern is None:
        return None
    if not concern.is_draft and concern.reporter_id == request.user.pk:
        raise services.ConcernAlreadySent(concern)
    if not can(request.user, Action.CHANGE, concern):
        raise PermissionDenied
    return concern


def _already_sent(request, concern: Concern):
    """The answer to a request of a form whose report is sent: nothing changes, and the
    reporter is told where to find it (opening a sent report's form shows the report)."""
    if request.method != "POST":
        return redirect(concern)
    if request.htmx:
        return render(request, "concerns/_autosaved.html", {"sent": concern})
    return render(request, "concerns/already_sent.html", {"concern": concern}, status=409)


@login_required
def concern_report(request, pk: int | None = None):
    """The report form. Autosave (htmx) and "Save draft" keep a draft; "Send" submits it.
    Once sent, the form's token is spent: a repeated Send or a late autosave is told so."""
    try:
        concern = _posted_concern(request, pk)
    except services.ConcernAlreadySent as sent:
        return _already_sent(request, sent.concern)
    if not can(request.user, Action.REPORT, Concern):
        raise PermissionDenied
    follows = _oral_signal_followed(request, concern)
    form, formset, unreceived = _report_forms(request, concern, follows)
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            rows = [f.cleaned_data for f in formset if f.cleaned_data and f.is_filled]
            report = {
                "user": request.user,
                "institution": form.cleaned_data["institution"],
                "data": form.cleaned_data,
                "children": rows,
                "concern": concern,
                "form_token": form.cleaned_data.get("form_token") or "",
                "follows_up": follows,
                **audit_context(request),
            }
            try:
                if "send" in request.POST and not request.htmx:
                    concern = services.concern_send(
                        **report, uploads=request.FILES.getlist("attachments")
                    )
                    return redirect("concerns:sent", pk=concern.pk)
                concern = services.concern_save_draft(**report)
                if request.htmx:
                    return render(request, "concerns/_autosaved.html", {"concern": concern})
                uploads = request.FILES.getlist("attachments")
                if uploads:
                    services.concern_attach(
                        user=request.user,
                        concern=concern,
                        uploads=uploads,
                        **audit_context(request),
                    )
                messages.success(request, _("Your draft is saved."))
                return redirect("concerns:edit", pk=concern.pk)
            except services.ConcernAlreadySent as sent:
                return _already_sent(request, sent.concern)
            except StaleVersionError as error:
                form.add_error(None, error.args[0])
            except services.ReportNotSent as error:
                form.add_error(None, error.messages)
                concern = error.draft
                form.data = form.data.copy()
                form.data["draft"], form.data["version"] = concern.pk, concern.version
            except ValidationError as error:
                form.add_error(None, error.messages)
                if concern is not None:
                    form.data = form.data.copy()
                    form.data["draft"], form.data["version"] = concern.pk, concern.version
        if request.htmx:
            return render(request, "concerns/_autosaved.html", {"concern": concern, "failed": True})
    offered = form.fields["institution"].widget.choices
    institution = concern.institution if concern else None
    if institution is None:
        institution = next(iter(form.fields["institution"].queryset), None)
    return render(
        request,
        "concerns/report.html",
        {
            "form": form,
            "formset": formset,
            "concern": concern,
            "follows": follows,
            "receives": any(value for value, _label in offered),
            "unreceived": [services.receiver_problems(i)[0] for i in unreceived],
            "emergency": institution.municipality.jurisdiction.emergency_number
            if institution
            else "112",
            "emergency_lines": emergency_lines(
                institution.municipality.jurisdiction if institution else None
            ),
            "max_mb": settings.EARLYHELP_ATTACHMENT_MAX_BYTES // 1024**2,
        },
    )


@login_required
def concern_sent(request, pk: int):
    concern = get_object_or_deny(request, Concern.objects.all(), Action.VIEW, pk=pk)
    if concern.reporter_id != request.user.pk:
        raise PermissionDenied
    jurisdiction = concern.municipality.jurisdiction
    return render(
        request,
        "concerns/sent.html",
        {
            "concern": concern,
            "emergency": jurisdiction.emergency_number,
            "emergency_lines": emergency_lines(jurisdiction),
        },
    )


SORT_DEADLINE = ("deadline", gettext_lazy("Nearest deadline first"))
SORT_RECEIVED = ("received", gettext_lazy("Newest first"))
SORT_DUE = ("due", gettext_lazy("Nearest deadline first"))


def _list_filters(request, *, institution_ids, statuses, sorts, **fields) -> ListFilterForm:
    """The list's filter form, from the query string, with the institutions the policy gave."""
    return ListFilterForm(
        request.GET,
        institutions=Institution.objects.filter(pk__in=institution_ids).order_by("name"),
        statuses=[(s.value, s.label) for s in statuses],
        sorts=sorts,
        period_label=_("Received between these days."),
        **fields,
    )


def _list(request, mode: str, page, form: ListFilterForm, **context):
    audit_list(
        request,
        object_type="concerns.concern",
        purpose=f"concerns: {mode}",
        changes={"rows": len(page.rows), "searched": bool(form.filters.get("child"))},
    )
    return render(
        request, "concerns/list.html", {"page": page, "mode": mode, "form": form, **context}
    )


@login_required
def my_concerns(request):
    if not can(request.user, Action.REPORT, Concern):
        raise PermissionDenied
    form = _list_filters(
        request,
        institution_ids=reporting_institutions(request.user),
        statuses=[s for s in Concern.Status if s != Concern.Status.DRAFT],
        sorts=[SORT_RECEIVED, SORT_DUE],
    )
    page = selectors.my_concerns(
        user=request.user, filters=form.filters, cursor=request.GET.get("after", "")
    )
    return _list(
        request,
        "mine",
        page,
        form,
        drafts=[] if request.GET.get("after") else selectors.my_drafts(user=request.user),
        waiting_written=selectors.waiting_for_written_signal(user=request.user),
    )


@login_required
def triage_queue(request):
    if not can(request.user, Action.LIST_QUEUE, Concern):
        raise PermissionDenied
    form = _list_filters(
        request,
        institution_ids=triage_institutions(request.user),
        statuses=selectors.OPEN_STATUSES,
        sorts=[SORT_DEADLINE, SORT_RECEIVED],
        overdue=True,
    )
    page = selectors.triage_queue(
        user=request.user, filters=form.filters, cursor=request.GET.get("after", "")
    )
    return _list(request, "queue", page, form)


@login_required
def institution_concerns(request):
    if not can(request.user, Action.LIST_INSTITUTION, Concern):
        raise PermissionDenied
    form = _list_filters(
        request,
        institution_ids=led_institutions(request.user),
        statuses=[s for s in Concern.Status if s != Concern.Status.DRAFT],
        sorts=[SORT_RECEIVED],
    )
    page = selectors.institution_concerns(
        user=request.user, filters=form.filters, cursor=request.GET.get("after", "")
    )
    return _list(request, "institution", page, form)


@login_required
def concern_dashboard(request):
    if not can(request.user, Action.VIEW_STATS, Concern):
        raise PermissionDenied
    return render(
        request, "concerns/dashboard.html", {"figures": concern_figures(user=request.user)}
    )


@login_required
def concern_detail(request, pk: int):
    concern, path = open_record(
        request, Concern.objects.select_related("institution", "reporter"), purpose="concern", pk=pk
    )
    return _detail(request, concern)


def _detail(request, concern: Concern, forms: dict | None = None, status: int = 200):
    """The concern's page; a refused form (`forms`) is shown as it came, with its reasons."""
    details = can(request.user, Action.VIEW_DETAILS, concern)
    context = {
        "concern": concern,
        "details": details,
        "can_triage": can(request.user, Action.TRIAGE, concern),
        "show_decision": can(request.user, Action.VIEW_DECISION, concern),
        "can_message": can(request.user, Action.MESSAGE, concern),
        "can_close": can(request.user, Action.CLOSE, concern),
        "feedback": concern.feedback.all(),
        "is_reporter": concern.reporter_id == request.user.pk,
        "deadlines": concern.deadlines.all(),
        "written_due": concern.deadlines.filter(
            code=ConcernDeadline.WRITTEN_FOLLOW_UP, met_at__isnull=True
        ).first()
        if concern.channel == Concern.Channel.ORAL
        else None,
        "written_follow_ups": visible(
            request.user, concern.written_follow_ups.exclude(status=Concern.Status.DRAFT)
        ),
        "decision_form": DecisionForm(initial={"version": concern.version}),
        "message_form": MessageForm(),
        **(forms or {}),
    }
    if details:
        context["attachments"] = concern.attachments.all()
        context["children"] = selectors.concern_children(user=request.user, concern=concern)
        context["messages_thread"] = concern.messages.select_related("author")
    if context["show_decision"] and any(not c.child_id for c in context.get("children", [])):
        context["matchable"] = selectors.matchable_children(user=request.user, concern=concern)
    if context["show_decision"] and concern.decision == Concern.Decision.CASE:
        context.update(_concern_case(request.user, concern))
    if context["show_decision"] and concern.decision == Concern.Decision.WELLBEING_CONVERSATION:
        from earlyhelp.activities.models import Activity

        context["can_plan_activity"] = can(request.user, Action.CREATE, Activity)
    if context["show_decision"]:
        context["pattern"] = selectors.concern_pattern(
            user=request.user,
            child_ids=[c.child_id for c in context["children"] if c.child_id],
        )
    return render(request, "concerns/detail.html", context, status=status)


def _concern_case(user, concern: Concern) -> dict:
    """The case a concern decided as "open or join a case" is in, if the user may see it;
    else whether the user may open one from it, and whether open cases of its children exist."""
    from earlyhelp.cases.models import Case

    link = concern.case_link if hasattr(concern, "case_link") else None
    if link is not None:
        return {"case": visible(user, Case.objects.filter(pk=link.case_id)).first()}
    links = visible_of(user, concern, concern.children.all())
    child_ids = [c.child_id for c in links if c.child_id]
    return {
        "can_open_case": can(user, Action.CREATE, Case),
        "joinable_cases": visible(user, Case.objects.filter(status=Case.Status.OPEN))
        .filter(case_children__child_id__in=child_ids)
        .exists(),
    }


@login_required
@require_POST
def concern_decide(request, pk: int):
    concern = get_object_or_deny(request, Concern.objects.all(), Action.VIEW, pk=pk)
    if not can(request.user, Action.TRIAGE, concern):
        if concern.decision and can(request.user, Action.VIEW_DECISION, concern):
            messages.error(request, ALREADY_TRIAGED)
            return redirect(concern)
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.concern_decide(
                user=request.user,
                concern=concern,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                child_at_risk=form.cleaned_data["child_at_risk"],
                share_measure_type=form.cleaned_data["share_measure_type"],
                **audit_context(request),
            )
        except StaleVersionError:
            messages.error(request, ALREADY_TRIAGED)
            return redirect(concern)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(concern)
    # The page again, with the chosen decision, the answers and the typed reason kept and the
    # reason for the refusal on the form: a refusal never costs the triager what they wrote.
    audit_read(request, concern, purpose="concern")
    return _detail(request, concern, {"decision_form": form}, status=400)


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    """A photo or PDF of a concern, for those who may read the report; always as a download,
    never rendered inline, and audited."""
    concern, _path = open_record(
        request, Concern.objects.all(), Action.VIEW_DETAILS, purpose="attachment", pk=pk
    )
    attachment = concern.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return private_download(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def concern_match_child(request, pk: int, link_pk: int):
    concern = get_object_or_deny(request, Concern.objects.all(), Action.VIEW_DECISION, pk=pk)
    link = visible_of(request.user, concern, concern.children.filter(pk=link_pk)).first()
    candidates = selectors.matchable_children(user=request.user, concern=concern)
    child_id = plain_number(request.POST.get("child"))
    child = candidates.filter(pk=child_id).first() if child_id is not None else None
    if link is None:
        raise Http404
    if child is None:
        messages.error(request, _("Choose the child's record from the list."))
        return redirect(concern)
    try:
        services.concern_match_child(
            user=request.user, concern=concern, link=link, child=child, **audit_context(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The child is matched to their record."))
    return redirect(concern)


@login_required
@require_POST
def concern_close(request, pk: int):
    concern = get_object_or_deny(request, Concern.objects.all(), Action.CLOSE, pk=pk)
    try:
        services.concern_close(
            user=request.user,
            concern=concern,
            version=posted_version(request.POST.get("version")),
            **audit_context(request),
        )
    except StaleVersionError as error:
        messages.error(request, error.args[0])
    else:
        messages.success(request, _("The concern is closed."))
    return redirect(concern)


@login_required
@require_POST
def concern_acknowledge(request, pk: int):
    concern = get_object_or_deny(request, Concern.objects.all(), Action.TRIAGE, pk=pk)
    try:
        services.concern_acknowledge(
            user=request.user,
            concern=concern,
            version=posted_version(request.POST.get("version")),
            **audit_context(request),
        )
    except (StaleVersionError, PermissionDenied):
        messages.error(request, _("This concern was already acknowledged or triaged."))
    else:
        messages.success(request, _("Receipt acknowledged."))
    return redirect(concern)


@login_required
@require_POST
def concern_message(request, pk: int):
    concern = get_object_or_deny(request, Concern.objects.all(), Action.MESSAGE, pk=pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        services.concern_message(
            user=request.user,
            concern=concern,
            body=form.cleaned_data["body"],
            **audit_context(request),
        )
        messages.success(request, _("Message sent."))
    else:
        messages.error(request, _("Write a message."))
    return redirect(f"{concern.get_absolute_url()}#conversation")


@login_required
def official_form(request, pk: int):
    """The concern's official form (HU jelzőlap, CZ oznámení OSPOD, DK underretning or the
    generic form) as a PDF, for those who may read the report: a sent concern only, always
    as a download, audited."""
    concern, _path = open_record(
        request,
        Concern.objects.exclude(status=Concern.Status.DRAFT).select_related(
            "institution", "municipality__jurisdiction", "profile", "reporter", "received_by"
        ),
        Action.VIEW_DETAILS,
        purpose="official_form",
        pk=pk,
    )
    return private_download(
        render_official_form(concern, user=request.user),
        filename=official_form_filename(concern),
        content_type="application/pdf",
    )
