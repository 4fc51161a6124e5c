"""Add half a year of audit history to an existing bench database (bench/README.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from earlyhelp.sampledata.bench import bench_data_exists
from earlyhelp.sampledata.bench.audit import write_audit_history

# Rows per scale: at L about what 60,000 staff write in half a year.
ROWS = {"S": 200_000, "M": 5_000_000, "L": 50_000_000}


class Command(BaseCommand):
    help = (
        "On an existing bench database: append a realistic audit history (the bench staff "
        "reading and changing records of their municipality on working days, keyed and chained "
        "like the application's own rows) of about --rows rows (default by --scale: S 200,000, "
        "M 5 million, L 50 million) over --months months. Never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(ROWS), default="M")
        parser.add_argument("--rows", type=int, help="about this many rows instead")
        parser.add_argument("--months", type=int, default=6)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale="M", rows=None, months=6, seed=2026, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_audit never runs with EARLYHELP_ENV=production.")
        if not bench_data_exists():
            raise CommandError("No bench data here: run bench_data first.")
        if rows is not None and rows < 1:
            raise CommandError("--rows must be at least 1.")
        written, seconds = write_audit_history(
            rows_wanted=rows or ROWS[scale], months=months, seed=seed, report=self.stdout.write
        )
        self.stdout.write(
            f"Audit history written: {written:,} rows in {seconds:,.0f} s "
            f"({written / max(seconds, 0.001):,.0f} rows/s)."
        )
