import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.core.backups import check_restored, report_json


class Command(BaseCommand):
    help = (
        "Check a restored installation (run it after every restore, with the database and "
        "attachment store it was restored into): the schema matches the code, the audit chain "
        "and its anchors hold, and every stored file a row refers to is in the attachment store "
        "with the checksum recorded when it was stored. Exits with status 1 if any check fails."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchors",
            action="append",
            type=Path,
            metavar="FILE",
            help="the audit anchor file to check against (a copy kept with the backup)",
        )
        parser.add_argument(
            "--no-anchors", action="store_true", help="verify the audit chain without anchors"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            metavar="N",
            help="verify the audit chain with N processes at once (audit_verify --workers)",
        )
        parser.add_argument(
            "--json", action="store_true", help="print the result as JSON (restore_drill reads it)"
        )

    def handle(self, *args, anchors=None, no_anchors=False, json=False, workers=1, **options):
        if anchors and no_anchors:
            raise CommandError("Give either --anchors or --no-anchors, not both.")
        if not 1 <= workers <= 64:
            raise CommandError("Give --workers a whole number from 1 to 64.")
        report = check_restored(anchors=anchors, no_anchors=no_anchors, workers=workers)
        if json:
            self.stdout.write(report_json(report))
        else:
            self.stdout.write(report.text("Checks of the restored installation"))
        if not report.ok:
            sys.exit(1)
