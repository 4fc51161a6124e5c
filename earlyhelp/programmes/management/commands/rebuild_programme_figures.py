"""Recompute the programmes' maintained figures from the records (scheduled every few
minutes; the programme page's "Compute now" does the same for one programme)."""

from django.core.management.base import BaseCommand

from earlyhelp.programmes.figures import rebuild


class Command(BaseCommand):
    help = "Recompute the maintained figures of every programme, or of one."

    def add_arguments(self, parser):
        parser.add_argument("--programme", type=int, action="append", help="Only this programme.")

    def handle(self, *args, programme=None, **options):
        rows, seconds = rebuild(programme)
        self.stdout.write(f"programme figures: {rows} rows in {seconds:.1f} s")
