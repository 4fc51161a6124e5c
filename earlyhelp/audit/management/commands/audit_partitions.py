"""The audit log's monthly partitions on PostgreSQL (audit/partitions.py): make the months
ahead (the nightly job), list them, or archive the oldest month."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.audit.partitions import (
    MONTHS_AHEAD,
    ArchiveRefused,
    archive_month,
    ensure_partitions,
    partitioned,
    partitions,
)


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as error:
        raise CommandError(f"Give the month as YYYY-MM, not {text!r}.") from error


class Command(BaseCommand):
    help = "Make the audit log's months ahead, list them (--list) or archive the oldest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--ahead", type=int, default=MONTHS_AHEAD, help="months to make ahead of this one"
        )
        parser.add_argument("--list", action="store_true", help="list the attached partitions")
        parser.add_argument(
            "--archive",
            metavar="YYYY-MM",
            help="detach this month (the oldest attached) after writing down its chain's ends",
        )

    def handle(self, *args, ahead, list, archive, **options):
        if not partitioned():
            self.stdout.write("The audit log is one table on this database: nothing to do.")
            return
        if archive:
            try:
                done = archive_month(_month(archive))
            except ArchiveRefused as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                self.style.SUCCESS(
                    f"{done.table}: {done.rows} rows (ids {done.first_id} to {done.last_id}) "
                    "detached. Dump it (pg_dump -t) to the archive, then verify it there with "
                    f"audit_verify --archived {done.table}."
                )
            )
            return
        if list:
            for part in partitions():
                month = part.month.strftime("%Y-%m") if part.month else "default"
                self.stdout.write(f"{part.name}\t{month}\tabout {part.rows} rows")
            return
        made = ensure_partitions(ahead=max(0, ahead))
        self.stdout.write(", ".join(made) if made else "Every month ahead is there.")
