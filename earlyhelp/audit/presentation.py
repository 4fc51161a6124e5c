"""An audit row in words: what happened, to which record, and the values it changed, with
dates and times in the reader's format. The audit-log page and a record's "changes" panel
both show rows through `describe` (and the template `audit/event_row.html`), so that a
break-glass opening or its bookkeeping reads the same everywhere and never as raw ISO text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from earlyhelp.audit.models import AuditEvent

GRANT = "access.breakglassgrant"
# A stored ISO date or moment ("2026-12-06", "2026-12-06T10:00:00+01:00"), ASCII digits only.
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Described:
    event: AuditEvent
    kind: str  # read, list, create, change, delete, export, break_glass, break_glass_refused,
    # break_glass_ended, break_glass_reviewed, login, logout, login_failed, release
    summary: str
    changes: list[Change] = field(default_factory=list)
    flagged: bool = False

    @property
    def at(self) -> datetime:
        return self.event.at


def moment(value: Any) -> str:
    """A stored value for reading: an ISO date or time in the reader's format, a list joined,
    nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, str) and ISO_DAY.match(value):
        try:
            parsed = parse_datetime(value)
            if parsed is not None:
                if timezone.is_naive(parsed):
                    parsed = timezone.make_aware(parsed)
                return moment(parsed)
            day = parse_date(value)
            if day is not None:
                return moment(day)
        except ValueError:
            pass
    if isinstance(value, list):
        return ", ".join(moment(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {moment(item)}" for key, item in value.items())
    return str(value)


def field_label(name: str, object_type: str) -> str:
    """What a change's key is called on the model: a field's verbose name, or for the other
    side of a relation ("feedback" on a concern) the related model's name. A key
    the model does not know stays as it was written."""
    try:
        field = apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name
    if field.auto_created and not field.concrete:
        return str(field.related_model._meta.verbose_name)
    return str(getattr(field, "verbose_name", name))


def record_label(event: AuditEvent) -> str:
    """The record a row is about, by its kind and number ("child 12"), never by content."""
    if event.subject:
        label, _sep, pk = event.subject.rpartition(":")
        return _("%(kind)s %(number)s") % {"kind": _kind_name(label), "number": pk}
    if event.object_type:
        kind = _kind_name(event.object_type)
        return f"{kind} {event.object_id}".strip()
    return ""


def _kind_name(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def _field_changes(event: AuditEvent) -> list[Change]:
    changes = []
    for name, values in (event.changes or {}).items():
        if isinstance(values, list) and len(values) == 2:
            changes.append(
                Change(field_label(name, event.object_type), moment(values[0]), moment(values[1]))
            )
        else:
            changes.append(Change(field_label(name, event.object_type), "", moment(values)))
    return changes


def describe(event: AuditEvent) -> Described:
    """`event` in words for the audit-log page and a record's "changes" panel."""
    who = event.actor_name or _("someone not signed in")
    record = record_label(event)
    data = {"who": who, "record": record, "purpose": event.purpose}
    action = event.action
    changes = event.changes or {}
    erased = event.is_erased
    if action == AuditEvent.Action.BREAK_GLASS and not erased:
        if event.purpose.startswith("refused: "):
            data["purpose"] = event.purpose.removeprefix("refused: ")
            data["number"] = changes.get("record_tried", "")
            return Described(
                event,
                "break_glass_refused",
                _(
                    "%(who)s tried to open record number %(number)s with break-glass: refused. "
                    "Reason given: %(purpose)s"
                )
                % data,
                flagged=True,
            )
        data["minutes"] = changes.get("minutes", "")
        return Described(
            event,
            "break_glass",
            _(
                "Break-glass opened by %(who)s for %(record)s, for %(minutes)s minutes. "
                "Reason: %(purpose)s"
            )
            % data,
            flagged=True,
        )
    if event.object_type == GRANT and action == AuditEvent.Action.CHANGE and not erased:
        if "reviewed_at" in changes:
            data["when"] = moment(_new(changes["reviewed_at"]))
            return Described(
                event,
                "break_glass_reviewed",
                _("The break-glass opening for %(record)s was reviewed by %(who)s on %(when)s.")
                % data,
            )
        if "ended_at" in changes:
            data["when"] = moment(_new(changes["ended_at"]))
            return Described(
                event,
                "break_glass_ended",
                _("%(who)s closed their break-glass access to %(record)s early, on %(when)s.")
                % data,
            )
    texts = {
        AuditEvent.Action.VIEW: _("%(who)s read %(record)s"),
        AuditEvent.Action.LIST: _("%(who)s listed %(record)s"),
        AuditEvent.Action.CREATE: _("%(who)s created %(record)s"),
        AuditEvent.Action.CHANGE: _("%(who)s changed %(record)s"),
        AuditEvent.Action.DELETE: _("%(who)s deleted %(record)s"),
        AuditEvent.Action.EXPORT: _("%(who)s exported %(record)s"),
        AuditEvent.Action.RELEASE: _("%(who)s released %(record)s"),
        AuditEvent.Action.LOGIN: _("%(who)s signed in"),
        AuditEvent.Action.LOGOUT: _("%(who)s signed out"),
        AuditEvent.Action.LOGIN_FAILED: _("A sign-in as %(who)s failed"),
    }
    summary = texts.get(action, "%(who)s %(record)s") % data
    kind = "read" if action == AuditEvent.Action.VIEW else action
    if (
        event.object_type
        and event.subject
        and record
        and not record.startswith(_kind_name(event.object_type))
    ):
        summary += " (" + f"{_kind_name(event.object_type)} {event.object_id}".strip() + ")"
    if erased:
        summary += " · " + _("what was seen or changed was erased under the retention rules")
        return Described(event, kind, summary, [], flagged=event.flagged)
    return Described(event, kind, summary, _field_changes(event), flagged=event.flagged)


def _new(values: Any) -> Any:
    return values[1] if isinstance(values, list) and len(values) == 2 else values
