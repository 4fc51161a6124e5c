"""Every create of the API, safe to retry (docs/api.md, "Idempotency"): the same
`Idempotency-Key` never creates two rows. A create endpoint takes `IDEMPOTENCY_KEY` as a
header parameter and answers through `idempotent(...)`: 201 the first time, 200 with the stored
body on a retry, 422 for the key sent with another body, 409 while the first request with it is
still being worked on. A create that is refused or fails frees its key for a corrected retry."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Schema, Status

from earlyhelp.api.models import IdempotencyKey
from earlyhelp.api.problems import Problem

# A key still marked "in progress" after this long belongs to a request that died (a killed
# worker): a retry may then take it over instead of getting 409 forever.
IDEMPOTENCY_ABANDONED_AFTER = timedelta(minutes=10)

IDEMPOTENCY_KEY = Header(
    ...,
    alias="Idempotency-Key",
    min_length=8,
    max_length=200,
    pattern=r"^[\x21-\x7e]+$",
    description=(
        "A unique value per intended write (a UUID), sent again unchanged on every retry. "
        "The same key with a different body: 422; while the first request is still being "
        "worked on: 409; afterwards: the first answer again, with status 200."
    ),
)


def idempotent(
    request,
    key: str,
    payload: Schema,
    *,
    create: Callable[[], dict],
    out: type[Schema],
    under: str = "",
    unstored: tuple[str, ...] = (),
) -> Status:
    """Run `create` (which writes, and returns the new row as `out` reads it) once per key:
    in one transaction with the stored answer, 201; a retry gets that answer again with 200.
    `under` is the path of the record the row is created under (a child's), part of the
    fingerprint, so that one key sent for two records is refused instead of answering the
    first record's row. `unstored` names fields of the first answer that are never kept with
    the key (a secret shown once): a retry answers them as null."""
    digest = fingerprint(payload, under=under)
    earlier = _claim(request.user, key, digest)
    if earlier is not None:
        return Status(200, earlier.response)
    try:
        with transaction.atomic():
            body = _json(out(**create()).dict())
            IdempotencyKey.objects.filter(user=request.user, key=key).update(
                status=201, response={**body, **dict.fromkeys(unstored)}
            )
    except BaseException:
        # Nothing was written: the key is free again for a corrected retry.
        IdempotencyKey.objects.filter(user=request.user, key=key, status__isnull=True).delete()
        raise
    return Status(201, body)


def fingerprint(payload: Schema, *, under: str = "") -> str:
    """SHA-256 of the body's canonical JSON (validated, keys sorted): the same request gives
    the same fingerprint however its members are ordered or spaced. A create under a record
    has the record's path in it too (a concern's, under no record, is the body's alone, as
    it was before other creates shared it)."""
    body = payload.model_dump(mode="json")
    canonical = json.dumps(
        {"under": under, "body": body} if under else body,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _in_progress() -> Problem:
    return Problem(
        409,
        _("A request with this Idempotency-Key is still being processed. Retry later."),
        kind="idempotency-key-in-progress",
        headers={"Retry-After": "1"},
    )


def _claim(user, key: str, digest: str) -> IdempotencyKey | None:
    """Mark the key as in progress, committed before the work starts, so that a second
    request with it sees that; or return the finished earlier write to answer again.
    Refuses a key used with another body (422) or still in progress (409)."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(user=user, key=key, fingerprint=digest)
            return None
        except IntegrityError:
            earlier = IdempotencyKey.objects.filter(user=user, key=key).first()
        if earlier is None:
            continue  # the other request failed and freed the key meanwhile
        if earlier.fingerprint and earlier.fingerprint != digest:
            raise Problem(
                422,
                _("This Idempotency-Key was used for a different request. Use a new key."),
                kind="idempotency-key-reused",
            )
        if not earlier.in_progress:
            return earlier
        if earlier.created_at > timezone.now() - IDEMPOTENCY_ABANDONED_AFTER:
            raise _in_progress()
        IdempotencyKey.objects.filter(pk=earlier.pk, status__isnull=True).delete()
    raise _in_progress()


def _json(body: dict) -> dict:
    return json.loads(json.dumps(body, cls=DjangoJSONEncoder))
