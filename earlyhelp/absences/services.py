"""Recording absence, and the signal that unexcused absence calls for where the profile sets a
threshold (HU: 10 school hours or 5 kindergarten days in the school year)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.absences.access import recordable_children
from earlyhelp.absences.models import Absence, school_year_start
from earlyhelp.access.policy import Action, can
from earlyhelp.audit.services import audit_record
from earlyhelp.concerns.models import Category, Concern, ConcernChild
from earlyhelp.core.versioning import update_versioned
from earlyhelp.notifications.models import Notification
from earlyhelp.notifications.services import notify
from earlyhelp.organisations.models import Institution, Membership, Role
from earlyhelp.protocols.services import absence_thresholds, profile_for

# Which profile threshold applies to which unit of absence.
THRESHOLD_KEY = {Absence.Unit.HOURS: "school_hours", Absence.Unit.DAYS: "kindergarten_days"}


def threshold_for(institution: Institution) -> int | None:
    """The unexcused absence in a school year that calls for a signal here, or None."""
    if institution.kind not in (Institution.Kind.SCHOOL, Institution.Kind.KINDERGARTEN):
        return None
    thresholds = absence_thresholds(profile_for(institution.municipality))
    return thresholds.get(THRESHOLD_KEY[Absence.unit_for(institution)])


def unexcused_total(*, child_id: int, institution_id: int, day: date) -> int:
    start = school_year_start(day)
    return (
        Absence.objects.filter(
            child_id=child_id,
            institution_id=institution_id,
            excused=False,
            date__gte=start,
            date__lt=start.replace(year=start.year + 1),
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )


@transaction.atomic
def absence_record(
    *,
    user,
    child,
    institution: Institution,
    day: date,
    amount: int,
    excused: bool,
    note: str = "",
    role: str = "",
    request_id: str = "",
) -> Absence:
    if child not in recordable_children(user=user, institution=institution):
        raise PermissionDenied
    problems = []
    if day > timezone.localdate():
        problems.append(_("An absence cannot be recorded for a day still to come."))
    if amount < 1 or amount > 12:
        problems.append(_("Give between 1 and 12."))
    if problems:
        raise ValidationError(problems)
    absence = Absence.objects.create(
        municipality_id=institution.municipality_id,
        child=child,
        institution=institution,
        date=day,
        amount=amount,
        unit=Absence.unit_for(institution),
        excused=excused,
        note=note.strip(),
        recorded_by=user,
    )
    audit_record(
        actor=user,
        action="create",
        obj=absence,
        role=role,
        request_id=request_id,
        changes={"date": [None, day], "amount": [None, amount], "excused": [None, excused]},
    )
    if not excused:
        _signal_if_threshold_reached(absence, user)
    return absence


@transaction.atomic
def absence_excuse(*, user, absence: Absence, version: int, role: str = "", request_id: str = ""):
    """A note from the parents or a doctor arrived: the absence is excused."""
    if not can(user, Action.CHANGE, absence):
        raise PermissionDenied
    update_versioned(absence, expected_version=version, fields={"excused": True})
    audit_record(
        actor=user,
        action="change",
        obj=absence,
        role=role,
        request_id=request_id,
        changes={"excused": [False, True]},
    )
    return absence


def _signal_if_threshold_reached(absence: Absence, user) -> Concern | None:
    """Reaching the threshold drafts the signal for whoever recorded the absence that reached
    it, and tells them and the institution's leads. Sending it stays a person's act: the draft
    is filled in, never sent by itself. One draft per child, institution and school year."""
    threshold = threshold_for(absence.institution)
    if threshold is None:
        return None
    total = unexcused_total(
        child_id=absence.child_id, institution_id=absence.institution_id, day=absence.date
    )
    if total < threshold:
        return None
    year = school_year_start(absence.date)
    trigger = f"absence:{absence.child_id}:{absence.institution_id}:{year.isoformat()}"
    if Concern.objects.filter(trigger=trigger).exists():
        return None
    dates = Absence.objects.filter(
        child_id=absence.child_id,
        institution_id=absence.institution_id,
        excused=False,
        date__gte=year,
    ).order_by("date")
    unit = absence.get_unit_display()
    lines = [f"{a.date:%Y-%m-%d}: {a.amount} {unit}" for a in dates]
    concern = Concern.objects.create(
        municipality_id=absence.municipality_id,
        institution=absence.institution,
        reporter=user,
        trigger=trigger,
        categories=[Category.ABSENCE],
        what_happened=_(
            "Unexcused absence in this school year: %(total)s %(unit)s (the threshold for a "
            "signal is %(threshold)s)."
        )
        % {"total": total, "unit": unit, "threshold": threshold}
        + "\n"
        + "\n".join(lines),
    )
    ConcernChild.objects.create(
        concern=concern, child_id=absence.child_id, role=ConcernChild.Role.HARMED
    )
    audit_record(
        actor=user,
        action="create",
        obj=concern,
        purpose="absence threshold",
        changes={"status": [None, "draft"], "trigger": [None, trigger]},
    )
    leads = Membership.objects.active().filter(
        role=Role.INSTITUTION_LEAD, institution_id=absence.institution_id
    )
    notify(
        recipients=[user],
        kind=Notification.Kind.ABSENCE_THRESHOLD,
        url=reverse("concerns:edit", args=[concern.pk]),
        event=f"{trigger}:draft",
    )
    notify(
        recipients=[m.user for m in leads.select_related("user") if m.user_id != user.pk],
        kind=Notification.Kind.ABSENCE_THRESHOLD,
        url=reverse("absences:list"),
        event=f"{trigger}:lead",
    )
    return concern
