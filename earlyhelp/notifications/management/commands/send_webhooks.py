import time

from django.core.management.base import BaseCommand

from earlyhelp.notifications.webhooks import send_webhooks


class Command(BaseCommand):
    help = (
        "Send the webhook deliveries that are due (new ones, and retries whose wait is over). "
        "Safe to run in several processes at once and to kill at any moment: each delivery is "
        "sent once it is claimed, and a claim left by a killed sender is retried after 10 "
        "minutes. --loop N keeps sending every N seconds (a worker); without it, one pass."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS")

    def handle(self, *args, loop: int, **options):
        while True:
            delivered = send_webhooks()
            self.stdout.write(f"Delivered {delivered} webhook(s).")
            if not loop:
                return
            time.sleep(loop)
