"""Daily alerts of foster-care requirements: the key worker and the service's supervisors are
told of every requirement due within 30 days or missed, once per requirement, due date and
status, however often this runs. Schedule it daily; see docs/operations.md."""

from django.core.management.base import BaseCommand

from earlyhelp.fostercare.services import requirement_alerts


class Command(BaseCommand):
    help = (
        "Alert key workers and supervisors to foster-care requirements due within 30 days "
        "or missed (training, respite, key-worker contact, counselling)."
    )

    def handle(self, *args, **options):
        created = requirement_alerts()
        self.stdout.write(f"{created} alert(s) written to the outbox.")
