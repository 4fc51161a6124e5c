"""The demo's activities: a term of the social helper's groups, sessions and attendance, and the
agreements wellbeing conversations need."""

from __future__ import annotations

import random
import zlib
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from faker import Faker

from earlyhelp.organisations.models import (
    Role,
)
from earlyhelp.people.models import (
    Adult,
    Child,
    Consent,
    Relationship,
)

if TYPE_CHECKING:
    from earlyhelp.sampledata.demo.organisations import Place


# What the social helper of each country runs this term, in its language. Notes of held meetings
# rotate; `cancelled` holds why a meeting did not take place (a school break, illness).
ACTIVITY_TEXTS = {
    "HU": {
        "tutoring": (
            "Felzárkóztató korrepetálás – olvasás és matematika",
            "Heti kiscsoportos felzárkóztatás alsósoknak: olvasás, szövegértés, matematika.",
            "Könyvtárszoba",
        ),
        "tutoring_notes": (
            "Szorzótábla játékosan; mindenki aktív volt.",
            "Szövegértés: mesefeldolgozás párokban.",
            "Törtek pizzával; két gyerek plusz feladatot kért.",
            "Olvasási verseny; nagy volt a lelkesedés.",
        ),
        "cancelled": ("Elmaradt: őszi szünet.", "Elmaradt: a segítő beteg volt."),
        "left": "A család elköltözött, a gyerek másik iskolába jár.",
        "achieved": "Matematikából kettest javított négyesre.",
        "partly": "Az olvasása sokat fejlődött, a matematika még nehéz.",
        "club": (
            "Baba-mama klub",
            "Kéthetente beszélgetés kisgyermekes anyákkal: alvás, étkezés, játék, ügyintézés.",
            "Tornaszoba",
        ),
        "club_notes": (
            "Téma: az alvás és az esti rutin.",
            "Vendég a védőnő: a hozzátáplálás.",
            "Közös játék a babákkal, tapasztalatcsere.",
        ),
        "mentoring": (
            "Mentorálás – tanulási motiváció",
            "Heti négyszemközti alkalom: célok, füzetvezetés, házi feladat.",
            "A szociális segítő irodája",
        ),
        "mentoring_notes": (
            "Átbeszéltük a heti célokat; a füzetvezetés javult.",
            "Elkészült a házi feladat-terv a hétre.",
        ),
        "authorities": (
            "Ügyintézés segítése – rendszeres gyermekvédelmi kedvezmény",
            "Az anya a kérelem kitöltéséhez és beadásához kért segítséget.",
            "Kormányablak",
        ),
        "authorities_note": "A kérelmet együtt kitöltöttük és beadtuk.",
        "authorities_outcome": "A kedvezményt megállapították.",
        "individual": (
            "Egyéni beszélgetés – konfliktus az osztálytársakkal",
            "Az osztályfőnök kérésére.",
            "A szociális segítő irodája",
        ),
        "wellbeing": (
            "Beszélgetés a gyermek jóllétéről",
            "A szűrés után, a szülő beleegyezésével.",
            "A szociális segítő irodája",
        ),
        "wellbeing_notes": (
            "Elmondta, hogy a szünetekben gyakran egyedül van; megbeszéltük, kihez fordulhat.",
            "Azóta két osztálytársával ebédel; jobban érzi magát.",
        ),
        "health_day": (
            "Egészségnap az iskolában",
            "Szűrések, sportversenyek, egészséges uzsonna; a szülők is jöttek.",
            "Tornaterem és udvar",
        ),
        "health_day_note": "Fogászati és látásszűrés, váltófutás, közös főzés a szülőkkel.",
        "workshop": (
            "early_intervention",
            "Műhely: korai beavatkozás – hogyan vegyük észre időben a bajt?",
            "Tanári",
        ),
        "next_workshop": ("child_perspective", "Műhely: a gyermek nézőpontja – a Három ház"),
        "workshop_note": "Esetek a gyakorlatból, a jelzőlap kitöltése lépésről lépésre.",
        "feedback": (
            "Nagyon gyakorlatias volt, a jelzőlap kitöltése most már világos.",
            "Jó lenne folytatni esetmegbeszéléssel.",
        ),
        "sparring_done": (
            "Az osztályban két gyerek rendszeresen kiközösít egy harmadikat. Hogyan kezeljem?",
            "Szerda délelőtt",
            "Szerdán a 3. óra után ráérek, a tanáriban.",
            "Tanári",
            "Megbeszéltük az osztályfőnöki óra tervét és a szülők bevonását.",
        ),
        "sparring_waiting": (
            "Egy szülő minden reggel kiabál velem a kapuban. Hogyan beszéljek vele?",
            "Hétfő vagy csütörtök 12 és 14 óra között",
        ),
        "head": "igazgató",
    },
    "CZ": {
        "tutoring": (
            "Doučování – čtení a matematika",
            "Týdenní doučování v malé skupině pro žáky prvního stupně.",
            "Knihovna",
        ),
        "tutoring_notes": (
            "Násobilka hrou; všichni byli aktivní.",
            "Porozumění textu: práce ve dvojicích.",
            "Zlomky na pizze; dva žáci chtěli úkol navíc.",
            "Čtenářská soutěž; velké nadšení.",
        ),
        "cancelled": ("Odpadlo: podzimní prázdniny.", "Odpadlo: nemoc pracovnice."),
        "left": "Rodina se odstěhovala, dítě chodí do jiné školy.",
        "achieved": "Z matematiky si zlepšil známku ze čtyřky na dvojku.",
        "partly": "Čtení se hodně zlepšilo, matematika je stále těžká.",
        "club": (
            "Klub maminek s miminky",
            "Jednou za dva týdny setkání maminek s malými dětmi: spánek, jídlo, hra, úřady.",
            "Herna",
        ),
        "club_notes": (
            "Téma: spánek a večerní rituály.",
            "Host z dětské poradny: příkrmy.",
            "Společná hra s dětmi, sdílení zkušeností.",
        ),
        "mentoring": (
            "Mentoring – motivace k učení",
            "Týdenní setkání mezi čtyřma očima: cíle, sešity, domácí úkoly.",
            "Kancelář sociální pracovnice",
        ),
        "mentoring_notes": (
            "Prošli jsme cíle na týden; sešity jsou v pořádku.",
            "Připravili jsme plán domácích úkolů na týden.",
        ),
        "authorities": (
            "Doprovod na úřad – příspěvek na bydlení",
            "Matka požádala o pomoc s vyplněním a podáním žádosti.",
            "Úřad práce",
        ),
        "authorities_note": "Žádost jsme spolu vyplnili a podali.",
        "authorities_outcome": "Příspěvek byl přiznán.",
        "individual": (
            "Individuální rozhovor – konflikt se spolužáky",
            "Na žádost třídní učitelky.",
            "Kancelář sociální pracovnice",
        ),
        "wellbeing": (
            "Rozhovor o pohodě dítěte",
            "Po screeningu, se souhlasem rodiče.",
            "Kancelář sociální pracovnice",
        ),
        "wellbeing_notes": (
            "Řekl(a), že je o přestávkách často sám/sama; domluvili jsme se, na koho se obrátit.",
            "Od té doby obědvá se dvěma spolužáky; cítí se lépe.",
        ),
        "health_day": (
            "Den zdraví ve škole",
            "Preventivní prohlídky, sportovní soutěže, zdravá svačina; přišli i rodiče.",
            "Tělocvična a hřiště",
        ),
        "health_day_note": "Prohlídka zubů a zraku, štafeta, společné vaření s rodiči.",
        "workshop": (
            "parent_cooperation",
            "Workshop: spolupráce s rodiči",
            "Sborovna",
        ),
        "next_workshop": ("early_intervention", "Workshop: děti v ohrožení – včasná pomoc"),
        "workshop_note": "Příklady z praxe, nácvik rozhovoru s rodičem.",
        "feedback": (
            "Velmi praktické, hodně příkladů z praxe.",
            "Uvítala bych pokračování s případovou konferencí.",
        ),
        "sparring_done": (
            "Ve třídě dva žáci soustavně vylučují třetího z kolektivu. Jak na to?",
            "Středa dopoledne",
            "Ve středu po třetí hodině, ve sborovně.",
            "Sborovna",
            "Probrali jsme plán třídnické hodiny a zapojení rodičů.",
        ),
        "sparring_waiting": (
            "Jeden rodič na mě každé ráno u brány křičí. Jak s ním mluvit?",
            "Pondělí nebo čtvrtek 12–14 h",
        ),
        "head": "ředitel školy",
    },
    "DK": {
        "tutoring": (
            "Lektiehjælp – læsning og matematik",
            "Ugentlig lektiehjælp på små hold for indskolingen.",
            "Biblioteket",
        ),
        "tutoring_notes": (
            "Tabeller som leg; alle var aktive.",
            "Læseforståelse i par.",
            "Brøker med pizza; to elever bad om flere opgaver.",
            "Læsekonkurrence; stor begejstring.",
        ),
        "cancelled": ("Aflyst: efterårsferie.", "Aflyst: medarbejderen var syg."),
        "left": "Familien er flyttet; barnet går nu på en anden skole.",
        "achieved": "Har fået det meget bedre med matematik.",
        "partly": "Læsningen er blevet bedre, matematik er stadig svært.",
        "club": (
            "Mor-barn-gruppe",
            "Hver anden uge for mødre med små børn: søvn, mad, leg og kontakt med myndigheder.",
            "Fællesrummet",
        ),
        "club_notes": (
            "Tema: søvn og aftenrutiner.",
            "Sundhedsplejersken på besøg: overgang til fast føde.",
            "Fælles leg med børnene og erfaringsudveksling.",
        ),
        "mentoring": (
            "Mentorforløb – lyst til at lære",
            "Ugentlig samtale på tomandshånd: mål, hæfter, lektier.",
            "Den socialfaglige medarbejders kontor",
        ),
        "mentoring_notes": (
            "Vi gennemgik ugens mål; hæfterne er i orden.",
            "Vi lavede en lektieplan for ugen.",
        ),
        "authorities": (
            "Hjælp til ansøgning om boligstøtte",
            "Mor bad om hjælp til at udfylde og sende ansøgningen.",
            "Borgerservice",
        ),
        "authorities_note": "Vi udfyldte og sendte ansøgningen sammen.",
        "authorities_outcome": "Boligstøtten er bevilget.",
        "individual": (
            "Individuel samtale – konflikt med klassekammerater",
            "Efter ønske fra klasselæreren.",
            "Den socialfaglige medarbejders kontor",
        ),
        "wellbeing": (
            "Trivselssamtale",
            "Efter screeningen, efter aftale med forældre og skole.",
            "Den socialfaglige medarbejders kontor",
        ),
        "wellbeing_notes": (
            "Fortalte, at frikvartererne ofte tilbringes alene; vi aftalte, hvem man kan gå til.",
            "Spiser nu frokost med to klassekammerater; har det bedre.",
        ),
        "health_day": (
            "Sundhedsdag på skolen",
            "Sundhedstjek, sportsdyst og sund mad; forældrene var med.",
            "Gymnastiksal og skolegård",
        ),
        "health_day_note": "Tandtjek og synstest, stafet, fælles madlavning med forældrene.",
        "workshop": (
            "child_perspective",
            "Workshop: Inddragelse af barnets perspektiver",
            "Personalerummet",
        ),
        "next_workshop": ("parent_cooperation", "Workshop: Forældresamarbejde"),
        "workshop_note": "Cases fra praksis; De Tre Huse afprøvet i par.",
        "feedback": (
            "Meget praksisnært; De Tre Huse giver god mening.",
            "Gerne en opfølgning til foråret.",
        ),
        "sparring_done": (
            "To elever i klassen holder systematisk en tredje udenfor. Hvordan griber jeg det an?",
            "Onsdag formiddag",
            "Onsdag efter 3. lektion i personalerummet.",
            "Personalerummet",
            "Vi gennemgik planen for klassens tid og inddragelsen af forældrene.",
        ),
        "sparring_waiting": (
            "En forælder råber ad mig ved porten hver morgen. Hvordan taler jeg med ham?",
            "Mandag eller torsdag kl. 12–14",
        ),
        "head": "skoleleder",
    },
}


# The week of each country's autumn break (HU őszi szünet, CZ podzimní prázdniny, DK
# efterårsferie): no meetings are held in it.
BREAK_WEEK = {"HU": 44, "CZ": 44, "DK": 42}


def _on_weekday(day: date, weekday: int) -> date:
    """The first day on or after `day` that falls on `weekday` (0 Monday … 4 Friday)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _next_school_day(day: date) -> date:
    return day if day.weekday() < 5 else _on_weekday(day, 0)


def _term_start(today: date) -> date:
    """The first day of the current term: 1 September, or 18 weeks back later in the year;
    at least six weeks back, so that a demo made early in September has a past too."""
    september = date(today.year - (today.month < 9), 9, 1)
    return min(max(september, today - timedelta(weeks=18)), today - timedelta(weeks=6))


def _local(day: date, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _activities(place: Place, municipality, school, kindergarten, users, plan, seed) -> None:
    """The social helper's term: a weekly catch-up group and a fortnightly baby-mama club with
    attendance taken at every past meeting, mentoring, individual help, a wellbeing
    conversation with the agreement the jurisdiction requires, a health day, a staff workshop
    with feedback (and the next one open for registration), and two sparring requests from the
    educator: one held, one waiting. Made through the services, so rules and audit apply; the
    few things the services date today (a request's date, a held sparring) are moved back."""
    from earlyhelp.activities import services as act
    from earlyhelp.activities.catalogue import ensure_catalogue
    from earlyhelp.activities.models import Activity, Participant, Session, SparringRequest

    helper, educator = users[Role.SOCIAL_HELPER], users[Role.EDUCATOR]
    lead = users[Role.INSTITUTION_LEAD]
    texts = ACTIVITY_TEXTS[place.country]
    if Activity.objects.filter(
        municipality=municipality, lead=helper, title=texts["tutoring"][0]
    ).exists():
        return
    ensure_catalogue(municipality)
    rng = random.Random(f"{seed}-{place.prefix}-activities")
    fake = Faker(place.locale)
    fake.seed_instance(zlib.crc32(f"{seed}-{place.prefix}-activities".encode()))
    today = timezone.localdate()
    start, end = _term_start(today), today + timedelta(weeks=4)
    after_round = plan.completed[1] + timedelta(days=3)
    target = Participant.TargetGroup

    def create(code, key, first, hour, minutes, *, recurrence="once", last=None, where=school,
               **extra):  # fmt: skip
        title, description, room = texts[key]
        return act.activity_create(
            user=helper,
            data={
                "institution": where, "type": municipality.activity_types.get(code=code),
                "title": title, "description": description, "recurrence": recurrence,
                "starts_on": first, "ends_on": last, "start_time": time(hour, 0),
                "minutes": minutes, "place": room, **extra,
            },
        )  # fmt: skip

    def add(activity, people, joined_on, kind="child", counted=True):
        """Enrol people (children, adults, or names written on the day), three in four from
        the action area."""
        made = []
        for index, person in enumerate(people):
            group = target.ELSEWHERE if index % 4 == 3 else target.ACTION_AREA
            made.append(
                act.participant_add(
                    user=helper,
                    activity=activity,
                    joined_on=joined_on,
                    **{kind: person},
                    target_group=group if counted else "",
                )  # fmt: skip
            )
        return made

    def record(activity, notes, *, head_count=None, everyone=False):
        """Take attendance at every meeting that has begun; none in the break week, and one
        meeting of a long series cancelled for illness."""
        now = timezone.now()
        sessions = list(
            activity.sessions.filter(starts_at__lte=now)
            .select_related("activity__type")
            .order_by("starts_at")
        )
        people = list(activity.participants.all())
        for index, session in enumerate(sessions):
            day = timezone.localtime(session.starts_at).date()
            reason = ""
            if len(sessions) > 1 and day.isocalendar().week == BREAK_WEEK[place.country]:
                reason = texts["cancelled"][0]
            elif len(sessions) >= 5 and index == len(sessions) - 4:
                reason = texts["cancelled"][1]
            if reason:
                act.session_record(
                    user=helper, session=session, version=session.version,
                    status=Session.Status.CANCELLED, minutes=session.minutes, note=reason,
                    head_count=None, attendance={},
                )  # fmt: skip
                continue
            # Those expected on the day, as `attendees` lists them for the attendance form.
            attendance = {
                p.pk: "present" if everyone else _attendance(rng)
                for p in people
                if p.joined_on <= day and (p.left_on is None or p.left_on > day)
            }
            act.session_record(
                user=helper, session=session, version=session.version,
                status=Session.Status.HELD, minutes=session.minutes,
                note=notes[index % len(notes)], head_count=head_count, attendance=attendance,
            )  # fmt: skip

    def update(participant, **changes):
        fields = {
            "left_on": participant.left_on, "left_reason": participant.left_reason,
            "outcome": participant.outcome, "outcome_note": participant.outcome_note,
            "target_group": participant.target_group, **changes,
        }  # fmt: skip
        act.participant_update(
            user=helper, participant=participant, version=participant.version, **fields
        )

    pupils = [child for _group, children in plan.classes for child in children]
    joining = [c for c in plan.group_children if c in pupils]
    others = [c for c in pupils if c not in joining and c != plan.wellbeing_child]
    group = rng.sample(others, min(len(others), 12 - len(joining)))

    # A weekly catch-up group on Tuesdays, with a drop-out and outcomes for some.
    tutoring = create("catch_up_tutoring", "tutoring", _on_weekday(start, 1), 13, 60,
                      recurrence="weekly", last=end, capacity=14)  # fmt: skip
    enrolled = add(tutoring, group, start)
    add(tutoring, joining, min(after_round + timedelta(days=4), today))
    left_on = start + timedelta(weeks=6)
    if len(enrolled) > 2 and left_on < today:
        update(enrolled[2], left_on=left_on, left_reason=texts["left"])
    record(tutoring, texts["tutoring_notes"])
    for participant, (outcome, note) in zip(
        enrolled[3:7],
        [("achieved", texts["achieved"]), ("partly", texts["partly"])] * 2,
        strict=False,
    ):
        update(participant, outcome=outcome, outcome_note=note)

    # A fortnightly baby-mama club in the kindergarten, with the case worker.

    mothers = list(
        Adult.objects.filter(
            relationships__kind=Relationship.Kind.MOTHER,
            relationships__parental_responsibility=True,
            relationships__child__enrolments__group__institution=kindergarten,
            restricted=False,
        )
        .distinct()
        .order_by("search_name", "pk")[:10]
    )
    club = create("baby_mama_club", "club", _on_weekday(start + timedelta(days=7), 2), 10, 90,
                  recurrence="fortnightly", last=end, where=kindergarten,
                  workers=[users[Role.CASE_WORKER]])  # fmt: skip
    members = add(club, mothers, start + timedelta(days=7), "adult")
    record(club, texts["club_notes"])
    if members:
        update(members[0], outcome="achieved", outcome_note=texts["club_notes"][2])

    # Weekly mentoring of a pupil being watched since the last screening.
    mentee = next((c for c in plan.watched if c in pupils), None) or (others or pupils)[-1]
    mentoring = create("mentoring", "mentoring", _on_weekday(after_round + timedelta(days=7), 3),
                       10, 45, recurrence="weekly", last=end)  # fmt: skip
    add(mentoring, [mentee], mentoring.starts_on)
    record(mentoring, texts["mentoring_notes"], everyone=True)

    # Help with an authority for a parent (held), an individual session with a pupil (planned).
    parent = mothers[-1] if mothers else None
    if parent is not None:
        matter = create("help_with_authorities", "authorities",
                        _on_weekday(today - timedelta(days=24), 0), 9, 90)  # fmt: skip
        helped = add(matter, [parent], matter.starts_on - timedelta(days=7), "adult")
        record(matter, [texts["authorities_note"]], everyone=True)
        update(helped[0], outcome="achieved", outcome_note=texts["authorities_outcome"])
    session_day = _next_school_day(today + timedelta(days=1))
    individual = create("individual_session", "individual", session_day, 11, 45)
    add(individual, [(others or pupils)[0]], today)

    # A wellbeing conversation with the pupil the screening flagged, once the agreement the
    # jurisdiction requires is on record; two held, the next one this week.
    child = plan.wellbeing_child
    if child is not None:
        agreed_on = min(plan.completed[1] + timedelta(days=1), today)
        _wellbeing_agreement(place, child, agreed_on, lead, helper)
        first = _next_school_day(after_round)
        conversation = create("wellbeing_conversation", "wellbeing", first, 11, 45,
                              recurrence="custom")  # fmt: skip
        days = [first, first + timedelta(days=21), _next_school_day(today + timedelta(days=2))]
        act.sessions_plan(
            user=helper, activity=conversation, days=sorted(set(days)), start=time(11, 0),
            minutes=45,
        )  # fmt: skip
        add(conversation, [child], first)
        record(conversation, texts["wellbeing_notes"], everyone=True)

    # A health day: a head count, and a few people named.
    health_day_on = _on_weekday(today - timedelta(days=38), 4)
    health_day = create("health_day", "health_day", health_day_on, 9, 240)
    add(health_day, rng.sample(pupils, min(3, len(pupils))), health_day_on)
    add(health_day, [fake.name(), fake.name()], health_day_on, "name")
    record(health_day, [texts["health_day_note"]], head_count=rng.randint(70, 110), everyone=True)

    # A workshop for staff on one of the three themes of seed 004, with feedback after it; the
    # next one is open for registration.
    theme, title, room = texts["workshop"]
    held_on = _on_weekday(today - timedelta(days=14), 2)
    workshop = act.activity_create(
        user=helper,
        data={
            "institution": school, "type": municipality.activity_types.get(code="staff_workshop"),
            "title": title, "theme": theme, "starts_on": held_on, "start_time": time(14, 0),
            "minutes": 120, "place": room, "capacity": 20,
        },
    )  # fmt: skip
    for staff in (educator, lead):
        act.workshop_register(user=staff, activity=workshop)
    Participant.objects.filter(activity=workshop).update(joined_on=held_on - timedelta(days=10))
    add(workshop, [fake.name() for _n in range(4)], held_on - timedelta(days=7), "name",
        counted=False)  # fmt: skip
    record(workshop, [texts["workshop_note"]])
    for staff, rating, feedback in ((educator, 5, texts["feedback"][0]),
                                    (lead, 4, texts["feedback"][1])):  # fmt: skip
        act.workshop_feedback(user=staff, activity=workshop, rating=rating, feedback=feedback)
    theme, title = texts["next_workshop"]
    upcoming = act.activity_create(
        user=helper,
        data={
            "institution": school, "type": municipality.activity_types.get(code="staff_workshop"),
            "title": title, "theme": theme, "starts_on": _on_weekday(today + timedelta(days=14), 2),
            "start_time": time(13, 0), "minutes": 120, "place": room, "capacity": 15,
        },
    )  # fmt: skip
    act.workshop_register(user=lead, activity=upcoming)

    # Sparring the educator asked for: one scheduled and held, one still waiting.
    topic, when, answer, room, note = texts["sparring_done"]
    asked = act.sparring_request(
        user=educator, institution=school, about=SparringRequest.About.CLASS, topic=topic,
        group=plan.classes[0][0] if plan.classes else None, preferred_times=when,
    )  # fmt: skip
    act.sparring_schedule(
        user=helper, request=asked, version=asked.version,
        starts_at=timezone.now() + timedelta(hours=1), minutes=60, place=room, answer=answer,
    )  # fmt: skip
    asked_on = _on_weekday(today - timedelta(days=24), 0)
    held_on = _on_weekday(asked_on + timedelta(days=2), 2)
    SparringRequest.objects.filter(pk=asked.pk).update(created_at=_local(asked_on, 15))
    Activity.objects.filter(pk=asked.activity_id).update(starts_on=held_on, start_time=time(10, 0))
    Session.objects.filter(activity_id=asked.activity_id).update(starts_at=_local(held_on, 10))
    Participant.objects.filter(activity_id=asked.activity_id).update(joined_on=asked_on)
    sparring = Activity.objects.get(pk=asked.activity_id)
    record(sparring, [note], everyone=True)
    topic, when = texts["sparring_waiting"]
    waiting = act.sparring_request(
        user=educator, institution=school, about=SparringRequest.About.PARENTS, topic=topic,
        preferred_times=when,
    )  # fmt: skip
    SparringRequest.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )


def _attendance(rng: random.Random) -> str:
    draw = rng.random()
    return "present" if draw < 0.82 else "absent" if draw < 0.91 else "excused"


def _wellbeing_agreement(place: Place, child: Child, given_on: date, lead, helper) -> None:
    """Record what a wellbeing conversation with `child` still needs under its jurisdiction:
    a parent's consent (from an adult with parental responsibility) and, in Denmark, the
    school's agreement given by its head."""
    from earlyhelp.activities.services import missing_agreements

    missing = missing_agreements(child)
    if "parent" in missing:
        responsible = (
            Relationship.objects.filter(child=child, parental_responsibility=True)
            .order_by("pk")
            .first()
        )
        Consent.objects.create(
            child=child, purpose=Consent.Purpose.WELLBEING_CONVERSATION,
            given_by=responsible.adult, given_on=given_on, recorded_by=helper,
        )  # fmt: skip
    if "school" in missing:
        head = lead.get_full_name() or lead.get_username()
        Consent.objects.create(
            child=child, purpose=Consent.Purpose.SCHOOL_AGREEMENT,
            given_by_other=f"{head}, {ACTIVITY_TEXTS[place.country]['head']}",
            given_on=given_on, recorded_by=helper,
        )  # fmt: skip
