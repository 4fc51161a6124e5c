import sys

from django.core.management.base import BaseCommand

from earlyhelp.core.backups import drill


class Command(BaseCommand):
    help = (
        "Rehearse a restore on this installation: back up the database (pg_dump, or SQLite's "
        "online backup) and the attachment store, restore both into a scratch database and "
        "folder, run restore_check there, and compare every table's rows with the backup's. "
        "Prints a report and exits with status 1 if any step fails. The scratch copy is removed "
        "afterwards unless --keep is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scratch",
            metavar="NAME",
            default="",
            help="the scratch database (PostgreSQL; default <database>_restore_drill, dropped "
            "and created afresh) or file (SQLite; default a temporary file)",
        )
        parser.add_argument(
            "--keep", action="store_true", help="keep the scratch database and the backup files"
        )
        parser.add_argument(
            "--no-anchors",
            action="store_true",
            help="verify the restored audit chain without the anchor file",
        )

    def handle(self, *args, scratch="", keep=False, no_anchors=False, **options):
        report = drill(scratch=scratch, keep=keep, no_anchors=no_anchors)
        self.stdout.write(report.text("Restore drill"))
        if not report.ok:
            sys.exit(1)
