from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.audit.anchors import AnchorFileError, anchor_file, anchors_read
from earlyhelp.audit.models import AuditArchive, AuditEvent, VerificationRun
from earlyhelp.audit.verify import (
    verification_start,
    verification_store,
    verify_archive,
    verify_log,
)


class Command(BaseCommand):
    help = (
        "Verify the audit log from the first row to the last: each row's link to the one before "
        "it and its keyed hash, and that every row anchored by audit_anchor is still there with "
        "the same hash. The result is kept and shown on the audit-log page. Reports the first "
        "problem and exits with status 1 if the log or the anchors were tampered with, or if "
        "the anchor file is missing while the log holds keyed rows (--no-anchors verifies the "
        "chain alone)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchors",
            action="append",
            type=Path,
            metavar="FILE",
            help="check the anchors in FILE (for example the copy a backup kept) instead of "
            "EARLYHELP_AUDIT_ANCHOR_FILE; may be given more than once",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            metavar="N",
            help="verify with N processes at once, each a range of the log (default 1); the "
            "answer is the same, the first problem included",
        )
        parser.add_argument(
            "--archived",
            metavar="TABLE",
            help="verify an archived month's table (audit_partitions --archive) instead of the "
            "log: its rows, and the ends of its chain written down when it was archived",
        )
        parser.add_argument(
            "--no-anchors",
            action="store_true",
            help="verify the chain alone, without any anchor file: removal of the newest rows "
            "then goes unnoticed",
        )

    def handle(self, *args, anchors=None, no_anchors=False, workers=1, archived=None, **options):
        if anchors and no_anchors:
            raise CommandError("Give either --anchors or --no-anchors, not both.")
        if not 1 <= workers <= 64:
            raise CommandError("Give --workers a whole number from 1 to 64.")
        files = [] if no_anchors else anchors or [anchor_file()]
        problems, anchored = [], {}
        for path in files:
            if not anchors and not path.exists():
                # A missing default file must not pass as intact: deleting or renaming it would
                # hide the removal of the newest rows. A log with no keyed rows yet has had
                # nothing to anchor.
                if AuditEvent.objects.exclude(key_id="").exists():
                    problems.append(
                        f"No anchor file at {path}, though the audit log holds keyed rows: "
                        "removing the newest rows would go unnoticed. If the file was moved, "
                        "give it with --anchors; a new installation runs audit_anchor first "
                        "(and schedules it, docs/operations.md); --no-anchors verifies the "
                        "chain alone."
                    )
                continue
            try:
                for row, anchor in anchors_read(path).items():
                    earlier = anchored.setdefault(row, anchor)
                    if earlier.hash != anchor.hash:
                        raise AnchorFileError(
                            f"{anchor.source} anchors row {row} with another hash than "
                            f"{earlier.source}."
                        )
            except AnchorFileError as exc:
                problems.append(str(exc))
        if archived:  # an archive's check is not a run of the log's verification
            self._verify_archived(archived, anchored, problems)
            return
        run = verification_start(scope=VerificationRun.Scope.FULL)
        report = verify_log(anchored, workers=workers)
        verification_store(run, report, problems="\n".join(problems))
        if report.broken is not None:
            problems.insert(
                0,
                f"Audit log broken at row {report.broken.event_id}: {report.broken.reason}. "
                f"{report.checked} rows before it are intact.",
            )
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(self.style.SUCCESS(self._summary(report, anchored)))

    def _verify_archived(self, table, anchored, problems) -> None:
        archive = AuditArchive.objects.filter(table=table).first()
        if archive is None:
            raise CommandError(f"No month of the audit log was archived as {table}.")
        report = verify_archive(archive, anchored)
        if report.broken is not None:
            problems.insert(
                0,
                f"Archived month {table} broken at row {report.broken.event_id}: "
                f"{report.broken.reason}.",
            )
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(
            self.style.SUCCESS(
                f"Archived month {table} intact: {report.checked} rows verified, from the hash "
                "written down for its first row to the one written down for its last."
            )
        )

    @staticmethod
    def _summary(report, anchored) -> str:
        text = f"Audit log intact: {report.checked} rows verified"
        if report.archived_until is not None:
            text += (
                f" after the archived month {report.archived_until.month:%Y-%m} "
                f"(its last row {report.archived_until.last_id})"
            )
        if report.unkeyed:
            text += f", the first {report.unkeyed} written before the chain was keyed"
        if report.keys_used:
            text += f"; keys used: {', '.join(sorted(report.keys_used))}"
        if anchored:
            newest = max(anchored.values(), key=lambda anchor: anchor.row)
            text += (
                f"; {report.anchors_checked} anchored rows found, the newest row {newest.row} "
                f"anchored at {newest.at}"
            )
        return text + "."
