"""Who may open the audit-log page, export it and verify the chain: the administrator and the
data-protection officer of municipality A; an export is its requester's alone (inside: one
asked for by A's administrator; outside: one by B's)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from earlyhelp.audit.models import AuditExport
from earlyhelp.tests.matrix import ADM, DPO, Expect, answers, url
from earlyhelp.tests.personas import World


def export(w: World, inside: bool) -> int:
    made = AuditExport.objects.create(
        requested_by=(w.users if inside else w.outsiders)[ADM],
        requested_at=timezone.now(),
        state=AuditExport.State.DONE,
        rows_done=1,
    )
    made.file.save("audit-log.csv", ContentFile(b"row\n1\n"))
    return made.pk


AUDIT_READERS = answers(403, **{ADM: 200, DPO: 200})

EXPECTATIONS = {
    "audit:log": Expect(url("audit:log"), AUDIT_READERS),
    "audit:export": Expect(
        url("audit:export"),
        answers(403, **{ADM: 302, DPO: 302}),
        method="post",
        data=lambda w, i: {"action": "view"},
    ),
    "audit:export_status": Expect(
        url("audit:export_status", pk=export), answers(404, **{ADM: 200}), answers(404)
    ),
    "audit:export_download": Expect(
        url("audit:export_download", pk=export), answers(404, **{ADM: 200}), answers(404)
    ),
    "audit:verify": Expect(url("audit:verify"), answers(403, **{ADM: 302}), method="post"),
}
