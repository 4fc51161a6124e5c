"""The demo's catalogue of interventions: what each municipality's service offers, in its
language, with the evidence behind it, its development stage and its sources. The activity
types the social helper uses follow these entries, so the demo's activities name them.
Invented descriptions of real kinds of help; the international programmes named are real and
their links are their public sites."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from earlyhelp.organisations.models import Role

if TYPE_CHECKING:
    from earlyhelp.sampledata.demo.organisations import Place


@dataclass(frozen=True)
class Entry:
    name: str
    description: str
    target_group: str
    ages: tuple[int | None, int | None]
    setting: str
    mechanism: str
    evidence: str  # a code of the shipped scale
    stage: str
    sources: str
    activity_type: str = ""  # the activity type (code) that follows it
    helper_responsible: bool = False


CATALOGUE = {
    "HU": (
        Entry(
            "Felzárkóztató kiscsoportos korrepetálás",
            "Heti egy alkalom 4–6 alsós gyereknek: olvasás, szövegértés, matematika, játékosan.",
            "Alsó tagozatos, lemaradással küzdő tanulók",
            (7, 11),
            "school",
            "A kis csoport és a rendszeres siker élménye visszahozza a tanulási kedvet; a "
            "lemaradás nem halmozódik tovább.",
            "practice",
            "documented",
            "Belső módszertani leírás, Család- és Gyermekjóléti Központ, 2023",
            activity_type="catch_up_tutoring",
            helper_responsible=True,
        ),  # fmt: skip
        Entry(
            "Baba-mama klub",
            "Kéthetente beszélgetés és közös játék kisgyermekes anyákkal, a védőnő részvételével.",
            "Kisgyermekes anyák, főleg az akcióterületről",
            (0, 3),
            "community",
            "A társas támasz csökkenti az elszigeteltséget; a témák (alvás, étkezés, játék) a "
            "szülői kompetenciát erősítik.",
            "practice",
            "tested",
            "Védőnői szolgálat és szociális segítő közös tematikája",
            activity_type="baby_mama_club",
        ),  # fmt: skip
        Entry(
            "Kortárssegítő csoport",
            "Képzett 8. osztályos diákok kísérik a fiatalabbakat; havonta szupervízió a "
            "szociális segítővel.",
            "Felső tagozatos diákok",
            (12, 16),
            "school",
            "A kortárs szava hitelesebb; a segítők felelősséget tanulnak, a segítettek "
            "könnyebben kérnek segítséget.",
            "theory",
            "prototype",
            "Kortárssegítő képzési kézikönyv (helyi változat, 2024)",
            activity_type="mental_health_group",
        ),  # fmt: skip
        Entry(
            "Mentorprogram – tanulási motiváció",
            "Heti négyszemközti alkalom egy felnőtt mentorral: célok, füzetvezetés, házi feladat.",
            "Lemorzsolódással veszélyeztetett tanulók",
            (10, 16),
            "school",
            "Egy megbízható felnőtt kapcsolata és a kis, elérhető célok növelik az önbizalmat.",
            "theory",
            "tested",
            "https://guidebook.eif.org.uk/",
            activity_type="mentoring",
            helper_responsible=True,
        ),  # fmt: skip
        Entry(
            "Jóllét-beszélgetés a szűrés után",
            "Egyéni beszélgetés a szűrésen jelzett gyerekkel, a szülő beleegyezésével.",
            "A szűrésen jelzett gyerekek",
            (6, 14),
            "school",
            "A korai, kis léptékű figyelem megelőzi, hogy a gond jelzéssé nőjön.",
            "practice",
            "tested",
            "",
            activity_type="wellbeing_conversation",
        ),  # fmt: skip
        Entry(
            "Ügysegéd – ügyintézés végigkísérése",
            "Egy szakember egy ügyet az elejétől a végéig kísér: kérelem, hivatal, határidők.",
            "Családok, akiknek nehéz a hivatali ügyintézés",
            (None, None),
            "family",
            "A kísérés lebontja az akadályokat; a család megtanulja a következő ügyet maga "
            "intézni.",
            "practice",
            "documented",
            "",
            activity_type="help_with_authorities",
        ),  # fmt: skip
        Entry(
            "Incredible Years szülőprogram",
            "Csoportos szülőtréning 12–14 alkalommal, videós helyzetekkel és otthoni gyakorlással.",
            "3–8 éves gyerekek szülei, viselkedési nehézségekkel",
            (3, 8),
            "family",
            "A pozitív figyelem, a dicséret és a következetes határok csökkentik a "
            "viselkedési problémákat.",
            "effectiveness",
            "documented",
            "https://www.incredibleyears.com/\nhttps://guidebook.eif.org.uk/",
            activity_type="parent_club",
        ),  # fmt: skip
    ),
    "CZ": (
        Entry(
            "Rodičovská skupina",
            "Setkání rodičů jednou za dva týdny: výchova, hranice, zvládání vzteku, spolupráce "
            "se školou.",
            "Rodiče dětí v péči OSPOD a rodiny z cílové oblasti",
            (0, 12),
            "family",
            "Sdílení s rodiči v podobné situaci a nácvik dovedností posilují rodičovské "
            "kompetence a snižují napětí v rodině.",
            "theory",
            "tested",
            "Metodika projektu Inovace pro setrvání dětí v rodině (OPZ)",
            activity_type="parent_club",
            helper_responsible=True,
        ),  # fmt: skip
        Entry(
            "Doučování v malé skupině",
            "Jednou týdně doučování 4–6 žáků prvního stupně: čtení, psaní, matematika.",
            "Žáci prvního stupně s výukovými obtížemi",
            (6, 11),
            "school",
            "Pravidelný úspěch v malé skupině vrací chuť do učení a brání propadání.",
            "practice",
            "documented",
            "",
            activity_type="catch_up_tutoring",
        ),  # fmt: skip
        Entry(
            "Mentoring podle programu Pět P",
            "Dobrovolník se jednou týdně věnuje jednomu dítěti po dobu alespoň deseti měsíců.",
            "Děti s nedostatkem podpory v rodině",
            (6, 15),
            "community",
            "Vztah s důvěryhodným dospělým posiluje sebedůvěru a sociální dovednosti.",
            "preliminary",
            "documented",
            "Program Pět P (Big Brothers Big Sisters), Hestia – Národní dobrovolnické centrum",
            activity_type="mentoring",
        ),  # fmt: skip
        Entry(
            "Klub pro maminky s dětmi",
            "Dopolední setkání maminek s malými dětmi: hra, povídání, rady k péči a úřadům.",
            "Matky dětí do tří let",
            (0, 3),
            "community",
            "Vzájemná podpora snižuje izolaci a usnadňuje přístup k další pomoci.",
            "practice",
            "tested",
            "",
            activity_type="baby_mama_club",
        ),  # fmt: skip
        Entry(
            "Rozhovor o pohodě dítěte",
            "Individuální rozhovor se žákem po screeningu, se souhlasem rodiče.",
            "Žáci označení při screeningu",
            (6, 15),
            "school",
            "Včasná pozornost zachytí starost dřív, než se z ní stane oznámení.",
            "practice",
            "tested",
            "",
            activity_type="wellbeing_conversation",
        ),  # fmt: skip
        Entry(
            "Případová konference s rodinou",
            "Setkání rodiny, školy a služeb nad společným plánem podle Signs of Safety.",
            "Rodiny, kde se o dítě stará více služeb",
            (None, None),
            "family",
            "Společný jazyk a plán, na kterém se podílí rodina, zvyšuje bezpečí dítěte.",
            "preliminary",
            "tested",
            "https://www.signsofsafety.net/",
            activity_type="meeting_facilitation",
        ),  # fmt: skip
    ),
    "DK": (
        Entry(
            "Tidlig indsats – netværksmøde",
            "Et kort møde med forældre, dagtilbud eller skole og socialrådgiver, når en "
            "bekymring er ny.",
            "Børn, hvor personalet har en begyndende bekymring",
            (0, 16),
            "any",
            "Når familie og fagfolk ser på bekymringen sammen tidligt, kan hjælpen sættes ind, "
            "før den bliver en underretning.",
            "theory",
            "tested",
            "https://www.sbst.dk/\nDrejebog for strategi for udvikling af den sociale indsats "
            "(SUSI)",
            activity_type="meeting_facilitation",
            helper_responsible=True,
        ),  # fmt: skip
        Entry(
            "Socialfaglig sparring i dagtilbud",
            "Socialfaglig medarbejder giver pædagogerne sparring om konkrete bekymringer hver "
            "anden uge.",
            "Pædagogisk personale i dagtilbud",
            (0, 6),
            "kindergarten",
            "Social viden tæt på hverdagen gør personalet trygge ved at handle tidligt.",
            "theory",
            "prototype",
            "Screening af lovende indsatser i dagtilbud og skole (2022–2023)",
            activity_type="staff_sparring",
            helper_responsible=True,
        ),  # fmt: skip
        Entry(
            "De Utrolige År – forældreprogram",
            "Forældregruppe over 14 gange med video, rollespil og hjemmeopgaver.",
            "Forældre til børn på 3–8 år med adfærdsvanskeligheder",
            (3, 8),
            "family",
            "Positiv opmærksomhed, ros og tydelige grænser mindsker adfærdsproblemer.",
            "effectiveness",
            "documented",
            "https://www.incredibleyears.com/\nhttps://www.sbst.dk/",
            activity_type="parent_club",
        ),  # fmt: skip
        Entry(
            "Lektiecafé",
            "Lektiehjælp i små grupper en eftermiddag om ugen på skolens bibliotek.",
            "Elever i indskolingen og på mellemtrinnet",
            (7, 12),
            "school",
            "Fast hjælp og succesoplevelser holder fast i lysten til at lære.",
            "practice",
            "documented",
            "",
            activity_type="catch_up_tutoring",
        ),  # fmt: skip
        Entry(
            "Mødregruppe med sundhedsplejersken",
            "Mødre med spædbørn mødes hver anden uge; sundhedsplejersken deltager.",
            "Førstegangsmødre og mødre uden netværk",
            (0, 1),
            "community",
            "Netværk og viden om barnets første år mindsker usikkerhed og isolation.",
            "practice",
            "tested",
            "",
            activity_type="baby_mama_club",
        ),  # fmt: skip
        Entry(
            "Trivselssamtale",
            "En samtale med eleven om trivsel efter screeningen, med forældrenes samtykke.",
            "Elever, der er markeret ved trivselsscreeningen",
            (6, 16),
            "school",
            "Tidlig, lille opmærksomhed fanger mistrivsel, før den vokser.",
            "practice",
            "tested",
            "",
            activity_type="wellbeing_conversation",
        ),  # fmt: skip
        Entry(
            "Mentorordning",
            "En voksen mentor mødes med eleven hver uge om mål, skolegang og fritid.",
            "Elever i risiko for fravær og skolevægring",
            (10, 16),
            "school",
            "En stabil relation og små mål styrker motivation og fremmøde.",
            "preliminary",
            "tested",
            "",
            activity_type="mentoring",
        ),  # fmt: skip
    ),
}


def _catalogue(place: Place, municipality, service, users) -> None:
    """The municipality's catalogue, written by its supervisor through the service (so each
    entry has its first version and audit row), and the activity types that follow each entry.
    An entry already there (by name) is left as it is."""
    from earlyhelp.activities.catalogue import ensure_catalogue
    from earlyhelp.activities.models import ActivityType
    from earlyhelp.knowledge.catalogue import ensure_evidence_scale, method_create
    from earlyhelp.knowledge.models import EvidenceLevel, Method

    ensure_evidence_scale(municipality)
    ensure_catalogue(municipality)
    levels = {
        level.code: level for level in EvidenceLevel.objects.filter(municipality=municipality)
    }
    have = set(Method.objects.filter(municipality=municipality).values_list("name", flat=True))
    for entry in CATALOGUE[place.country]:
        if entry.name in have:
            continue
        method = method_create(
            user=users[Role.SUPERVISOR],
            municipality=municipality,
            data={
                "name": entry.name, "description": entry.description,
                "target_group": entry.target_group, "age_from": entry.ages[0],
                "age_to": entry.ages[1], "setting": entry.setting, "mechanism": entry.mechanism,
                "evidence_level": levels[entry.evidence], "stage": entry.stage,
                "sources": entry.sources, "service": service,
            },
            responsible=[users[Role.SOCIAL_HELPER]] if entry.helper_responsible else [],
        )  # fmt: skip
        if entry.activity_type:
            ActivityType.objects.filter(
                municipality=municipality, code=entry.activity_type, method__isnull=True
            ).update(method=method)
