"""Optimistic concurrency: a save names the version it was based on and is refused if stale."""

import copy
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.text import plain_number


class StaleVersionError(Exception):
    """Someone else saved the record after the editor loaded it."""

    message = _(
        "Someone else changed this record while you were editing it. Your input is kept below: "
        "open the record again in a new tab to see their changes, then save yours once more."
    )


def posted_version(value: str | None) -> int:
    """The version a small action form sent back. Anything but a plain number (a tampered or
    garbled field) counts as version 0, which no record has, so the save is refused as stale
    instead of failing."""
    return plain_number(value) or 0


def proposed(instance: models.Model, fields: dict[str, Any]) -> models.Model:
    """A copy of `instance` with `fields` set, for checking the rules before anything is
    written (a copy, not a new object, which the unique checks would refuse)."""
    probe = copy.copy(instance)
    for name, value in fields.items():
        setattr(probe, name, value)
    return probe


def update_versioned(
    instance: models.Model, *, expected_version: int, fields: dict[str, Any]
) -> None:
    """Write `fields` onto `instance` only if its stored version is still `expected_version`;
    raise StaleVersionError otherwise, leaving `instance` as it was."""
    previous = {name: getattr(instance, name) for name in fields}
    for name, value in fields.items():
        setattr(instance, name, value)
    # Columns computed from others (a folded search name) are written in the same UPDATE.
    stamp = instance.derived_fields() if hasattr(instance, "derived_fields") else {}
    if hasattr(instance, "updated_at"):
        stamp["updated_at"] = timezone.now()
    updated = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, version=expected_version)
        .update(**fields, **stamp, version=models.F("version") + 1)
    )
    if updated != 1:
        for name, value in previous.items():
            setattr(instance, name, value)
        raise StaleVersionError(StaleVersionError.message)
    for name, value in stamp.items():
        setattr(instance, name, value)
    instance.version = expected_version + 1
