"""Recompute the programmes' maintained figures from the records (scheduled every 15
minutes; the programme page's "Compute now" does the same for one programme)."""

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.programmes.figures import ProgrammesNotRebuilt, rebuild_every


class Command(BaseCommand):
    help = "Recompute the maintained figures of every programme, or of one."

    def add_arguments(self, parser):
        parser.add_argument("--programme", type=int, action="append", help="Only this programme.")

    def handle(self, *args, programme=None, **options):
        try:
            rows, seconds = rebuild_every(programme)
        except ProgrammesNotRebuilt as exc:
            # Each failure is logged with its programme; the others were rebuilt.
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"programme figures: {rows} rows in {seconds:.1f} s")
