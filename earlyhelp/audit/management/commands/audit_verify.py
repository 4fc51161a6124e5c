from django.core.management.base import BaseCommand, CommandError

from earlyhelp.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the audit log from the first row to the last and report the "
        "first broken link. Exits with status 1 if the log was tampered with."
    )

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit log broken at row {broken.event_id}: {broken.reason}. "
                f"{checked} rows before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {checked} rows verified."))
