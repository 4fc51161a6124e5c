"""Workforce records for tests: a staff member's profile, a training event, attendance.
Each builder finds what an earlier call made, so the matrix may ask for it once per role."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from earlyhelp.core.tests.samples import pdf
from earlyhelp.organisations.models import Role
from earlyhelp.tests.personas import World
from earlyhelp.workforce.models import (
    Attendance,
    DiscussedItem,
    ImplementationSupport,
    Qualification,
    StaffProfile,
    SupervisionNote,
    SupervisionSession,
    TeamDiscussion,
    TrainingEvent,
)

PDF = pdf()


def profile_of(user) -> StaffProfile:
    profile, _created = StaffProfile.objects.get_or_create(
        user=user, defaults={"municipality_id": user.municipality_id}
    )
    return profile


def helper_profile(w: World, inside: bool) -> StaffProfile:
    """The social helper's profile: inside, the helper of municipality A, supervised by A's
    supervisor; outside, the helper of municipality B."""
    return profile_of((w.users if inside else w.outsiders)[Role.SOCIAL_HELPER])


def qualification(w: World, inside: bool) -> Qualification:
    profile = helper_profile(w, inside)
    found = profile.qualifications.first()
    return found or Qualification.objects.create(
        profile=profile, title="Social work BA", awarded_by="A university"
    )


def event(w: World, inside: bool, *, hours: Decimal = Decimal(8), on: date | None = None):
    users = w.users if inside else w.outsiders
    on = on or date.today()
    return TrainingEvent.objects.create(
        municipality=w.municipality_a if inside else w.municipality_b,
        title="Signs of Safety basics",
        topic="Signs of Safety",
        provider="A trainer",
        starts_on=on,
        ends_on=on,
        hours=hours,
        created_by=users[Role.SUPERVISOR],
    )


def attended(w: World, inside: bool, *, certificate: bool = False, hours=None) -> Attendance:
    """An event the social helper attended (with a certificate, if asked)."""
    made = event(w, inside)
    attendance = Attendance(event=made, staff=helper_profile(w, inside), hours=hours or made.hours)
    if certificate:
        attendance.certificate = ContentFile(PDF, name="certificate.pdf")
        attendance.certificate_name = "certificate.pdf"
        attendance.certificate_type = "application/pdf"
        attendance.certificate_size = len(PDF)
    attendance.save()
    return attendance


def session(
    w: World, inside: bool, *, participants=None, on: date | None = None, notes: str = ""
) -> SupervisionSession:
    """A group supervision session led by an external supervisor; by default the social
    helper took part, recorded by their supervisor."""
    users = w.users if inside else w.outsiders
    made = SupervisionSession.objects.create(
        municipality=w.municipality_a if inside else w.municipality_b,
        kind=SupervisionSession.Kind.GROUP,
        held_on=on or date.today(),
        duration_minutes=90,
        supervisor_name="An external supervisor",
        supervisor_organisation="A supervision practice",
        created_by=users[Role.SUPERVISOR],
    )
    made.participants.set(participants or [helper_profile(w, inside)])
    SupervisionNote.objects.create(session=made, text=notes)
    return made


def discussion(w: World, inside: bool, *, participants=None, on: date | None = None, cases=()):
    """A team case discussion the social helper took part in, recorded by their supervisor,
    about an anonymous situation and the given cases."""
    users = w.users if inside else w.outsiders
    made = TeamDiscussion.objects.create(
        municipality=w.municipality_a if inside else w.municipality_b,
        held_on=on or date.today(),
        duration_minutes=60,
        facilitator="The team lead",
        created_by=users[Role.SUPERVISOR],
    )
    made.participants.set(participants or [helper_profile(w, inside)])
    DiscussedItem.objects.create(discussion=made, situation="A pupil who stopped eating lunch")
    for case in cases:
        DiscussedItem.objects.create(discussion=made, case=case)
    return made


def method(w: World, inside: bool, name: str = "Motivational interviewing"):
    from earlyhelp.knowledge.models import Method

    municipality = w.municipality_a if inside else w.municipality_b
    found = Method.objects.filter(municipality=municipality, name=name).first()
    return found or Method.objects.create(municipality=municipality, name=name)


def support(w: World, inside: bool, *, staff=None, on: date | None = None):
    """The social helper supported in introducing a method, by an outside trainer."""
    users = w.users if inside else w.outsiders
    return ImplementationSupport.objects.create(
        municipality=w.municipality_a if inside else w.municipality_b,
        staff=staff or helper_profile(w, inside),
        method=method(w, inside),
        supporter_name="A method trainer",
        starts_on=on or date.today(),
        created_by=users[Role.SUPERVISOR],
    )
