"""The privacy pages of a municipality's data-protection officers (and, to read, its
administrators): the retention periods in force, the batches of records due for erasure with
their dry run and the officer's decision, and the legal holds; and the officers' own register
of the data subjects' requests, with the copy of a person's data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.access.shortcuts import audit_export, audit_list, audit_read, get_object_or_deny
from earlyhelp.core.downloads import private_download
from earlyhelp.core.keyset import Key, keyset_page
from earlyhelp.organisations.models import Municipality
from earlyhelp.privacy import tasks
from earlyhelp.privacy.access import deciding_municipalities, read_municipalities
from earlyhelp.privacy.forms import (
    AnswerForm,
    DecisionForm,
    ExtendForm,
    HoldForm,
    LiftForm,
    RequestForm,
)
from earlyhelp.privacy.models import LegalHold, RetentionBatch, RetentionItem, SubjectRequest
from earlyhelp.privacy.requests import (
    request_answer,
    request_extend,
    request_register,
    restriction_lift,
)
from earlyhelp.privacy.retention import (
    EVENTS,
    RULES,
    kind_of,
    kinds,
    periods_for,
    propose_for,
    retention_decide,
)
from earlyhelp.privacy.services import hold_lift, hold_place
from earlyhelp.privacy.subject import copy_filename, subject_copy

ITEM_KEYS = [Key("event_on"), Key("object_id")]
ITEMS_PER_PAGE = 100
RECENT_BATCHES = 10


def _may_list(user, model) -> None:
    if not can(user, Action.LIST, model):
        raise PermissionDenied


def _municipalities(user) -> list[Municipality]:
    return list(
        Municipality.objects.filter(pk__in=read_municipalities(user))
        .select_related("jurisdiction")
        .order_by("name", "pk")
    )


@login_required
def overview(request):
    _may_list(request.user, RetentionBatch)
    applied = {kind.rule for kind in kinds()}
    places = []
    for municipality in _municipalities(request.user):
        periods = periods_for(municipality)
        places.append(
            {
                "municipality": municipality,
                "periods": [
                    {"label": label, "period": periods.get(rule), "applied": rule in applied}
                    for rule, label in RULES.items()
                ],
            }
        )
    batches = visible(request.user, RetentionBatch.objects.select_related("municipality"))
    waiting = batches.filter(state=RetentionBatch.State.PROPOSED)
    return render(
        request,
        "privacy/overview.html",
        {
            "places": places,
            "waiting": _named(waiting.order_by("proposed_at", "pk")),
            "decided": _named(
                batches.exclude(state=RetentionBatch.State.PROPOSED).order_by("-decided_at", "-pk"),
                RECENT_BATCHES,
            ),
            "holds_active": visible(request.user, LegalHold.objects.all())
            .filter(lifted_at__isnull=True)
            .count(),
            "may_decide": can(request.user, Action.CREATE, RetentionBatch),
            **_requests_due(request.user),
        },
    )


def _requests_due(user) -> dict:
    if not can(user, Action.LIST, SubjectRequest):
        return {"requests_open": None}
    open_rows = visible(user, SubjectRequest.objects.filter(state=SubjectRequest.State.OPEN))
    return {
        "requests_open": open_rows.count(),
        "requests_overdue": open_rows.filter(due_on__lt=timezone.localdate()).count(),
    }


def _named(batches, limit: int | None = None) -> list[RetentionBatch]:
    """The batches with their kind in words and their number of records (one query)."""
    rows = list(batches.annotate(size=Count("items"))[:limit])
    for batch in rows:
        kind = kind_of(batch.kind)
        batch.kind_label = kind.label if kind else batch.kind
    return rows


@login_required
@require_POST
def propose_now(request):
    if not can(request.user, Action.CREATE, RetentionBatch):
        raise PermissionDenied
    deciding = deciding_municipalities(request.user)
    for municipality in _municipalities(request.user):
        if municipality.pk in deciding:
            propose_for(municipality)
    messages.success(request, _("The records due today were looked for again."))
    return redirect("privacy:overview")


@login_required
def batch_detail(request, pk: int, form: DecisionForm | None = None):
    batch = get_object_or_deny(
        request, RetentionBatch.objects.select_related("municipality", "decided_by"), pk=pk
    )
    kind = kind_of(batch.kind)
    items = batch.items.all()
    page = keyset_page(items, ITEM_KEYS, request.GET.get("after", ""), ITEMS_PER_PAGE)
    for item in page.rows:
        item.reference = kind.name(item.object_id) if kind else f"{batch.kind} {item.object_id}"
    size = items.count()
    audit_list(
        request,
        object_type="privacy.retentionbatch",
        object_id=str(batch.pk),
        purpose="retention batch",
        changes={"records": len(page.rows)},
    )
    may_decide = batch.state == RetentionBatch.State.PROPOSED and can(
        request.user, Action.CHANGE, batch
    )
    return render(
        request,
        "privacy/batch.html",
        {
            "batch": batch,
            "basis": _basis(batch, kind),
            "kind_label": kind.label if kind else batch.kind,
            "page": page,
            "size": size,
            "counts": {
                state: items.filter(state=state).count()
                for state in RetentionItem.State.values
                if batch.state != RetentionBatch.State.PROPOSED
            },
            "form": form or DecisionForm(initial={"items": size}),
            "may_decide": may_decide,
        },
        status=400 if form is not None else 200,
    )


def _basis(batch: RetentionBatch, kind) -> str:
    """The batch's period in the reader's language: as the profile and the municipality set it
    now, or, if that changed since the batch was found, as it was then."""
    period = periods_for(batch.municipality).get(kind.rule) if kind else None
    if period is not None and (period.months, period.event) == (batch.months, batch.event):
        return period.basis()
    return _("%(months)s months from %(event)s (the period when the batch was found)") % {
        "months": batch.months,
        "event": EVENTS.get(batch.event, batch.event),
    }


@login_required
@require_POST
def batch_decide(request, pk: int):
    batch = get_object_or_deny(request, RetentionBatch.objects.all(), Action.CHANGE, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            batch = retention_decide(
                batch=batch,
                user=request.user,
                approve=approve,
                items_seen=form.cleaned_data["items"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if approve:
                transaction.on_commit(lambda: tasks.apply_retention_batch.enqueue(batch.pk))
                messages.success(request, _("Approved: the records are being erased."))
            else:
                messages.success(request, _("Rejected: nothing was erased."))
            return redirect("privacy:batch", pk=batch.pk)
    return batch_detail(request, pk, form=form)


@login_required
def holds(request, form: HoldForm | None = None):
    _may_list(request.user, LegalHold)
    rows = visible(request.user, LegalHold.objects.select_related("placed_by", "lifted_by"))
    return render(
        request,
        "privacy/holds.html",
        {
            "active": rows.filter(lifted_at__isnull=True),
            "lifted": rows.filter(lifted_at__isnull=False)[:RECENT_BATCHES],
            "form": form or HoldForm(),
            "may_place": can(request.user, Action.CREATE, LegalHold),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_POST
def hold_add(request):
    if not can(request.user, Action.CREATE, LegalHold):
        raise PermissionDenied
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            hold_place(
                user=request.user,
                municipality_ids=deciding_municipalities(request.user),
                kind=form.cleaned_data["kind"],
                number=form.cleaned_data["number"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The legal hold is in place."))
            return redirect("privacy:holds")
    return holds(request, form=form)


@login_required
@require_POST
def hold_end(request, pk: int):
    hold = get_object_or_deny(request, LegalHold.objects.all(), Action.CHANGE, pk=pk)
    form = LiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the hold ends."))
        return redirect("privacy:holds")
    try:
        hold_lift(user=request.user, hold=hold, reason=form.cleaned_data["lift_reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The legal hold was lifted."))
    return redirect("privacy:holds")


# --- The register of the data subjects' requests -------------------------------------------------


@login_required
def requests(request, form: RequestForm | None = None):
    _may_list(request.user, SubjectRequest)
    rows = visible(request.user, SubjectRequest.objects.all())
    today = timezone.localdate()
    open_rows = list(rows.filter(state=SubjectRequest.State.OPEN).order_by("due_on", "pk"))
    for row in open_rows:
        row.overdue = row.is_overdue(today)
    audit_list(
        request,
        object_type="privacy.subjectrequest",
        purpose="data subjects' requests",
        changes={"rows": len(open_rows)},
    )
    return render(
        request,
        "privacy/requests.html",
        {
            "open": open_rows,
            "answered": rows.exclude(state=SubjectRequest.State.OPEN).order_by(
                "-answered_on", "-pk"
            )[:RECENT_BATCHES],
            "form": form or RequestForm(initial={"received_on": today}),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_POST
def request_add(request):
    if not can(request.user, Action.CREATE, SubjectRequest):
        raise PermissionDenied
    form = RequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = request_register(
                user=request.user,
                municipality_ids=deciding_municipalities(request.user),
                person_kind=data["person_kind"],
                number=data["number"],
                right=data["right"],
                received_on=data["received_on"],
                requester=data["requester"],
                details=data["details"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, _("The request is registered; its answer is due on the date shown.")
            )
            return redirect("privacy:request", pk=made.pk)
    return requests(request, form=form)


@login_required
def request_detail(request, pk: int, forms_given: dict | None = None):
    subject_request = get_object_or_deny(
        request,
        SubjectRequest.objects.select_related("registered_by", "answered_by"),
        pk=pk,
    )
    audit_read(request, subject_request, purpose="data subject's request")
    forms_given = forms_given or {}
    person = subject_request.person
    return render(
        request,
        "privacy/request.html",
        {
            "item": subject_request,
            "overdue": subject_request.is_overdue(timezone.localdate()),
            "restricted": person.processing_restricted_at,
            "extend_form": forms_given.get("extend") or ExtendForm(),
            "answer_form": forms_given.get("answer") or AnswerForm(),
            "may_change": can(request.user, Action.CHANGE, subject_request),
        },
        status=400 if forms_given else 200,
    )


def _request_step(request, pk: int, form_class, key: str, step, done: str):
    """One step on an open request (extend, answer): the form, the step, and the request's
    page again with what was typed and why when refused."""
    subject_request = get_object_or_deny(
        request, SubjectRequest.objects.all(), Action.CHANGE, pk=pk
    )
    form = form_class(request.POST)
    if form.is_valid():
        try:
            step(subject_request, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, done)
            return redirect("privacy:request", pk=pk)
    return request_detail(request, pk, forms_given={key: form})


@login_required
@require_POST
def request_extend_view(request, pk: int):
    return _request_step(
        request,
        pk,
        ExtendForm,
        "extend",
        lambda item, data: request_extend(user=request.user, request=item, reason=data["reason"]),
        _("The answer is now due on the extended date."),
    )


@login_required
@require_POST
def request_answer_view(request, pk: int):
    return _request_step(
        request,
        pk,
        AnswerForm,
        "answer",
        lambda item, data: request_answer(
            user=request.user,
            request=item,
            refuse=data["decision"] == "refuse",
            outcome=data["outcome"],
        ),
        _("The answer is recorded."),
    )


@login_required
@require_POST
def request_lift(request, pk: int):
    subject_request = get_object_or_deny(
        request, SubjectRequest.objects.all(), Action.CHANGE, pk=pk
    )
    try:
        restriction_lift(user=request.user, request=subject_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The restriction of processing is lifted."))
    return redirect("privacy:request", pk=pk)


@login_required
def request_copy(request, pk: int, extension: str):
    subject_request = get_object_or_deny(
        request, SubjectRequest.objects.all(), Action.CHANGE, pk=pk
    )
    if subject_request.right != SubjectRequest.Right.ACCESS:
        raise Http404
    person = subject_request.person
    made = subject_copy(person)
    audit_export(
        request,
        person,
        purpose="copy of personal data (GDPR Art. 15)",
        changes={"request": subject_request.pk, "format": extension},
    )
    if extension == "json":
        body, content_type = made.as_json(), "application/json"
    else:
        body, content_type = made.as_pdf(), "application/pdf"
    return private_download(
        body, filename=copy_filename(person, extension), content_type=content_type
    )
