"""The duty sources: what each capability declares in its own `<app>/duties.py`.

A capability registers
- its **kinds** (`Kind`): the reason shown to the user, and the action the policy is asked on
  the target again when the page is read;
- its **targets** (`Target`): the records a user opens to act, how to read them in bulk, their
  link, and the people an item names (asked of the policy before they are named);
- its **sources** (`Source`): for one record, the duties it gives (who owns what, due when),
  and every duty of its kinds at once, from querysets, for `rebuild_duties`.

The duties app imports no capability: it only reads this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Model, QuerySet
from django.utils import timezone


@dataclass(frozen=True)
class Kind:
    code: str
    reason: str
    action: str = "view"
    # A fragment of the target's page where the duty is done ("plan", "conversation").
    anchor: str = ""


@dataclass(frozen=True)
class Target:
    label: str
    queryset: Callable[[], QuerySet]
    url: Callable[[Model], str]
    # The children and adults an item about this record names, asked of the policy first.
    people: Callable[[Model], list] = lambda obj: []
    # What the item says about the record besides people, e.g. "case no. 12".
    title: Callable[[Model], str] = str


@dataclass(frozen=True)
class Due:
    """One duty as a source computes it."""

    owner_id: int
    kind: str
    due: datetime
    source: tuple[type[Model], int]
    target: tuple[type[Model], int]
    municipality_id: int
    all_day: bool = False


@dataclass(frozen=True)
class Source:
    label: str
    kinds: tuple[str, ...]
    # The duties one record gives now.
    duties: Callable[[Model], Iterable[Due]]
    # Every duty of `kinds`, computed from querysets (the nightly rebuild).
    everything: Callable[[], Iterable[Due]]
    # The sources whose duties `duties(record)` replaces: by default the record itself (a case
    # gives its plan steps' duties too, so it names them).
    covers: Callable[[Model], dict[type[Model], list[int]]] | None = None


KINDS: dict[str, Kind] = {}
TARGETS: dict[str, Target] = {}
SOURCES: dict[str, Source] = {}


def register_kind(kind: Kind) -> Kind:
    if kind.code in KINDS:
        raise ValueError(f"duty kind {kind.code} is registered twice")
    KINDS[kind.code] = kind
    return kind


def register_target(target: Target) -> Target:
    TARGETS[target.label] = target
    return target


def register_source(source: Source) -> Source:
    if source.label in SOURCES:
        raise ValueError(f"duty source {source.label} is registered twice")
    SOURCES[source.label] = source
    return source


def at_end_of(day: date) -> datetime:
    """A date without an hour is due by the end of that day, in the installation's time zone."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def with_owners(rows: QuerySet, owners: Callable[[int], list[int]]):
    """Each of `rows` with the owners of its municipality (`owners(municipality_id)`), asked once
    per municipality: a rebuild reads many records of few municipalities."""
    known: dict[int, list[int]] = {}
    for row in rows.iterator():
        if row.municipality_id not in known:
            known[row.municipality_id] = owners(row.municipality_id)
        yield row, known[row.municipality_id]


def ref(obj: Model) -> tuple[type[Model], int]:
    """A record as a duty's source or target."""
    return type(obj), obj.pk
