"""Add the catalogue of methods to an existing bench database and compute the outcomes per
method (for a bench database generated before the knowledge app)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from earlyhelp.knowledge.outcomes import rebuild
from earlyhelp.sampledata.bench import bench_data_exists
from earlyhelp.sampledata.bench.knowledge import extend_knowledge


class Command(BaseCommand):
    help = (
        "On an existing bench database: write the methods of every bench municipality, name "
        "them on activities, plan steps and referrals (one UPDATE per table, by a modulo of the "
        "ids, only where none is named), then compute the outcomes per method. Idempotent. "
        "Never in production."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_extend_knowledge never runs with EARLYHELP_ENV=production.")
        if not bench_data_exists():
            raise CommandError("No bench data here: run bench_data first.")
        extend_knowledge(report=self.stdout.write)
        methods, seconds = rebuild()
        self.stdout.write(f"Outcomes of {methods:,} methods computed in {seconds:.1f} s.")
