"""The seeds' programmes, shipped as templates per country.

A template holds what a funded project promised (seeds 000–004): its facts (funder, reference,
period, budget, aid rate), its partners, target groups, outcome categories and indicators with
their targets. Indicators name their activity types by CODE; `apply_template` resolves them to
the municipality's own `ActivityType`s (adding the shipped catalogue where it is missing) and
checks every definition with `Indicator.clean(activity_types=...)`, in one transaction.

The programme's period may be moved (`starts_on`): the whole period and every target date move
with it, month for month, so a template is also a plan for a new project of the same kind.
Names of indicators, target groups and partners are data in the funder's language (they are what
the funder's report says); only the template's label is translated.

Where a seed gives no number (the Hungarian and Danish projects give none for most programme
elements), the targets are plausible placeholders the lead corrects after applying.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from earlyhelp.fostercare.rules import add_months


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    role: str  # Partner.Role
    service_kind: str = ""  # the municipality's Service of this kind, when it has one
    note: str = ""


@dataclass(frozen=True)
class TargetGroupSpec:
    key: str
    name: str
    people: str = "any"  # TargetGroup.People
    min_age: int | None = None
    max_age: int | None = None
    settings: tuple[str, ...] = ()  # Institution.Kind values
    disadvantaged: bool = False
    legal_basis: str = ""
    area: str = "anywhere"  # TargetGroup.Area
    target_share: Decimal | None = None
    share_rule: str = "at_least"


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    name: str
    unit: str  # Indicator.Unit
    target: Decimal
    role: str = "any"  # Indicator.Role
    aggregation: str = "count"  # Indicator.Aggregation
    activity_types: tuple[str, ...] = ()  # ActivityType codes
    target_group: str = ""  # a TargetGroupSpec key
    outcome: str = ""  # an outcome category code
    target_months: int | None = None  # months after the start; None: the programme's end
    lower_is_better: bool = False
    with_partners: bool = False  # only activities with partner organisations taking part


@dataclass(frozen=True)
class Template:
    code: str
    country: str  # Jurisdiction code
    label: Promise | str
    name: str
    starts_on: date | None  # None: the current school year's 1 September
    months: int  # the length of the period
    funder: str = ""
    reference: str = ""
    budget: Decimal | None = None
    currency: str = ""
    aid_rate: Decimal | None = None
    description: str = ""
    action_area: str = ""  # the name of the action area its target groups need, if any
    partners: tuple[PartnerSpec, ...] = ()
    target_groups: tuple[TargetGroupSpec, ...] = ()
    outcome_categories: tuple[str, ...] = ()
    indicators: tuple[IndicatorSpec, ...] = field(default=())
    service_kinds: tuple[str, ...] = ()  # the services it covers, by kind

    def default_start(self, today: date | None = None) -> date:
        if self.starts_on:
            return self.starts_on
        today = today or date.today()
        return date(today.year - (today.month < 9), 9, 1)

    def period(self, starts_on: date | None = None) -> tuple[date, date]:
        start = starts_on or self.default_start()
        return start, add_months(start, self.months) - timedelta(days=1)


D = Decimal

CZ_OPZ = Template(
    code="cz-opz-setrvani",
    country="CZ",
    label=_("Innovation for keeping children in their families (OPZ, 2020–2021)"),
    name="Inovace pro setrvání dětí v rodině",
    starts_on=date(2020, 1, 1),
    months=24,
    funder="Evropský sociální fond – Operační program Zaměstnanost",
    reference="CZ.03.2.X/0.0/0.0/17_076/0011431",
    currency="CZK",
    description=(
        "Metodika asistovaného kontaktu rodičů s dětmi pilotně ověřená na 6 rodičích "
        "v rozvodovém procesu; inovovaná metodika naplňování potřeb pěstounů ověřená na 20 "
        "pěstounech; podpora nejméně 10 pracovníků při zavádění nových metod; 4 kulaté stoly "
        "mezioborové spolupráce; komunikační strategie inovace."
    ),
    partners=(
        PartnerSpec(
            "Sociální asistence a poradenství",
            "implementing",
            "family_child_welfare",
            "asistované kontakty",
        ),
        PartnerSpec("Náhradní rodinná péče", "implementing", "foster_care", "doprovázení pěstounů"),
        PartnerSpec("Středisko výchovné péče", "cooperating", "educational_care"),
        PartnerSpec("Operační program Zaměstnanost (MPSV)", "funder"),
    ),  # fmt: skip
    target_groups=(
        TargetGroupSpec("parents", "Rodiče v rozvodovém procesu", people="adults"),
        TargetGroupSpec(
            "children", "Děti v rodinách ohrožených rozpadem", people="children", max_age=17
        ),
    ),  # fmt: skip
    outcome_categories=("removal_prevented",),
    indicators=(
        IndicatorSpec(
            "contact_parents",
            "Rodiče v rozvodovém procesu v asistovaném kontaktu",
            "adults",
            D(6),
            role="contact_parent",
        ),
        IndicatorSpec(
            "foster_carers",
            "Pěstouni, na nichž byla ověřena inovovaná metodika",
            "carers",
            D(20),
            role="foster_carer",
        ),
        IndicatorSpec(
            "staff",
            "Podpoření pracovníci",
            "staff",
            D(10),
            # Workers supported while they introduce a new method (workforce.ImplementationSupport).
            role="supported",
        ),
        IndicatorSpec(
            "round_tables",
            "Kulaté stoly mezioborové spolupráce",
            "events",
            D(4),
            activity_types=("round_table",),
            with_partners=True,
        ),
    ),  # fmt: skip
    service_kinds=("family_child_welfare", "foster_care", "educational_care"),
)

HU_TOP = Template(
    code="hu-top-691-segito-fehervar",
    country="HU",
    label=_("Local complex programme for social cohesion (TOP-6.9.1, “Segítő Fehérvár”)"),
    name="Segítő Fehérvár program",
    # The seed gives the end (31 October 2023) and the decision to apply (September 2016);
    # the start is a plausible one after the grant decision.
    starts_on=date(2017, 3, 1),
    months=80,
    funder="Terület- és Településfejlesztési Operatív Program (TOP-6.9.1-15)",
    reference="TOP-6.9.1-15-SF1-2016-00001",
    budget=D("217015295"),
    currency="HUF",
    aid_rate=D(100),
    description=(
        "Komplex lakosságvédelmi és prevenciós program a szociális célú városrehabilitáció "
        "akcióterületén és a város más területein: közösségfejlesztés iskolákban és óvodákban, "
        "iskolai felzárkóztatás, szülőklub és baba-mama klub, komplex esetmenedzselés egyéni "
        "fejlesztési tervvel és mentorálással, krízis-családgondozás, mediáció, "
        "adósságtanácsadás, munkaerő-piaci beilleszkedés, mentálhigiénés csoportok, "
        "egészségnapok, ügysegédi segítség, bűnmegelőzés, szupervízió."
    ),
    action_area="A szociális célú városrehabilitáció akcióterülete",
    partners=(
        PartnerSpec("Megyei Jogú Város Önkormányzata", "lead_applicant", note="főpályázó"),
        PartnerSpec(
            "Család- és Gyermekjóléti Központ",
            "consortium",
            "family_child_welfare",
            "konzorciumi partner",
        ),
        PartnerSpec("Irányító Hatóság (TOP)", "funder"),
    ),  # fmt: skip
    target_groups=(
        TargetGroupSpec(
            "inside",
            "Az akcióterületen élő hátrányos helyzetű személyek",
            disadvantaged=True,
            area="inside",
            target_share=D(75),
        ),
        TargetGroupSpec(
            "outside",
            "A város más részein élő rászoruló személyek",
            area="outside",
            target_share=D(25),
            share_rule="at_most",
        ),
        TargetGroupSpec(
            "pupils",
            "Óvodás és iskolás gyermekek",
            people="children",
            min_age=3,
            max_age=18,
            settings=("kindergarten", "school"),
        ),
    ),  # fmt: skip
    outcome_categories=("housing_kept", "removal_prevented", "application_resolved"),
    indicators=(
        IndicatorSpec(
            "share_adults",
            "Az akcióterületről elért felnőttek aránya",
            "adults",
            D(75),
            aggregation="share",
            target_group="inside",
        ),
        IndicatorSpec(
            "share_children",
            "Az akcióterületről elért gyermekek aránya",
            "children",
            D(75),
            aggregation="share",
            target_group="inside",
        ),
        IndicatorSpec(
            "tutoring",
            "Felzárkóztatásban részt vevő gyermekek",
            "children",
            D(60),
            role="participant",
            activity_types=("catch_up_tutoring",),
        ),
        IndicatorSpec(
            "clubs",
            "Szülőklub és baba-mama klub résztvevői",
            "adults",
            D(40),
            role="participant",
            activity_types=("parent_club", "baby_mama_club"),
        ),
        IndicatorSpec(
            "cases", "Komplex esetmenedzselés (egyéni fejlesztési tervvel)", "cases", D(80)
        ),
        IndicatorSpec(
            "adult_help",
            "Adósság-, munkaerő-piaci és mentálhigiénés segítség résztvevői",
            "adults",
            D(60),
            role="participant",
            activity_types=("household_club", "job_readiness", "mental_health_group", "mediation"),
        ),
        IndicatorSpec(
            "health_days",
            "Egészségnapok, szűrőnapok, sportnapok",
            "events",
            D(12),
            activity_types=("health_day",),
        ),
        IndicatorSpec(
            "community",
            "Közösségfejlesztő és bűnmegelőzési alkalmak",
            "events",
            D(24),
            activity_types=("community_development", "crime_prevention"),
        ),
        IndicatorSpec("housing", "Megtartott lakhatás", "outcomes", D(15), outcome="housing_kept"),
        IndicatorSpec(
            "removal",
            "Megelőzött kiemelés a családból",
            "outcomes",
            D(10),
            outcome="removal_prevented",
        ),
        IndicatorSpec(
            "resolved",
            "Ügysegédi segítséggel megoldott ügyek",
            "outcomes",
            D(30),
            outcome="application_resolved",
        ),
        IndicatorSpec(
            "resolution_days",
            "Az ügyek megoldásáig eltelt napok (medián)",
            "resolution_days",
            D(45),
            aggregation="median",
            outcome="application_resolved",
            lower_is_better=True,
        ),
        IndicatorSpec(
            "supervision",
            "Szupervízióban részt vevő szakemberek",
            "staff",
            D(12),
            role="participant",
            activity_types=("staff_sparring",),
        ),
    ),  # fmt: skip
    service_kinds=("family_child_welfare",),
)

HU_SCHOOL = Template(
    code="hu-school-social-help",
    country="HU",
    label=_("Kindergarten and school social help"),
    name="Óvodai és iskolai szociális segítő tevékenység",
    starts_on=None,
    months=36,
    description=(
        "A szociális segítés eszköztára óvodai és iskolai színtéren (egyéni, csoportos és "
        "közösségi segítés), esetmegbeszélés és szupervízió, a család- és gyermekjóléti "
        "központ és a köznevelési intézmények közös eljárásrendje."
    ),
    partners=(
        PartnerSpec("Család- és Gyermekjóléti Központ", "lead_applicant", "family_child_welfare"),
        PartnerSpec("Köznevelési intézmények", "cooperating"),
    ),
    target_groups=(
        TargetGroupSpec(
            "pupils",
            "Óvodás és iskolás gyermekek",
            people="children",
            min_age=3,
            max_age=18,
            settings=("kindergarten", "school"),
        ),
        TargetGroupSpec(
            "disadvantaged",
            "Hátrányos helyzetű gyermekek",
            people="children",
            max_age=18,
            disadvantaged=True,
            legal_basis="Gyvt. 67/A. §",
            target_share=D(30),
        ),
    ),  # fmt: skip
    outcome_categories=("attendance_restored",),
    indicators=(
        IndicatorSpec(
            "children",
            "Egyéni és csoportos segítésben részt vevő gyermekek",
            "children",
            D(150),
            role="participant",
            target_group="pupils",
            activity_types=("individual_session", "wellbeing_conversation", "catch_up_tutoring"),
        ),
        IndicatorSpec(
            "disadvantaged_share",
            "Hátrányos helyzetű gyermekek aránya",
            "children",
            D(30),
            aggregation="share",
            target_group="disadvantaged",
        ),
        IndicatorSpec(
            "community",
            "Közösségi programok",
            "events",
            D(10),
            activity_types=("community_development",),
        ),
        IndicatorSpec(
            "staff",
            "Esetmegbeszélésen és szupervízión részt vevő pedagógusok",
            "staff",
            D(20),
            role="participant",
            activity_types=("staff_sparring", "meeting_facilitation"),
        ),
        IndicatorSpec(
            "attendance",
            "Helyreállt iskolába járás",
            "outcomes",
            D(10),
            outcome="attendance_restored",
        ),
    ),  # fmt: skip
    service_kinds=("family_child_welfare", "school_social_work"),
)

DK_SCREENING = Template(
    code="dk-screening-2022",
    country="DK",
    label=_("Screening of promising interventions in day care and schools (2022–2023)"),
    name="Screening af lovende indsatser: socialfaglige kompetencer i dagtilbud og grundskoler",
    starts_on=date(2022, 1, 1),
    months=15,
    funder="Social- og Boligstyrelsen (Udviklings- og Investeringsprogrammerne 2022)",
    budget=D("1200000"),
    currency="DKK",
    description=(
        "Et samlet vidensoverblik over erfaringer med at integrere socialfaglige kompetencer i "
        "almenområdet, og en prototype på en ny social indsats for børn i sårbare positioner."
    ),
    partners=(
        PartnerSpec(
            "Styrelsen for Undervisning og Kvalitet (STUK)", "cooperating", note="sparring"
        ),
        PartnerSpec("Social- og Boligstyrelsen", "funder"),
    ),  # fmt: skip
    target_groups=(
        TargetGroupSpec(
            "children",
            "Børn på 3–16 år i dagtilbud og grundskole",
            people="children",
            min_age=3,
            max_age=16,
            settings=("daycare", "kindergarten", "school"),
        ),
    ),  # fmt: skip
    indicators=(
        IndicatorSpec(
            "children",
            "Børn i en sårbar position, der har fået en indsats",
            "children",
            D(40),
            role="participant",
            target_group="children",
        ),
        IndicatorSpec(
            "sparring",
            "Sparringsforløb med personalet",
            "meetings",
            D(20),
            activity_types=("staff_sparring",),
        ),
        IndicatorSpec(
            "staff",
            "Medarbejdere i dagtilbud og skole, der har fået sparring",
            "staff",
            D(30),
            role="participant",
            activity_types=("staff_sparring",),
        ),
    ),  # fmt: skip
    service_kinds=("family_child_welfare",),
)

DK_SOS = Template(
    code="dk-aarhus-signs-of-safety",
    country="DK",
    label=_("Signs of Safety in day care, schools and clubs (2016–2019)"),
    name="Signs of Safety i dagtilbud, skoler og klubber",
    starts_on=date(2016, 8, 1),
    months=36,
    description=(
        "Sparring og facilitering af møder for sundhedsplejersker og pædagogisk personale; "
        "oplæg og workshops om tre temaer; trivselssamtaler for elever."
    ),
    partners=(
        PartnerSpec("Socialforvaltningen", "cooperating", "family_child_welfare"),
        PartnerSpec("Sundhedsplejen", "cooperating"),
    ),
    target_groups=(
        TargetGroupSpec("children", "Børn og unge 0–18 år", people="children", max_age=18),
    ),
    indicators=(
        IndicatorSpec(
            "staff",
            "Sundhedsplejersker og pædagogisk personale med sparring",
            "staff",
            D(150),
            role="participant",
            activity_types=("staff_sparring", "meeting_facilitation"),
        ),
        IndicatorSpec(
            "meetings",
            "Faciliterede møder",
            "meetings",
            D(100),
            activity_types=("meeting_facilitation",),
        ),
        IndicatorSpec(
            "workshops",
            "Oplæg og workshops (tre temaer)",
            "events",
            D(30),
            activity_types=("staff_workshop",),
        ),
        IndicatorSpec(
            "conversations",
            "Elever med trivselssamtaler",
            "children",
            D(200),
            role="participant",
            target_group="children",
            activity_types=("wellbeing_conversation",),
        ),
    ),  # fmt: skip
    service_kinds=("family_child_welfare",),
)

TEMPLATES: dict[str, Template] = {
    t.code: t for t in (CZ_OPZ, HU_TOP, HU_SCHOOL, DK_SCREENING, DK_SOS)
}


def for_country(country: str) -> list[Template]:
    return [t for t in TEMPLATES.values() if t.country == country]


def for_municipality(municipality) -> list[Template]:
    return for_country(municipality.jurisdiction.code)


@transaction.atomic
def apply_template(
    code: str,
    *,
    municipality,
    user,
    starts_on: date | None = None,
    lead=None,
    action_area=None,
    role: str = "",
    request_id: str = "",
):
    """Create the template's programme in the municipality: partners, target groups (with an
    action area where they need one: the one given, or a new one without districts for the
    managers to draw), outcome categories and indicators. A definition `Indicator.clean`
    refuses raises ValidationError and nothing is kept."""
    from earlyhelp.activities.catalogue import ensure_catalogue
    from earlyhelp.activities.models import ActivityType
    from earlyhelp.audit.services import audit_record
    from earlyhelp.organisations.models import Service
    from earlyhelp.programmes.models import (
        ActionArea,
        Indicator,
        OutcomeCategory,
        Partner,
        Programme,
        TargetGroup,
    )

    template = TEMPLATES.get(code)
    if template is None or template.country != municipality.jurisdiction.code:
        raise ValidationError(_("Choose a template of the municipality's country."))
    start, end = template.period(starts_on)
    programme = Programme(
        municipality=municipality,
        name=template.name,
        funder=template.funder,
        reference=template.reference,
        starts_on=start,
        ends_on=end,
        budget=template.budget,
        currency=template.currency,
        aid_rate=template.aid_rate,
        description=template.description,
        lead=lead,
        template=template.code,
        created_by=user,
    )
    programme.full_clean()
    programme.save()
    services = {s.kind: s for s in Service.objects.filter(municipality=municipality)}
    programme.services.set([services[kind] for kind in template.service_kinds if kind in services])
    for spec in template.partners:
        name = spec.name
        service = services.get(spec.service_kind) if spec.service_kind else None
        if spec.role == "lead_applicant" and not spec.service_kind:
            name = f"{municipality.name} – {spec.name}"
        elif service is not None:
            name = service.name
        Partner.objects.create(
            programme=programme, name=name, role=spec.role, service=service, note=spec.note
        )
    if template.action_area and action_area is None:
        action_area = ActionArea.objects.create(
            municipality=municipality, name=template.action_area
        )
    groups = {}
    for position, spec in enumerate(template.target_groups):
        group = TargetGroup(
            programme=programme,
            name=spec.name,
            people=spec.people,
            min_age=spec.min_age,
            max_age=spec.max_age,
            settings=list(spec.settings),
            disadvantaged=spec.disadvantaged,
            legal_basis=spec.legal_basis,
            area=spec.area,
            action_area=action_area if spec.area != "anywhere" else None,
            target_share=spec.target_share,
            share_rule=spec.share_rule,
            position=position,
        )
        group.full_clean()
        group.save()
        groups[spec.key] = group
    categories = {
        code: OutcomeCategory.objects.create(programme=programme, code=code, position=position)
        for position, code in enumerate(template.outcome_categories)
    }
    if any(spec.activity_types for spec in template.indicators):
        ensure_catalogue(municipality)
    types = {t.code: t for t in ActivityType.objects.filter(municipality=municipality)}
    for position, spec in enumerate(template.indicators):
        chosen = [types[c] for c in spec.activity_types if c in types]
        target_date = (
            end
            if spec.target_months is None
            else add_months(start, spec.target_months) - timedelta(days=1)
        )
        indicator = Indicator(
            programme=programme,
            name=spec.name,
            unit=spec.unit,
            aggregation=spec.aggregation,
            role=spec.role,
            target_group=groups.get(spec.target_group),
            outcome=categories.get(spec.outcome),
            target_value=spec.target,
            target_date=target_date,
            lower_is_better=spec.lower_is_better,
            with_partners=spec.with_partners,
            position=position,
            template=spec.key,
        )
        indicator.full_clean(exclude=["programme"])
        indicator.clean(activity_types=chosen)
        indicator.save()
        indicator.activity_types.set(chosen)
    audit_record(
        actor=user, action="create", obj=programme, changes={"template": [None, template.code]},
        role=role, request_id=request_id,
    )  # fmt: skip
    return programme
