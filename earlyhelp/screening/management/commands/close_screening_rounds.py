"""Close the screening rounds whose last day has passed. A round is also closed when someone
opens it after its date; schedule this daily so that lists and figures never lag behind. See
docs/screening.md."""

from django.core.management.base import BaseCommand

from earlyhelp.screening.services import rounds_close_due


class Command(BaseCommand):
    help = (
        "Close every open screening round whose closing day has passed; a closed round with "
        "no open flag becomes complete. Safe to run at any time."
    )

    def handle(self, *args, **options):
        closed = rounds_close_due()
        self.stdout.write(f"{closed} screening round(s) closed.")
