"""The activities' kind of record for the retention job (privacy/retention.py): an activity
that ended, with its participants, counted from its last day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import DateField, F, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.activities.models import Activity, Participant, Session
from earlyhelp.privacy.retention import Holds, Kind, audit_rows_of, oldest_first, register

# "—" stands for a participant who is no longer named: a participant must be a child, an
# adult, a member of staff or a name (participant_is_one_person).
ERASED_MARK = "—"
# What identifies anyone in an activity and its rows, emptied by the erasure (the title may
# name the child of a one-to-one activity). The type, theme, dates, places, sessions with their
# head counts and attendance, the participants' target groups, outcomes and ratings stay: what
# the figures count. privacy/tests/test_kinds.py checks that every text field is here or kept.
ERASED_FIELDS: dict[str, tuple[str, ...]] = {
    "activities.activity": ("title", "description"),
    "activities.session": ("note",),
    "activities.participant": ("left_reason", "outcome_note", "feedback"),
}
KEPT_FIELDS: dict[str, tuple[str, ...]] = {
    "activities.activity": ("place",),
    "activities.session": ("place",),
    "activities.participant": ("name",),  # becomes "—" (above)
}


def activities_due(
    municipality_id: int, event: str, cutoff: date, holds: Holds, ids: Iterable[int] | None
) -> list[tuple[int, date]]:
    ended_on = Coalesce("ends_on", Cast("updated_at", DateField()))
    rows = (
        Activity.objects.filter(
            municipality_id=municipality_id,
            status__in=[Activity.Status.ENDED, Activity.Status.CANCELLED],
            anonymised_at__isnull=True,
        )
        .annotate(ended=ended_on)
        .filter(ended__lte=cutoff)
        .exclude(case_id__in=holds.cases)
        .exclude(concern_id__in=holds.concerns)
        .exclude(participants__child_id__in=holds.children)
    )
    return oldest_first(rows, ids, "ended", distinct=True)


@transaction.atomic
def activities_erase(ids: list[int]) -> Q:
    now = timezone.now()
    participants = Participant.objects.filter(activity_id__in=ids)
    sessions = Session.objects.filter(activity_id__in=ids)
    about = (
        audit_rows_of(Activity.objects.filter(pk__in=ids))
        | audit_rows_of(participants)
        | audit_rows_of(sessions)
    )
    Activity.objects.filter(pk__in=ids).update(
        title=ERASED_MARK,
        description="",
        anonymised_at=now,
        version=F("version") + 1,
        updated_at=now,
    )
    sessions.update(note="")
    # Staff who took part stay named (their work); children, adults and names go.
    participants.exclude(staff__isnull=False).update(child=None, adult=None, name=ERASED_MARK)
    participants.update(**{name: "" for name in ERASED_FIELDS["activities.participant"]})
    return about


register(
    Kind(
        code="activity",
        rule="activity",
        label=_("Activities and their participants"),
        reference=_("Activity %(number)s"),
        model="activities.activity",
        events=("ended",),
        due=activities_due,
        erase=activities_erase,
    )
)
