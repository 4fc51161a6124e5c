"""Add the workforce slice to an existing bench database (one generated before the workforce
had staff profiles and employment), then compute the coverage aggregate. Idempotent."""

import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from earlyhelp.sampledata.bench import bench_data_exists
from earlyhelp.sampledata.bench.workforce import write_workforce
from earlyhelp.workforce.coverage import rebuild_all


class Command(BaseCommand):
    help = (
        "Write the bench staff's profiles, institutions served and employment (hours a week) "
        "into an existing bench database, then rebuild the coverage aggregate. What exists is "
        "left as it is, so it can run again. Never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url",
            help="Work on this database instead of DATABASE_URL's, "
            "e.g. postgres://postgres@127.0.0.1:5432/bench_s",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_extend_workforce never runs with EARLYHELP_ENV=production.")
        url = options["database_url"]
        if url and url != os.environ.get("DATABASE_URL"):
            # The database is chosen when settings load: run again with DATABASE_URL set.
            result = subprocess.run(  # noqa: S603 - our own command
                [sys.executable, "-m", "django", "bench_extend_workforce"],
                env={
                    **os.environ,
                    "DATABASE_URL": url,
                    "DJANGO_SETTINGS_MODULE": os.environ.get(
                        "DJANGO_SETTINGS_MODULE", "earlyhelp.settings"
                    ),
                },
                cwd=settings.BASE_DIR,
                check=False,
            )
            if result.returncode:
                raise CommandError(f"bench_extend_workforce against {url.split('@')[-1]} failed.")
            return
        if not bench_data_exists():
            raise CommandError("This database holds no bench data: run bench_data first.")
        started = time.monotonic()
        for table, rows in write_workforce().items():
            self.stdout.write(f"  {table:<40} {rows:>11,}")
        self.stdout.write(f"Workforce written in {time.monotonic() - started:.1f} s.")
        rows, seconds = rebuild_all()
        self.stdout.write(f"Coverage of {rows:,} institutions computed in {seconds:.1f} s.")
