"""Stored files for the benchmark: one received concern in a hundred gets an attached PDF,
written into the attachment store with its checksum like an upload, so that the restore drill's
check of the store (`core.backups`) checks files at every scale: about 250 at S, 2,500 at M,
25,000 at L.

The content is generated (a minimal PDF naming the bench and a run of random bytes of a few
kilobytes): it holds nothing about anyone.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F

from earlyhelp.concerns.models import Concern, ConcernAttachment

# One concern in this many (by number; drafts, never received, are left out) gets an attachment.
EVERY = 100
BATCH = 1000


def _content(rng: random.Random, number: int) -> bytes:
    body = rng.randbytes(rng.randrange(2_000, 12_000))
    return b"%PDF-1.4\n% earlyhelp bench attachment " + str(number).encode() + b"\n" + body


def write_attachments(*, seed: int, report: Callable[[str], None]) -> int:
    """Attach a generated file to every hundredth concern; answers how many were written."""
    started = time.monotonic()
    rng = random.Random(seed)
    concerns = (
        Concern.objects.annotate(every=F("id") % EVERY)
        .filter(every=0, reporter__isnull=False, received_at__isnull=False)
        .order_by("id")
        .values_list("id", "reporter_id", "received_at")
    )
    written = 0
    batch: list[ConcernAttachment] = []
    for concern_id, reporter_id, received_at in concerns.iterator(chunk_size=BATCH):
        content = _content(rng, concern_id)
        when = received_at.strftime("%Y/%m")
        name = default_storage.save(f"concerns/{when}/bench-{concern_id}.pdf", ContentFile(content))
        batch.append(
            ConcernAttachment(
                concern_id=concern_id,
                file=name,
                file_sha256=hashlib.sha256(content).hexdigest(),
                original_name=f"report-{concern_id}.pdf",
                content_type="application/pdf",
                size=len(content),
                uploaded_by_id=reporter_id,
            )
        )
        if len(batch) >= BATCH:
            written += _flush(batch)
    written += _flush(batch)
    report(f"Attachments: {written:,} files stored in {time.monotonic() - started:.1f} s.")
    return written


def _flush(batch: list[ConcernAttachment]) -> int:
    with transaction.atomic():
        ConcernAttachment.objects.bulk_create(batch)
    count = len(batch)
    batch.clear()
    return count
