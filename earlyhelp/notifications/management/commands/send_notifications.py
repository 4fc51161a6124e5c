import time

from django.core.management.base import BaseCommand

from earlyhelp.notifications.services import send_outbox


class Command(BaseCommand):
    help = (
        "Send the e-mails of the notification outbox. Safe to run in several processes at once "
        "and to kill at any moment: each notification is mailed once it is claimed, and a claim "
        "left by a killed sender is retried after 10 minutes. --loop N keeps sending every N "
        "seconds (a worker); without it, one pass."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS")

    def handle(self, *args, loop: int, **options):
        while True:
            sent = send_outbox()
            self.stdout.write(f"Sent {sent} notification e-mail(s).")
            if not loop:
                return
            time.sleep(loop)
