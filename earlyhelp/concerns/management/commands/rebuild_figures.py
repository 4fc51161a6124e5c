"""Recount the figures on concerns (`concerns.figures.rebuild_figures`). Schedule it every few
minutes; the figures page shows when they were computed. See docs/operations.md."""

from django.core.management.base import BaseCommand

from earlyhelp.concerns.figures import rebuild_figures


class Command(BaseCommand):
    help = "Recount the figures on concerns per institution from the records."

    def handle(self, *args, **options):
        institutions, seconds = rebuild_figures()
        self.stdout.write(f"Figures of {institutions} institution(s) rebuilt in {seconds:.1f} s.")
