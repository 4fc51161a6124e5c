"""The daily retention job by hand: every municipality's records whose retention period ran
out, and that no legal hold keeps, are put in batches for its data-protection officers to
approve; nothing is erased here. See docs/privacy.md."""

from django.core.management.base import BaseCommand

from earlyhelp.privacy.models import RetentionBatch
from earlyhelp.privacy.retention import kind_of, retention_propose


class Command(BaseCommand):
    help = "Propose the records due for erasure to the data-protection officers (a dry run)."

    def handle(self, *args, **options):
        waiting = retention_propose()
        batches = RetentionBatch.objects.filter(state=RetentionBatch.State.PROPOSED)
        for batch in batches.select_related("municipality").order_by("municipality", "kind"):
            kind = kind_of(batch.kind)
            self.stdout.write(
                f"{batch.municipality}: {kind.label if kind else batch.kind}: "
                f"{batch.items.count()} record(s) due ({batch.basis})"
            )
        self.stdout.write(f"{waiting} batch(es) wait for approval.")
