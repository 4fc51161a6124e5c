"""Daily check that every concern has someone to receive it: each institution where someone
may report a concern but nobody triages (no social helper assigned, no supervisor of one) is
reported to its municipality's supervisors and administrators, once a day however often this
runs. Reporters are stopped at once whatever happens here; see docs/concerns.md and
docs/operations.md."""

from django.core.management.base import BaseCommand

from earlyhelp.concerns.services import receivers_check


class Command(BaseCommand):
    help = (
        "Tell each municipality's supervisors and administrators of every institution whose "
        "concerns nobody would receive."
    )

    def handle(self, *args, **options):
        created = receivers_check()
        self.stdout.write(f"{created} notification(s) written to the outbox.")
