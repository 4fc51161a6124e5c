from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.audit.anchors import anchor_file, anchor_write


class Command(BaseCommand):
    help = (
        "Write the audit chain's head (row id, hash, time, key id, signed with the audit key) "
        "to the anchor file (EARLYHELP_AUDIT_ANCHOR_FILE, or --file) and to the "
        "earlyhelp.audit.anchor logger, so that audit_verify can tell when the newest rows "
        "were removed. Run it by cron at a set interval, e.g. every 5 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="append to FILE instead")

    def handle(self, *args, file=None, **options):
        path = file or anchor_file()
        try:
            anchor = anchor_write(path)
        except OSError as exc:
            raise CommandError(f"Cannot write the anchor file {path}: {exc.strerror}.") from exc
        if anchor is None:
            self.stdout.write("The audit log is empty: nothing to anchor yet.")
            return
        self.stdout.write(f"Anchored row {anchor.row} ({anchor.hash[:12]}…) to {path}.")
