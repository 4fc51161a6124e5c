"""Walk the audit chain and report the first broken link."""

from dataclasses import dataclass

from earlyhelp.audit.models import GENESIS_HASH, AuditEvent


@dataclass
class Break:
    event_id: int
    reason: str


def verify_chain(batch_size: int = 5000) -> tuple[int, Break | None]:
    """Return (rows checked, first break or None)."""
    expected_prev = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != expected_prev:
            return checked, Break(
                event.pk,
                "its link to the previous row is broken: a row before it was removed, "
                "inserted or altered",
            )
        if event.compute_hash() != event.hash:
            return checked, Break(event.pk, "its content no longer matches its hash: altered")
        expected_prev = event.hash
        checked += 1
    return checked, None
