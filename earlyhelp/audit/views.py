"""The audit-log page of a municipality's administrators and data-protection officers: the log
filtered and paged newest first, its CSV export (a background task with a progress bar) and
the verification of the chain."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can
from earlyhelp.access.shortcuts import audit_export, audit_list, get_object_or_deny
from earlyhelp.audit import tasks
from earlyhelp.audit.exports import EXPORT_LIMIT, export_request
from earlyhelp.audit.forms import AuditFilterForm
from earlyhelp.audit.models import AuditEvent, AuditExport, VerificationRun
from earlyhelp.audit.selectors import last_verifications, log_rows
from earlyhelp.audit.verify import last_checkpoint, verification_start
from earlyhelp.core.downloads import private_download
from earlyhelp.core.keyset import Key, keyset_page

KEYS = [Key("at", descending=True), Key("pk", descending=True)]
PAGE_SIZE = 50
FILTER_NAMES = ("kind", "record", "account", "action", "purpose", "since", "until")


def _may_read_log(user) -> None:
    if not can(user, Action.LIST, AuditEvent):
        raise PermissionDenied


@login_required
def audit_log(request):
    _may_read_log(request.user)
    data = request.GET if any(request.GET.get(name) for name in FILTER_NAMES) else None
    form = AuditFilterForm(data)
    page = None
    if data is None or form.is_valid():
        filters = form.stored() if data is not None else {}
        page = keyset_page(
            log_rows(request.user, filters), KEYS, request.GET.get("after", ""), PAGE_SIZE
        )
        audit_list(
            request,
            object_type="audit.auditevent",
            purpose="audit log",
            changes={"filters": filters, "rows": len(page.rows)},
        )
    exports = AuditExport.objects.filter(requested_by=request.user).order_by(
        "-requested_at", "-id"
    )[:3]
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "exports": exports,
            "export_limit": EXPORT_LIMIT,
            "runs": last_verifications(request.user),
            "checkpoint": last_checkpoint(),
            "may_verify": can(request.user, Action.CREATE, VerificationRun),
            "may_export": can(request.user, Action.CREATE, AuditExport),
        },
    )


@login_required
@require_POST
def audit_export_start(request):
    if not can(request.user, Action.CREATE, AuditExport):
        raise PermissionDenied
    form = AuditFilterForm(request.POST)
    back = reverse("audit:log")
    if not form.is_valid():
        messages.error(
            request,
            _("Correct the filters before exporting: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
        return redirect(back)
    filters = form.stored()
    export = export_request(user=request.user, filters=filters)
    audit_export(
        request,
        export,
        purpose="audit log export",
        changes={"filters": filters, "limit": EXPORT_LIMIT},
    )
    tasks.write_audit_export.enqueue(export.pk)
    messages.success(request, _("The export is being written; its progress is shown below."))
    query = {name: request.POST[name] for name in FILTER_NAMES if request.POST.get(name)}
    return redirect(f"{back}?{urlencode(query)}" if query else back)


@login_required
def audit_export_status(request, pk: int):
    export = get_object_or_deny(request, AuditExport.objects.all(), pk=pk)
    return render(request, "audit/export_status.html", {"export": export})


@login_required
def audit_export_download(request, pk: int):
    export = get_object_or_deny(request, AuditExport.objects.all(), pk=pk)
    if export.state != AuditExport.State.DONE or not export.file:
        messages.error(request, _("This export is not ready yet."))
        return redirect("audit:log")
    return private_download(
        export.file.open("rb"), filename=f"audit-log-{export.pk}.csv", content_type="text/csv"
    )


@login_required
@require_POST
def audit_verify_now(request):
    if not can(request.user, Action.CREATE, VerificationRun):
        raise PermissionDenied
    run = verification_start(scope=VerificationRun.Scope.RECENT, requested_by=request.user)
    tasks.verify_audit_log.enqueue(run.pk)
    messages.success(request, _("The verification of the newest rows has started."))
    return redirect("audit:log")
