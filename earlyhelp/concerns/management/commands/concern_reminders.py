"""Daily reminders on concerns: today, every oral signal whose written signal is still missing
reminds its reporter (once a day, however often this runs). Schedule it daily or more often;
see docs/operations.md."""

from django.core.management.base import BaseCommand

from earlyhelp.concerns.services import remind_written_signals


class Command(BaseCommand):
    help = "Remind reporters of oral signals whose written signal is still missing."

    def handle(self, *args, **options):
        created = remind_written_signals()
        self.stdout.write(f"{created} reminder(s) written to the outbox.")
