"""Moments in the tests are local times in Budapest (CET/CEST, like Prague and Copenhagen)."""

from datetime import datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Budapest")


def at(text: str) -> datetime:
    """at("2026-04-01 10:00") -> that moment in Budapest, timezone-aware."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL)
