"""Recompute the coverage of every institution (children enrolled today, social helpers' hours
a week) into the maintained aggregate the coverage page reads. Schedule it nightly: enrolments
start and end with the date. See docs/workforce.md, "Coverage", and docs/operations.md."""

from django.core.management.base import BaseCommand

from earlyhelp.workforce.coverage import rebuild_all


class Command(BaseCommand):
    help = (
        "Recompute the coverage aggregate of every institution: children enrolled today and "
        "the social helpers' hours a week serving it (run nightly)."
    )

    def handle(self, *args, **options):
        rows, seconds = rebuild_all()
        self.stdout.write(f"Coverage of {rows:,} institutions computed in {seconds:.1f} s.")
