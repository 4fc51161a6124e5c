"""What a contact meeting must respect (DESIGN.md 3.6): the child's school hours, a maximum
length by the child's age, and no clash of rooms, workers, the child's other commitments or
the parents' other meetings. The limits are the jurisdiction profile's rule "assisted_contact"
(protocols.md), with the defaults below where a profile sets none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from earlyhelp.protocols.deadlines import WorkingCalendar, calendar_country
from earlyhelp.protocols.selectors import profile_for

# Up to (but not including) this age in years, a meeting lasts at most so many minutes.
MAX_MINUTES_BY_AGE = [[3, 60], [6, 90], [12, 120], [None, 180]]
SCHOOL_DAY = ["08:00", "15:00"]
SCHOOL_FROM_AGE = 6
BUSY = ("planned", "held")


@dataclass(frozen=True)
class Limits:
    max_minutes_by_age: list
    school_day: tuple[time, time]
    school_from_age: int
    country: str

    def max_minutes(self, age: int) -> int:
        for below, minutes in self.max_minutes_by_age:
            if below is None or age < below:
                return minutes
        return self.max_minutes_by_age[-1][1]


def limits_for(municipality) -> Limits:
    profile = profile_for(municipality)
    rules = profile.rules.get("assisted_contact", {})
    start, end = rules.get("school_day", SCHOOL_DAY)
    return Limits(
        max_minutes_by_age=rules.get("max_minutes_by_age", MAX_MINUTES_BY_AGE),
        school_day=(time.fromisoformat(start), time.fromisoformat(end)),
        school_from_age=rules.get("school_from_age", SCHOOL_FROM_AGE),
        country=calendar_country(profile, municipality),
    )


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Clash:
    """One reason a meeting cannot take place at that time, in words for the worker."""

    kind: str  # too_long, school_hours, room, worker, child, visitor, carer
    message: str


def _span(start: datetime, end: datetime) -> str:
    return f"{time_format(timezone.localtime(start))}–{time_format(timezone.localtime(end))}"


def clashes(
    arrangement, starts_at: datetime, minutes: int, *, room=None, lead=None, exclude=(),
    calendar: WorkingCalendar | None = None, limits: Limits | None = None,
) -> list[Clash]:  # fmt: skip
    """Every reason a meeting of `arrangement` from `starts_at` for `minutes` clashes, or [].
    `exclude` holds the ids of meetings being moved (they do not clash with themselves)."""
    from earlyhelp.activities.models import Session
    from earlyhelp.contacts.models import Meeting

    limits = limits or limits_for(arrangement.municipality)
    ends_at = starts_at + timedelta(minutes=minutes)
    local = timezone.localtime(starts_at)
    child = arrangement.child
    age = age_on(child.birth_date, local.date())
    found: list[Clash] = []
    if local.date() < arrangement.starts_on or (
        arrangement.ends_on and timezone.localtime(ends_at).date() > arrangement.ends_on
    ):
        found.append(
            Clash(
                "outside",
                _("The arrangement runs from %(first)s to %(last)s.")
                % {
                    "first": date_format(arrangement.starts_on, "SHORT_DATE_FORMAT"),
                    "last": date_format(arrangement.ends_on, "SHORT_DATE_FORMAT")
                    if arrangement.ends_on
                    else "…",
                },
            )
        )
    longest = limits.max_minutes(age)
    if minutes > longest:
        found.append(
            Clash(
                "too_long",
                _("At %(age)s years a contact lasts at most %(max)s minutes.")
                % {"age": age, "max": longest},
            )
        )
    if not arrangement.school_hours_allowed and age >= limits.school_from_age:
        calendar = calendar or WorkingCalendar(limits.country)
        school_start, school_end = limits.school_day
        local_end = timezone.localtime(ends_at)
        if (
            calendar.is_working(local.date())
            and local.time() < school_end
            and local_end.time() > school_start
        ):
            found.append(
                Clash(
                    "school_hours",
                    _("The child is at school from %(start)s to %(end)s on school days.")
                    % {"start": time_format(school_start), "end": time_format(school_end)},
                )
            )
    overlapping = (
        Meeting.objects.filter(status__in=BUSY, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(pk__in=list(exclude))
        .select_related("room", "lead")
    )
    lead = lead or arrangement.lead
    parties = [a for a in (arrangement.visitor_id, arrangement.carer_id) if a]
    conditions = Q(child_id=child.pk) | Q(lead_id=lead.pk)
    if room is not None:
        conditions |= Q(room_id=room.pk)
    if parties:
        conditions |= Q(arrangement__visitor_id__in=parties) | Q(arrangement__carer_id__in=parties)
    for other in overlapping.filter(conditions).select_related("arrangement"):
        span = _span(other.starts_at, other.ends_at)
        if other.arrangement_id == arrangement.pk:
            # One reason, not one per person of the same meeting.
            found.append(
                Clash("same", _("This contact already has a meeting %(span)s.") % {"span": span})
            )
            continue
        if room is not None and other.room_id == room.pk:
            found.append(
                Clash("room", _("%(room)s is taken %(span)s.") % {"room": room.name, "span": span})
            )
        if other.lead_id == lead.pk:
            found.append(
                Clash(
                    "worker",
                    _("%(worker)s has another contact %(span)s.")
                    % {"worker": lead.get_full_name() or lead.get_username(), "span": span},
                )
            )
        if other.child_id == child.pk:
            found.append(
                Clash("child", _("The child has another contact %(span)s.") % {"span": span})
            )
        for party, label in (
            (arrangement.visitor_id, _("The visiting parent or relative")),
            (arrangement.carer_id, _("The parent or carer the child lives with")),
        ):
            if party and party in (other.arrangement.visitor_id, other.arrangement.carer_id):
                found.append(
                    Clash(
                        "visitor" if party == arrangement.visitor_id else "carer",
                        _("%(who)s has another contact %(span)s.") % {"who": label, "span": span},
                    )
                )
    # The worker's and the child's activities (groups, sessions), whose meetings have a length.
    window = Session.objects.filter(
        status__in=("planned", "held"),
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - timedelta(hours=24),
    ).select_related("activity__type")
    worker_sessions = window.filter(lead_id=lead.pk)
    child_sessions = window.filter(
        activity__participants__child_id=child.pk, activity__participants__left_on__isnull=True
    )
    for session, kind in [(s, "worker") for s in worker_sessions] + [
        (s, "child") for s in child_sessions
    ]:
        session_end = session.starts_at + timedelta(minutes=session.minutes)
        if session_end <= starts_at:
            continue
        span = _span(session.starts_at, session_end)
        if kind == "worker":
            message = _("%(worker)s holds “%(activity)s” %(span)s.") % {
                "worker": lead.get_full_name() or lead.get_username(),
                "activity": session.activity.type,
                "span": span,
            }
        else:
            message = _("The child takes part in “%(activity)s” %(span)s.") % {
                "activity": session.activity.type,
                "span": span,
            }
        found.append(Clash(kind, message))
    return found
