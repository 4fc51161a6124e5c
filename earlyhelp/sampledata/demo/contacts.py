"""The demo's assisted contact in each place: arrangements, meetings and reports."""

from __future__ import annotations

import random
from datetime import time, timedelta

from django.utils import timezone

from earlyhelp.organisations.models import (
    Role,
)
from earlyhelp.people.models import (
    Child,
    ChildTeamMember,
    Relationship,
)
from earlyhelp.sampledata.demo.activities import _term_start

# Each country's words: the observations per competence, the child's words, incidents, the
# rooms, who was present, the reasons for a cancellation and a no-show, who else may attend,
# the report's summary and the team note.
CONTACT_TEXTS = {
    "CZ": {
        "observations": {
            "needs": "Všiml si, že je dítěti zima, a půjčil mu mikinu.",
            "warmth": "Přivítal dítě objetím, ptal se na školu a na kamarády.",
            "level": "Hráli spolu pexeso, otec trpělivě vysvětloval pravidla.",
            "boundaries": "Klidně, ale jasně řekl, že se sladkosti jedí až po svačině.",
            "agreements": "Přišel včas a dodržel dohodnutá pravidla.",
            "other_parent": "O matce mluvil s respektem, bez výčitek.",
            "parting": "Rozloučení bylo klidné, domluvili se na příští setkání.",
        },
        "words": (
            "„Táta mi slíbil, že příště přinese stavebnici.“",
            "„Bylo to fajn, ale chci už jít domů.“",
            "„Můžu tátovi ukázat svoje vysvědčení?“",
            "„Dneska jsme hráli nejdéle ze všech.“",
        ),
        "incidents": (
            "Otec se na začátku ptal na soudní jednání; pracovnice ho upozornila na pravidla a "
            "dál už o tom nemluvil.",
            "Dítě se při předávání rozplakalo, po deseti minutách se uklidnilo.",
        ),
        "rooms": ("Herna 1", "Herna 2"),
        "present": "dítě, otec, pracovnice; matka při předání",
        "ill": "Dítě je nemocné.",
        "no_show": "Otec nepřišel a nebyl k zastižení.",
        "may_attend": "Babička z otcovy strany, po dohodě s pracovnicí.",
        "tired": "Dítě bylo unavené a chtělo domů.",
        "summary": "Kontakty probíhají pravidelně. Otec je na setkání připravený, spolupracuje "
        "s pracovnicí a respektuje dohodnutá pravidla. Dítě se na setkání těší; doporučujeme "
        "pokračovat v asistovaném kontaktu.",
        "team": "asistovaný kontakt",
        "reference": "{a} P {b}/{year}",
    },
    "HU": {
        "observations": {
            "needs": "Észrevette, hogy a gyerek fázik, és odaadta neki a pulóverét.",
            "warmth": "Öleléssel fogadta a gyereket, az iskoláról és a barátairól kérdezte.",
            "level": "Memóriajátékot játszottak, az apa türelmesen elmagyarázta a szabályokat.",
            "boundaries": "Nyugodtan, de világosan megmondta, hogy édesség csak uzsonna után jár.",
            "agreements": "Időben érkezett, és betartotta a megbeszélt szabályokat.",
            "other_parent": "Az anyáról tisztelettel beszélt, szemrehányás nélkül.",
            "parting": "Nyugodtan búcsúztak el, megbeszélték a következő találkozót.",
        },
        "words": (
            "„Apa megígérte, hogy legközelebb hozza a legót.”",
            "„Jó volt, de most már haza akarok menni.”",
            "„Megmutathatom apának a bizonyítványomat?”",
            "„Ma játszottunk a legtovább.”",
        ),
        "incidents": (
            "Az apa az elején a bírósági tárgyalásról kérdezett; a munkatárs emlékeztette a "
            "szabályokra, utána nem hozta szóba.",
            "A gyerek az átadáskor elsírta magát, tíz perc múlva megnyugodott.",
        ),
        "rooms": ("Játszószoba 1", "Játszószoba 2"),
        "present": "gyerek, apa, munkatárs; anya az átadáskor",
        "ill": "A gyerek beteg.",
        "no_show": "Az apa nem jött el, és nem volt elérhető.",
        "may_attend": "Az apai nagymama, a munkatárssal egyeztetve.",
        "tired": "A gyerek elfáradt, és haza akart menni.",
        "summary": "A kapcsolattartások rendszeresen zajlanak. Az apa felkészülten érkezik, "
        "együttműködik a munkatárssal, és betartja a megbeszélt szabályokat. A gyerek várja a "
        "találkozókat; javasoljuk a felügyelt kapcsolattartás folytatását.",
        "team": "felügyelt kapcsolattartás",
        "reference": "{a}.P.20.{b}/{year}",
    },
    "DK": {
        "observations": {
            "needs": "Han lagde mærke til, at barnet frøs, og lånte det sin trøje.",
            "warmth": "Han tog imod barnet med et knus og spurgte til skolen og vennerne.",
            "level": "De spillede vendespil, og far forklarede tålmodigt reglerne.",
            "boundaries": "Han sagde roligt, men tydeligt, at slik først spises efter frugten.",
            "agreements": "Han kom til tiden og overholdt de aftalte regler.",
            "other_parent": "Han talte pænt om mor, uden bebrejdelser.",
            "parting": "Afskeden var rolig, og de aftalte næste samvær.",
        },
        "words": (
            "„Far har lovet at tage LEGO med næste gang.“",
            "„Det var hyggeligt, men nu vil jeg gerne hjem.“",
            "„Må jeg vise far min tegning fra skolen?“",
            "„I dag legede vi længst af alle.“",
        ),
        "incidents": (
            "Far spurgte i starten til sagen i Familieretshuset; medarbejderen mindede om "
            "reglerne, og derefter talte han ikke om det.",
            "Barnet græd ved overleveringen, men faldt til ro efter ti minutter.",
        ),
        "rooms": ("Samværsrum 1", "Samværsrum 2"),
        "present": "barnet, far, medarbejder; mor ved overleveringen",
        "ill": "Barnet er sygt.",
        "no_show": "Far mødte ikke op og kunne ikke træffes.",
        "may_attend": "Farmor, efter aftale med medarbejderen.",
        "tired": "Barnet var træt og ville hjem.",
        "summary": "Samværene forløber regelmæssigt. Far er forberedt, samarbejder med "
        "medarbejderen og overholder de aftalte regler. Barnet glæder sig til samværene; vi "
        "anbefaler, at det støttede samvær fortsætter.",
        "team": "støttet samvær",
        "reference": "FRH-{year}-{a}{b}",
    },
}
# The Czech pilot has six arrangements (seed 001); the other places three each.
CONTACT_ARRANGEMENTS = {"CZ": 6, "HU": 3, "DK": 3}


def _contacts(place, municipality, service, users, seed: int) -> None:
    """The contact arrangements of parents in divorce (six in the Czech pilot, seed 001; three
    in each other place, in its language), each with a
    fortnightly series since the start of the term: meetings held and recorded, a few
    cancelled by the carer or missed by the visitor, stages moving forward, one report
    released to the court and one waiting for the supervisor. Planned through the services,
    so the clash rules hold for the demo too."""
    from earlyhelp.contacts import services as contacts
    from earlyhelp.contacts.models import Arrangement, Meeting, Room
    from earlyhelp.contacts.rules import age_on, limits_for

    if Arrangement.objects.filter(municipality=municipality).exists():
        return
    worker, supervisor = users[Role.CASE_WORKER], users[Role.SUPERVISOR]
    texts = CONTACT_TEXTS[place.country]
    # The Czech place keeps the seed it always had, so its arrangements stay the same.
    rng = random.Random(
        f"{seed}-contacts" if place.country == "CZ" else f"{seed}-{place.prefix}-contacts"
    )
    rooms = [
        Room.objects.get_or_create(municipality=municipality, service=service, name=name)[0]
        for name in texts["rooms"]
    ]
    families = [
        child
        for child in Child.objects.filter(municipality=municipality, restricted=False).order_by(
            "pk"
        )
        if child.relationships.filter(kind=Relationship.Kind.FATHER).exists()
        and child.relationships.filter(kind=Relationship.Kind.MOTHER).exists()
    ][: CONTACT_ARRANGEMENTS[place.country]]
    today = timezone.localdate()
    limits = limits_for(municipality)
    codes = list(texts["observations"])
    for index, child in enumerate(families):
        ChildTeamMember.objects.get_or_create(
            child=child, user=worker, defaults={"note": texts["team"]}
        )
        father = child.relationships.get(kind=Relationship.Kind.FATHER).adult
        mother = child.relationships.get(kind=Relationship.Kind.MOTHER).adult
        first = _term_start(today) + timedelta(days=index)
        while first.weekday() > 4:
            first += timedelta(days=1)
        minutes = min(90, limits.max_minutes(age_on(child.birth_date, first)))
        competences = rng.sample(codes, 3)
        arrangement = contacts.arrangement_create(
            user=worker, service=service, child=child,
            data={
                "visitor": father, "carer": mother,
                "basis": ("court_order", "authority", "agreement")[index % 3],
                "basis_reference": texts["reference"].format(
                    a=20 + index, b=100 + index * 7, year=today.year
                ) if index % 3 == 0 else "",
                "may_attend": texts["may_attend"]
                if index == 2 else "",
                "restrictions": ["no_proceedings", "no_unsupervised"][: 1 + index % 2],
                "competences": competences, "frequency": "fortnightly", "minutes": minutes,
                "room": rooms[index % 2], "starts_on": first,
            },
        )  # fmt: skip
        slots = contacts.series_slots(
            arrangement, first_day=first, start=time(15, 30 if index % 2 else 0), count=10,
            step_days=14, minutes=minutes, room=rooms[index % 2],
        )  # fmt: skip
        meetings = contacts.meetings_plan(
            user=worker, arrangement=arrangement, slots=slots, room=rooms[index % 2],
            skip_clashes=True,
        )  # fmt: skip
        stage_days = {1: 4, 2: 7}  # the stages reached after so many meetings
        past = [m for m in meetings if m.starts_at <= timezone.now()]
        if index == 3 and past:
            # The last meeting is still to be written up.
            past = past[:-1]
        for number, meeting in enumerate(past):
            for stage, after in stage_days.items():
                if number == after and index < 4 - stage + 2:
                    arrangement.refresh_from_db()
                    contacts.arrangement_stage(
                        user=worker, arrangement=arrangement,
                        stage=Arrangement.Stage.values[stage],
                        on=timezone.localtime(meeting.starts_at).date(), reason="",
                        version=arrangement.version,
                    )  # fmt: skip
            meeting.refresh_from_db()
            roll = rng.random()
            if roll < 0.12:
                contacts.meeting_cancel(
                    user=worker, meeting=meeting, status=Meeting.Status.CANCELLED,
                    caused_by="carer", reason=texts["ill"], version=meeting.version,
                    notice_given_at=meeting.starts_at - timedelta(hours=rng.choice((3, 20, 50))),
                )  # fmt: skip
                continue
            if roll < 0.2:
                contacts.meeting_cancel(
                    user=worker, meeting=meeting, status=Meeting.Status.NO_SHOW,
                    caused_by="visitor", reason=texts["no_show"],
                    version=meeting.version,
                )  # fmt: skip
                continue
            start = timezone.localtime(meeting.starts_at)
            late = 10 if rng.random() < 0.15 else 0
            handover = (start + timedelta(minutes=5 + late)).time()
            arrived = start + timedelta(minutes=late) if late else start - timedelta(minutes=10)
            early = rng.random() < 0.06
            contacts.meeting_record(
                user=worker, meeting=meeting, version=meeting.version,
                data={
                    "visitor_arrived_at": arrived.time(),
                    "child_arrived_at": start.time(), "handover_at": handover,
                    "ended_at": (start + timedelta(minutes=minutes - (30 if early else 5))).time(),
                    "present": texts["present"],
                    "observations": {code: texts["observations"][code] for code in competences
                                     if rng.random() < 0.7},
                    "child_words": rng.choice(texts["words"]),
                    "incidents": rng.choice(texts["incidents"]) if rng.random() < 0.15 else "",
                    "ended_early": early,
                    "early_end_reason": texts["tired"] if early else "",
                    "minutes_late": late or None, "caused_by": "visitor" if late else "",
                },
            )  # fmt: skip
        if index < 2:
            arrangement.refresh_from_db()
            report = contacts.report_create(
                user=worker, arrangement=arrangement,
                recipient="court" if index == 0 else "authority",
                period_from=arrangement.starts_on, period_to=today - timedelta(days=1),
                summary=texts["summary"],
            )  # fmt: skip
            contacts.report_submit(user=worker, report=report, version=report.version)
            if index == 0:
                contacts.report_review(
                    user=supervisor, report=report, release=True, note="",
                    version=report.version,
                )  # fmt: skip
