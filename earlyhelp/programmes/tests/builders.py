"""Records for the programme figures' tests, made directly with the ORM: a programme and the
work linked to it (activities with held meetings, cases, contact meetings, foster care)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from earlyhelp.activities.models import Activity, ActivityType, Attendance, Participant, Session
from earlyhelp.cases.models import Case, CaseChild, CaseParticipant
from earlyhelp.contacts.models import Arrangement, Meeting
from earlyhelp.fostercare.models import Carer, Household, Placement, SupportAgreement
from earlyhelp.organisations.models import Role
from earlyhelp.programmes.models import Indicator, Programme
from earlyhelp.tests import factories as f


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def programme(world, **extra) -> Programme:
    fields = {
        "municipality": world.municipality_a,
        "name": "Assisted contact and foster care",
        "funder": "ESF OPZ",
        "reference": "CZ.03.2.X/0.0/0.0/18_001",
        "starts_on": date(2020, 1, 1),
        "ends_on": date(2021, 12, 31),
        "budget": Decimal("1200000"),
        "currency": "CZK",
        "aid_rate": Decimal("85"),
        "lead": world.users[Role.MANAGER],
        "created_by": world.users[Role.MANAGER],
    }
    fields.update(extra)
    return Programme.objects.create(**fields)


def indicator(prog, unit, target=10, **extra) -> Indicator:
    types = extra.pop("types", [])
    made = Indicator.objects.create(
        programme=prog,
        name=extra.pop("name", unit),
        unit=unit,
        target_value=Decimal(target),
        target_date=extra.pop("target_date", prog.ends_on),
        **extra,
    )
    made.activity_types.set(types)
    return made


def activity_type(world, code="parent_club") -> ActivityType:
    return ActivityType.objects.get(municipality=world.municipality_a, code=code)


def activity(world, prog, code="parent_club", institution=None) -> Activity:
    school = institution or world.school_a1
    made = Activity.objects.create(
        municipality=school.municipality, institution=school, type=activity_type(world, code),
        title="Club", lead=world.users[Role.SOCIAL_HELPER],
        created_by=world.users[Role.SOCIAL_HELPER], starts_on=date(2020, 1, 1),
    )  # fmt: skip
    if prog is not None:
        made.programmes.add(prog)
    return made


def meeting(act, day: date, *, held=True, minutes=60, present=(), absent=()) -> Session:
    """A meeting of the activity; `present` and `absent` are Participants."""
    session = Session.objects.create(
        activity=act, municipality=act.municipality, lead=act.lead, minutes=minutes,
        starts_at=at(day), status=Session.Status.HELD if held else Session.Status.PLANNED,
    )  # fmt: skip
    for participant in present:
        Attendance.objects.create(session=session, participant=participant, status="present")
    for participant in absent:
        Attendance.objects.create(session=session, participant=participant, status="absent")
    return session


def participant(
    act, *, child=None, adult=None, staff=None, name="", target_group=""
) -> Participant:
    return Participant.objects.create(
        activity=act, municipality=act.municipality, child=child, adult=adult, staff=staff,
        name=name, target_group=target_group, joined_on=act.starts_on,
    )  # fmt: skip


def case(
    world, prog, *, opened: date, closed: date | None = None, children=(), adults=(), outcome=""
):
    made = Case.objects.create(
        municipality=world.municipality_a, service=world.service_a, title="Family",
        reason="Why", lead_worker=world.users[Role.CASE_WORKER],
        opened_by=world.users[Role.CASE_WORKER], opened_at=at(opened),
        closed_at=at(closed) if closed else None,
        status=Case.Status.CLOSED if closed else Case.Status.OPEN, outcome=outcome,
    )  # fmt: skip
    if prog is not None:
        made.programmes.add(prog)
    for child in children:
        CaseChild.objects.create(case=made, child=child)
    for adult in adults:
        CaseParticipant.objects.create(
            case=made, adult=adult, role="parent", added_by=world.users[Role.CASE_WORKER]
        )
    return made


def arrangement(world, prog, *, child, visitor, days=(), cancelled=()) -> Arrangement:
    worker = world.users[Role.CASE_WORKER]
    made = Arrangement.objects.create(
        municipality=world.municipality_a, service=world.service_a, child=child,
        visitor=visitor, basis="court_order", lead=worker, starts_on=date(2020, 1, 1),
        created_by=worker,
    )  # fmt: skip
    if prog is not None:
        made.programmes.add(prog)
    for day, status in [(d, "held") for d in days] + [(d, "cancelled") for d in cancelled]:
        Meeting.objects.create(
            arrangement=made, municipality=made.municipality, child=child, lead=worker,
            starts_at=at(day), ends_at=at(day, 11), stage="assisted", status=status,
        )  # fmt: skip
    return made


def foster(world, prog, *, carers, signed: date, ends: date | None = None, children=()):
    """A household with its carers (adults) and an agreement linked to the programme;
    `children` are (child, placed on, ended on)."""
    worker = world.users[Role.CASE_WORKER]
    household = Household.objects.create(
        municipality=world.municipality_a, service=world.service_a, name="Carers",
        created_by=worker,
    )  # fmt: skip
    for adult in carers:
        Carer.objects.create(household=household, adult=adult)
    for child, starts, ended in children:
        Placement.objects.create(
            household=household, municipality=world.municipality_a, child=child,
            kind="long_term", starts_on=starts, ends_on=ended,
        )  # fmt: skip
    agreement = SupportAgreement.objects.create(
        household=household, municipality=world.municipality_a, service=world.service_a,
        key_worker=worker, signed_on=signed, ends_on=ends,
    )  # fmt: skip
    if prog is not None:
        agreement.programmes.add(prog)
    return household


def child(world, **extra):
    return f.ChildFactory(municipality=world.municipality_a, **extra)


def adult(world, **extra):
    return f.AdultFactory(municipality=world.municipality_a, **extra)
