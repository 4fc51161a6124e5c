"""The demo's workforce: a staff profile for the social helper, the case worker and the
supervisor of each place (a qualification, employment in the place's service, the institutions
the helper serves), three training events of this year with their attendance, and the Danish
place's own training norm (the others are held to the earlyhelp default). The helper reaches
the norm, the case worker is behind, so the norm check shows both. Reflective supervision: group
sessions of the helper and the supervisor spread over the year so far, keeping them on track,
and one individual session of the case worker, who falls behind (the reminder's case); the
Czech place sets its own supervision norm.

Team case discussions, implementation support and coverage: in each place a team discussion of
the helper and the case worker about one of the place's cases and a situation told without
names, with what each learnt; the case worker supported in introducing a method of the
catalogue, with two sessions (in the Czech place counted by its programme's "supported
workers"); the Danish place's own coverage norm and the Czech place's own caseload thresholds
(the Hungarian place is held to the defaults); and the coverage aggregate computed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from earlyhelp.organisations.models import Role

if TYPE_CHECKING:
    from earlyhelp.sampledata.demo.organisations import Place

QUALIFICATIONS = {
    "HU": ("Szociális munkás (BA)", "Egyetem, társadalomtudományi kar"),
    "CZ": ("Sociální práce (Bc.)", "Vysoká škola, fakulta sociálních studií"),
    "DK": ("Socialrådgiver (prof.bach.)", "Professionshøjskole"),
}
EVENTS = {
    "HU": (
        ("Signs of Safety alapképzés", "Signs of Safety", "Módszertani központ", 16),
        ("Traumatudatos segítés az iskolában", "Trauma", "Továbbképző intézet", 8),
        ("Esetmegbeszélő csoport vezetése", "Esetmegbeszélés", "Módszertani központ", 6),
    ),
    "CZ": (
        ("Signs of Safety – základní kurz", "Signs of Safety", "Vzdělávací institut", 16),
        ("Práce s traumatem ve škole", "Trauma", "Akreditovaný poskytovatel", 8),
        ("Vedení případové konference", "Případová konference", "Vzdělávací institut", 6),
    ),
    "DK": (
        ("Signs of Safety grundkursus", "Signs of Safety", "Kommunens kompetencecenter", 16),
        ("Traumeinformeret praksis i skolen", "Traumer", "Professionshøjskole", 8),
        ("Netværksmøder i praksis", "Netværksmøder", "Kommunens kompetencecenter", 6),
    ),
}
# Who attended which of the three events: the helper reaches 24 hours, the case worker 8, the
# supervisor 22.
ATTENDED = {
    Role.SOCIAL_HELPER: (0, 1),
    Role.CASE_WORKER: (1,),
    Role.SUPERVISOR: (0, 2),
}
SUPERVISORS = {
    "HU": ("Dr. Minta Supervízor", "Szupervizori Műhely (demo)"),
    "CZ": ("Mgr. Ukázková Supervizorka", "Supervizní praxe (demo)"),
    "DK": ("Eksempel Supervisor", "Supervisionshuset (demo)"),
}
OWN_SUPERVISION_NORM = {
    "CZ": ({"social_helper": 10, "case_worker": 10, "supervisor": 4}, "Rada obce (demo)"),
}
OWN_NORM = {
    "DK": (Decimal(20), "Kommunens kompetenceplan for det socialfaglige personale (demo)"),
}


def _workforce(place: Place, municipality, service, served, users) -> None:
    from earlyhelp.workforce.models import (
        Attendance,
        Employment,
        Qualification,
        StaffProfile,
        TrainingEvent,
        TrainingNorm,
    )

    if StaffProfile.objects.filter(municipality=municipality).exists():
        return
    today = date.today()
    title, awarded_by = QUALIFICATIONS[place.country]
    profiles = {}
    for years, role in enumerate(ATTENDED, start=2):
        profile = StaffProfile.objects.create(user=users[role], municipality=municipality)
        Qualification.objects.create(
            profile=profile, title=title, awarded_by=awarded_by,
            awarded_on=date(today.year - 4 - years, 6, 30),
        )  # fmt: skip
        Employment.objects.create(
            profile=profile, service=service, hours_per_week=Decimal(40),
            starts_on=date(today.year - years, 9, 1),
        )  # fmt: skip
        if role == Role.SOCIAL_HELPER:
            profile.institutions.set(served)
        profiles[role] = profile
    events = []
    # Spread over this year so far (never in the future), so that the norm check of "this
    # year" counts them whenever the demo is made.
    new_year = date(today.year, 1, 1)
    for share, (name, topic, provider, hours) in zip(
        (0.1, 0.4, 0.8), EVENTS[place.country], strict=True
    ):
        day = new_year + timedelta(days=int((today - new_year).days * share))
        events.append(
            TrainingEvent.objects.create(
                municipality=municipality, title=name, topic=topic, provider=provider,
                starts_on=day, ends_on=day, hours=Decimal(hours),
                created_by=users[Role.SUPERVISOR],
            )
        )  # fmt: skip
    for role, attended in ATTENDED.items():
        for index in attended:
            Attendance.objects.create(
                event=events[index], staff=profiles[role], hours=events[index].hours
            )
    _supervision(place, municipality, profiles, users[Role.SUPERVISOR], today)
    _discussion(place, municipality, profiles, users[Role.SUPERVISOR], today)
    _support(place, municipality, profiles, users[Role.SUPERVISOR], today)
    _coverage(place, municipality)
    if place.country in OWN_NORM:
        hours, source = OWN_NORM[place.country]
        TrainingNorm.objects.create(municipality=municipality, hours_per_year=hours, source=source)


def _supervision(place: Place, municipality, profiles, recorder, today: date) -> None:
    from earlyhelp.workforce.models import SupervisionNorm, SupervisionNote, SupervisionSession
    from earlyhelp.workforce.selectors import due_by

    name, organisation = SUPERVISORS[place.country]
    new_year = date(today.year, 1, 1)
    # Enough group sessions, spread over the year so far, that the helper is never behind.
    count = max(due_by(10, today), 1)
    days = [new_year + timedelta(days=(today - new_year).days * i // count) for i in range(count)]
    sessions = [(SupervisionSession.Kind.GROUP, day, (Role.SOCIAL_HELPER, Role.SUPERVISOR))
                for day in days]  # fmt: skip
    sessions.append((SupervisionSession.Kind.INDIVIDUAL, new_year, (Role.CASE_WORKER,)))
    for number, (kind, day, roles) in enumerate(sessions, start=1):
        session = SupervisionSession.objects.create(
            municipality=municipality, kind=kind, held_on=day, duration_minutes=90,
            supervisor_name=name, supervisor_organisation=organisation, created_by=recorder,
        )  # fmt: skip
        session.participants.set([profiles[role] for role in roles])
        SupervisionNote.objects.create(
            session=session, text=f"Demo notes {number}: generated text, no real person."
        )
    if place.country in OWN_SUPERVISION_NORM:
        sessions_per_role, source = OWN_SUPERVISION_NORM[place.country]
        SupervisionNorm.objects.create(
            municipality=municipality, source=source, **sessions_per_role
        )


DISCUSSIONS = {
    "HU": (
        "Esetmegbeszélő csoport vezetője (demo)",
        "Egy tanuló, aki hetek óta nem eszik az iskolai ebédnél.",
        ("Korábban kérdezek rá az osztályfőnöknél.", "A családdal közösen tervezünk."),
    ),
    "CZ": (
        "Vedoucí týmu (demo)",
        "Žák, který se o přestávkách schovává a s nikým nemluví.",
        ("Zeptám se dříve třídní učitelky.", "Plán připravíme společně s rodinou."),
    ),
    "DK": (
        "Teamleder (demo)",
        "Et barn, der gemmer sig i frikvartererne og ikke taler med nogen.",
        ("Jeg spørger klasselæreren tidligere.", "Vi lægger planen sammen med familien."),
    ),
}
# The catalogue's entry (sampledata/demo/knowledge_catalogue.py) a worker is supported in
# introducing, and who supports them.
METHODS = {
    "HU": ("Incredible Years szülőprogram", "Módszertani központ (demo)"),
    "CZ": ("Případová konference s rodinou", "Metodik organizace (demo)"),
    "DK": ("De Utrolige År – forældreprogram", "Kommunens metodekonsulent (demo)"),
}
OWN_COVERAGE_NORM = {
    "DK": (600, Decimal(37), "Kommunens serviceniveau for skolesocialrådgivere (demo)"),
}
OWN_CASELOAD_NORM = {
    "CZ": (20, Decimal(12), 6, "Standardy kvality organizace (demo)"),
}


def _discussion(place: Place, municipality, profiles, recorder, today: date) -> None:
    from earlyhelp.cases.models import Case
    from earlyhelp.workforce.models import DiscussedItem, DiscussionLearning, TeamDiscussion

    facilitator, situation, learnt = DISCUSSIONS[place.country]
    discussion = TeamDiscussion.objects.create(
        municipality=municipality, held_on=today - timedelta(days=14), duration_minutes=90,
        facilitator=facilitator, created_by=recorder,
    )  # fmt: skip
    team = (profiles[Role.SOCIAL_HELPER], profiles[Role.CASE_WORKER])
    discussion.participants.set(team)
    case = Case.objects.filter(municipality=municipality).order_by("pk").first()
    if case is not None:
        DiscussedItem.objects.create(discussion=discussion, case=case)
    DiscussedItem.objects.create(discussion=discussion, situation=situation)
    for profile, text in zip(team, learnt, strict=True):
        DiscussionLearning.objects.create(discussion=discussion, participant=profile, text=text)


def _support(place: Place, municipality, profiles, recorder, today: date) -> None:
    from earlyhelp.knowledge.models import Method
    from earlyhelp.programmes.models import Programme
    from earlyhelp.workforce.models import ImplementationSupport, SupportSession

    name, supporter = METHODS[place.country]
    method = Method.objects.get(municipality=municipality, name=name)
    support = ImplementationSupport.objects.create(
        municipality=municipality, staff=profiles[Role.CASE_WORKER], method=method,
        supporter_name=supporter, starts_on=today - timedelta(days=60), created_by=recorder,
    )  # fmt: skip
    for days in (50, 20):
        SupportSession.objects.create(
            support=support, held_on=today - timedelta(days=days), minutes=60,
            note="Demo note: generated text, no real person.",
        )  # fmt: skip
    if place.country == "CZ":
        support.programmes.set(Programme.objects.filter(municipality=municipality))


def _coverage(place: Place, municipality) -> None:
    from earlyhelp.workforce.coverage import rebuild
    from earlyhelp.workforce.models import CaseloadNorm, CoverageNorm

    if place.country in OWN_COVERAGE_NORM:
        children, hours, source = OWN_COVERAGE_NORM[place.country]
        CoverageNorm.objects.create(
            municipality=municipality, children_per_helper=children, full_time_hours=hours,
            source=source,
        )  # fmt: skip
    if place.country in OWN_CASELOAD_NORM:
        cases, activities, arrangements, source = OWN_CASELOAD_NORM[place.country]
        CaseloadNorm.objects.create(
            municipality=municipality, open_cases=cases, activities_per_week=activities,
            open_arrangements=arrangements, source=source,
        )  # fmt: skip
    rebuild(municipality.institutions.values_list("pk", flat=True))
