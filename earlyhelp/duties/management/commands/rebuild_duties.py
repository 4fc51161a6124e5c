import time

from django.core.management.base import BaseCommand

from earlyhelp.duties.registry import SOURCES
from earlyhelp.duties.services import rebuild


class Command(BaseCommand):
    help = (
        "Recompute every user's duties (the start page's 'what needs you') from the records of "
        "every capability. The services keep them up to date as records change; run this "
        "nightly, after generating data, and after changing who triages or approves what "
        "(memberships). One transaction per duty source; --source limits it to some."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            action="append",
            choices=sorted(SOURCES),
            help="only this duty source (a model label); may be given more than once",
        )

    def handle(self, *args, source=None, **options):
        total, began = 0, time.monotonic()
        for label in sorted(source or SOURCES):
            started = time.monotonic()
            count = rebuild(labels=[label])[label]
            total += count
            self.stdout.write(f"{label}: {count} duties in {time.monotonic() - started:.1f} s")
        self.stdout.write(f"{total} duties in {time.monotonic() - began:.1f} s")
