"""Recompute the programmes' maintained figures from the records (scheduled every few
minutes; the programme page's "Compute now" does the same for one programme)."""

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.programmes.figures import rebuild


class Command(BaseCommand):
    help = "Recompute the maintained figures of every programme, or of one."

    def add_arguments(self, parser):
        parser.add_argument("--programme", type=int, action="append", help="Only this programme.")

    def handle(self, *args, programme=None, **options):
        failed: list[int] = []
        rows, seconds = rebuild(programme, failed=failed)
        self.stdout.write(f"programme figures: {rows} rows in {seconds:.1f} s")
        if failed:
            # Each failure is logged with its programme; the others were rebuilt.
            raise CommandError(
                f"programme figures not rebuilt for programmes {', '.join(map(str, failed))}"
            )
