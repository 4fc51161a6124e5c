"""Monthly reminders of reflective supervision: every staff member behind the sessions their
role's norm expects by today is told so, at most once a month however often this runs.
Schedule it daily or weekly; see docs/operations.md."""

from django.core.management.base import BaseCommand

from earlyhelp.workforce.services import supervision_reminders


class Command(BaseCommand):
    help = (
        "Remind each staff member who is behind the supervision sessions expected of their "
        "role by today (at most once a month per person)."
    )

    def handle(self, *args, **options):
        created = supervision_reminders()
        self.stdout.write(f"{created} reminder(s) written to the outbox.")
