"""The CSV export of the audit-log page: the filtered rows, newest first, up to
EXPORT_LIMIT rows, written to private storage by a background task that reports its progress.
Every cell a spreadsheet would run as a formula is neutralised (core.exports.neutralise)."""

from __future__ import annotations

import csv
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from earlyhelp.audit.models import AuditExport
from earlyhelp.audit.presentation import describe, record_label
from earlyhelp.audit.selectors import log_rows
from earlyhelp.core.exports import neutralise

EXPORT_LIMIT = 100_000
# The progress is written every this many rows (a row update each, read by the page's poll).
PROGRESS_EVERY = 2_000

COLUMNS = [
    "row",
    "time",
    "user",
    "role",
    "action",
    "record",
    "object type",
    "object id",
    "purpose",
    "flagged",
    "description",
    "changes",
    "request id",
]


@transaction.atomic
def export_request(*, user, filters: dict) -> AuditExport:
    """Ask for an export of the rows `filters` select among those `user` may read."""
    return AuditExport.objects.create(
        requested_by=user, requested_at=timezone.now(), filters=filters
    )


def export_write(export_id: int, *, limit: int | None = None) -> int:
    """Write the export's file (the rows its requester may read now) and report progress."""
    limit = limit or EXPORT_LIMIT
    export = AuditExport.objects.select_related("requested_by").get(pk=export_id)
    if export.state == AuditExport.State.DONE:
        return export.rows_done
    user = get_user_model().objects.get(pk=export.requested_by_id)
    rows = log_rows(user, export.filters).order_by("-at", "-id")
    total = rows.order_by()[: limit + 1].count()
    AuditExport.objects.filter(pk=export.pk).update(
        state=AuditExport.State.RUNNING, rows_total=min(total, limit), truncated=total > limit
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer.writerow(COLUMNS)
    done = 0
    try:
        with translation.override(None):
            for event in rows[:limit].iterator(chunk_size=PROGRESS_EVERY):
                writer.writerow([neutralise(value) for value in _cells(event)])
                done += 1
                if done % PROGRESS_EVERY == 0:
                    AuditExport.objects.filter(pk=export.pk).update(rows_done=done)
    except Exception:
        AuditExport.objects.filter(pk=export.pk).update(
            state=AuditExport.State.FAILED, finished_at=timezone.now()
        )
        raise
    export.refresh_from_db()
    export.file.save(
        f"audit-log-{export.pk}.csv", ContentFile(buffer.getvalue().encode("utf-8")), save=False
    )
    export.rows_done = done
    export.state = AuditExport.State.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "file_sha256", "rows_done", "state", "finished_at"])
    return done


def _cells(event) -> list:
    described = describe(event)
    changes = "; ".join(
        f"{change.label}: {change.before} → {change.after}"
        if change.before
        else f"{change.label}: {change.after}"
        for change in described.changes
    )
    return [
        event.pk,
        timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        event.actor_name,
        event.role,
        event.action,
        record_label(event),
        event.object_type,
        event.object_id,
        event.purpose,
        "yes" if event.flagged else "no",
        described.summary,
        changes,
        event.request_id,
    ]
