"""What activities ask of people (docs/duties.md): whoever leads an activity's next planned
session takes its attendance and records it, from when it starts; the oldest session still
planned stays until it is recorded as held or cancelled, then the next one follows. Past the
activity's end nothing is asked.

An activity is the source; it is refreshed by `activities.services._audit`, which every change
of an activity and its sessions passes through (a sparring request scheduled: its activity)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.policy import Action
from earlyhelp.activities.models import Activity, Session
from earlyhelp.duties.registry import (
    Due,
    Kind,
    Source,
    Target,
    register_kind,
    register_source,
    register_target,
)

SESSION = register_kind(
    Kind("activity_session", _("Take the attendance of a session you lead"), Action.CHANGE)
).code

register_target(
    Target(
        "activities.session",
        queryset=lambda: Session.objects.select_related("activity"),
        url=lambda session: reverse("activities:session", args=[session.activity_id, session.pk]),
        title=lambda session: (
            _("%(activity)s at %(when)s")
            % {
                "activity": session.activity.title,
                "when": f"{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}",
            }
        ),
    )
)


def _next_sessions(activities):
    """Each running activity's oldest planned session, with its lead and start: one subquery
    per column, read from the sessions' (activity, start) index."""
    planned = Session.objects.filter(
        activity_id=OuterRef("pk"), status=Session.Status.PLANNED
    ).order_by("starts_at", "pk")
    return (
        activities.filter(status=Activity.Status.ACTIVE)
        .annotate(
            session_id=Subquery(planned.values("pk")[:1]),
            session_lead=Subquery(planned.values("lead_id")[:1]),
            session_at=Subquery(planned.values("starts_at")[:1]),
        )
        .filter(session_id__isnull=False)
        .values_list("pk", "municipality_id", "session_id", "session_lead", "session_at")
    )


def _dues(rows):
    for pk, municipality_id, session_id, lead_id, starts_at in rows:
        yield Due(
            lead_id, SESSION, starts_at, (Activity, pk), (Session, session_id), municipality_id
        )


def activity_duties(activity: Activity) -> list[Due]:
    return list(_dues(_next_sessions(Activity.objects.filter(pk=activity.pk))))


def every_activity_duty():
    return _dues(_next_sessions(Activity.objects.all()).iterator(chunk_size=5000))


register_source(
    Source(
        "activities.activity",
        kinds=(SESSION,),
        duties=activity_duties,
        everything=every_activity_duty,
    )
)
