"""The protocols interface the other apps call, and the two changes a profile goes through:
a new draft version, and its publication. A published version is never changed.

The reads live in `selectors` and `deadlines`; they are offered here too so that a caller
needs one import: `from earlyhelp.protocols.services import deadlines_for, profile_for`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from earlyhelp.protocols.deadlines import (
    DeadlineDue,
    deadline_preview,
    deadlines_for,
    is_working_day,
    working_day_add,
)
from earlyhelp.protocols.models import Profile
from earlyhelp.protocols.selectors import (
    absence_thresholds,
    anonymous_allowed,
    authority_name,
    emergency_number,
    feedback_allowed,
    identity_confidential,
    oral_allowed_when_urgent,
    profile_for,
    written_signal_required,
)

__all__ = [
    "DeadlineDue",
    "absence_thresholds",
    "anonymous_allowed",
    "authority_name",
    "deadline_preview",
    "deadlines_for",
    "emergency_number",
    "feedback_allowed",
    "identity_confidential",
    "is_working_day",
    "oral_allowed_when_urgent",
    "profile_draft_next_version",
    "profile_for",
    "profile_publish",
    "working_day_add",
    "written_signal_required",
]


@transaction.atomic
def profile_draft_next_version(*, profile: Profile) -> Profile:
    """A draft copy of `profile` as the next version of its key, to be edited and published."""
    latest = Profile.objects.select_for_update().filter(key=profile.key)
    version = (latest.aggregate(highest=Max("version"))["highest"] or 0) + 1
    return Profile.objects.create(
        key=profile.key,
        version=version,
        name=profile.name,
        jurisdiction=profile.jurisdiction,
        rules=profile.rules,
    )


@transaction.atomic
def profile_publish(*, profile: Profile) -> Profile:
    """Publish a draft: from now on it is the profile new concerns are received under, and it
    never changes again. Its rules are checked first."""
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.is_published:
        return profile
    profile.full_clean()
    profile.published_at = timezone.now()
    profile.save(update_fields=["published_at", "updated_at"])
    return profile
