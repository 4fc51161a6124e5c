import argparse
import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from earlyhelp.concerns.figures import rebuild_figures
from earlyhelp.knowledge.outcomes import rebuild as rebuild_method_outcomes
from earlyhelp.programmes.figures import rebuild as rebuild_programme_figures
from earlyhelp.sampledata.bench import SCALES, BenchDataRefused, generate
from earlyhelp.workforce.coverage import rebuild_all as rebuild_coverage


class Command(BaseCommand):
    help = (
        "Generate synthetic national-scale data for the benchmark (DESIGN.md §6): municipalities "
        "in HU, CZ and DK with institutions, classes, staff, children, families and concerns. "
        "--scale L is bench-L (2,000,000 children, 5,000 institutions, 60,000 staff, 2,500,000 "
        "concerns), M is 10 % of it, S 1 %. The same --seed gives the same people. Writes "
        "into a fresh database only (refuses where bench data exists) and never in production. "
        "See bench/README.md, 'Generating data'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=sorted(SCALES), default="S", help="S, M or L (default S)."
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Same seed, same data (default 2026)."
        )
        parser.add_argument(
            "--database-url",
            help="Write into this database instead of DATABASE_URL's, "
            "e.g. postgres://postgres@127.0.0.1:5432/bench_s",
        )
        parser.add_argument(
            "--bench-accounts",
            type=int,
            default=25,
            help="Accounts bench.<role>.<i> per role for the load harness (default 25).",
        )
        # Tests and quick looks: any fraction of bench-L, overriding --scale.
        parser.add_argument("--scale-factor", type=float, help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_data never runs with EARLYHELP_ENV=production.")
        url = options["database_url"]
        if url and url != os.environ.get("DATABASE_URL"):
            # The database is chosen when settings load: run again with DATABASE_URL set.
            return self._run_with(url, options)
        factor = options["scale_factor"] or SCALES[options["scale"]]
        started = time.monotonic()
        try:
            counts = generate(
                scale_factor=factor,
                seed=options["seed"],
                bench_accounts=options["bench_accounts"],
                report=self.stdout.write,
            )
        except BenchDataRefused as refused:
            raise CommandError(str(refused)) from refused
        institutions, seconds = rebuild_figures()
        self.stdout.write(f"Figures of {institutions:,} institutions counted in {seconds:.1f} s.")
        rows, seconds = rebuild_programme_figures()
        self.stdout.write(f"Programme figures: {rows:,} rows computed in {seconds:.1f} s.")
        rows, seconds = rebuild_coverage()
        self.stdout.write(f"Coverage of {rows:,} institutions computed in {seconds:.1f} s.")
        methods, seconds = rebuild_method_outcomes()
        self.stdout.write(f"Outcomes of {methods:,} methods computed in {seconds:.1f} s.")
        elapsed = time.monotonic() - started
        total = sum(counts.values())
        self.stdout.write("")
        for table, rows in counts.items():
            self.stdout.write(f"  {table:<32} {rows:>11,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Bench data written: {total:,} rows in {elapsed:,.0f} s "
                f"({total / elapsed:,.0f} rows/s), scale factor {factor:g}, seed {options['seed']}."
            )
        )
        self.stdout.write(
            "Bench accounts: bench.<role>.<i> (educator, institution_lead, social_helper, "
            "case_worker, supervisor, manager, analyst; i from 1), password and two-factor key "
            "as bench/README.md says; a current code: python manage.py demo_totp bench.educator.1"
        )

    def _run_with(self, url: str, options) -> None:
        arguments = [
            sys.executable,
            "-m",
            "django",
            "bench_data",
            "--scale",
            options["scale"],
            "--seed",
            str(options["seed"]),
            "--bench-accounts",
            str(options["bench_accounts"]),
        ]
        if options["scale_factor"]:
            arguments += ["--scale-factor", str(options["scale_factor"])]
        environment = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "earlyhelp.settings"
            ),
        }
        result = subprocess.run(arguments, env=environment, cwd=settings.BASE_DIR, check=False)  # noqa: S603 - our own command
        if result.returncode:
            raise CommandError(f"bench_data against {url.split('@')[-1]} failed.")
