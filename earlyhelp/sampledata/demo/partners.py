"""The demo's partner organisations and the outcomes per method: each place gets five made-up
partners (the statutory authority, a health service, an NGO, the court, an educational
counselling service); the case's referrals point to them and its conference names two; a round
table with partners taking part is held in Hungary and Denmark, and the Czech project's four
round tables are linked to the partners that took part. Three methods of help are named on the
term's activities, a plan step and a referral, the tutoring group's outcomes are recorded, and
the outcomes per method are computed, so the outcome pages show figures (and "<5" where they
are small). Made through the services where a person would act; idempotent."""

from __future__ import annotations

from datetime import time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from earlyhelp.organisations.models import Role

if TYPE_CHECKING:
    from earlyhelp.sampledata.demo.organisations import Place

# (name, kind, what they do, phone): all made up.
PARTNERS = {
    "HU": (
        ("Gyámhivatal (demo)", "authority", "Gyermekvédelmi eljárások, védelembe vétel.",
         "+36 22 000 100"),
        ("Gyermekpszichiátriai szakrendelés (demo)", "health",
         "Gyermek- és ifjúságpszichiátriai vizsgálat és terápia.", "+36 22 000 200"),
        ("Családbarát Egyesület (demo)", "ngo", "Szülőklubok, adományok, önkéntes mentorok.",
         "+36 30 000 0300"),
        ("Járásbíróság (demo)", "court", "Kapcsolattartási és elhelyezési ügyek.",
         "+36 22 000 400"),
        ("Pedagógiai Szakszolgálat (demo)", "education",
         "Nevelési tanácsadás, logopédia, iskolapszichológia.", "+36 22 000 500"),
    ),
    "CZ": (
        ("OSPOD – oddělení sociálně-právní ochrany dětí", "authority",
         "Sociálně-právní ochrana dětí, případové konference.", "+420 585 000 100"),
        ("Dětská psychiatrická ambulance (demo)", "health",
         "Diagnostika a léčba dětí a dospívajících.", "+420 585 000 200"),
        ("Středisko výchovné péče", "ngo",
         "Ambulantní a pobytová péče o děti s výchovnými obtížemi.", "+420 585 000 300"),
        ("Okresní soud (demo)", "court", "Opatrovnické věci, úprava styku s dítětem.",
         "+420 585 000 400"),
        ("Základní škola – výchovná poradkyně", "education",
         "Výchovné poradenství a spolupráce s rodinou.", "+420 585 000 500"),
        ("Krajský úřad – odbor sociálních věcí", "authority",
         "Metodické vedení a plánování sociálních služeb.", "+420 585 000 600"),
    ),
    "DK": (
        ("Familieafdelingen (demo)", "authority", "Børnefaglige undersøgelser og foranstaltninger.",
         "+45 89 00 01 00"),
        ("Børne- og ungdomspsykiatrien (demo)", "health",
         "Udredning og behandling af børn og unge.", "+45 89 00 02 00"),
        ("Forældrenetværket (demo)", "ngo", "Netværksgrupper og frivillige familievenner.",
         "+45 89 00 03 00"),
        ("Byretten (demo)", "court", "Samværssager og forældremyndighed.", "+45 89 00 04 00"),
        ("PPR – Pædagogisk Psykologisk Rådgivning (demo)", "education",
         "Psykologisk og pædagogisk rådgivning til skoler og dagtilbud.", "+45 89 00 05 00"),
    ),
}  # fmt: skip
# The activity types whose catalogue entries the term's outcomes and referrals name.
METHOD_TYPES = ("catch_up_tutoring", "baby_mama_club", "mentoring")
ROUND_TABLE = {
    "HU": ("Kerekasztal: jelzőrendszer a járásban", "Jelzőrendszeri tagok éves egyeztetése."),
    "DK": ("Netværksmøde: tidlig indsats i distriktet", "Fælles møde med samarbejdspartnerne."),
}
OUTCOMES = ("achieved", "achieved", "partly", "achieved", "not_achieved", "achieved", "partly")


def _partners_and_methods(place: Place, municipality, school, users) -> None:
    from earlyhelp.activities import services as act
    from earlyhelp.activities.models import Activity, Participant, Session
    from earlyhelp.cases import services as cases
    from earlyhelp.cases.models import Case, CaseConference, PlanAction, Referral
    from earlyhelp.knowledge.models import Partner
    from earlyhelp.knowledge.outcomes import rebuild
    from earlyhelp.knowledge.partners import partner_create
    from earlyhelp.programmes.models import Programme

    manager, worker, helper = (
        users[Role.MANAGER],
        users[Role.CASE_WORKER],
        users[Role.SOCIAL_HELPER],
    )
    if Partner.objects.filter(municipality=municipality).exists():
        return
    partners = [
        partner_create(
            user=manager,
            municipality=municipality,
            data={"name": name, "kind": kind, "what_they_do": what, "phone": phone, "active": True},
        )  # fmt: skip
        for name, kind, what, phone in PARTNERS[place.country]
    ]
    by_kind = {partner.kind: partner for partner in reversed(partners)}

    # The catalogue's entries these types follow (sampledata/demo/knowledge_catalogue.py); the
    # term's activities of each type already name them.
    methods = {
        kind.code: kind.method
        for kind in municipality.activity_types.filter(code__in=METHOD_TYPES).select_related(
            "method"
        )
    }

    # The tutoring group's outcomes, where none was recorded yet.
    tutoring = Activity.objects.filter(municipality=municipality, type__code="catch_up_tutoring")
    for index, participant in enumerate(
        Participant.objects.filter(activity__in=tutoring, outcome="").order_by("pk")
    ):
        act.participant_update(
            user=helper, participant=participant, version=participant.version,
            left_on=participant.left_on, left_reason=participant.left_reason,
            outcome=OUTCOMES[index % len(OUTCOMES)], outcome_note=participant.outcome_note,
            target_group=participant.target_group,
        )  # fmt: skip

    case = Case.objects.filter(municipality=municipality).order_by("pk").first()
    if case is not None:
        today = timezone.localdate()
        for partner, to, why in (
            (by_kind["education"], Referral.To.OTHER, "Learning assessment."),
            (by_kind["health"], Referral.To.MENTAL_HEALTH, "Sleep and anxiety."),
        ):
            referral = cases.referral_add(
                user=worker, case=case, to=to, partner=partner, reason=why,
                referred_on=today - timedelta(days=20),
            )  # fmt: skip
        Referral.objects.filter(pk=referral.pk).update(method=methods["mentoring"])
        step = PlanAction.objects.filter(goal__case=case).order_by("pk").first()
        if step is not None:
            PlanAction.objects.filter(pk=step.pk).update(method=methods["mentoring"])
        conference = CaseConference.objects.filter(case=case).order_by("pk").first()
        if conference is not None:
            conference.partners.set([by_kind["authority"], by_kind["education"]])

    # Round tables: the Czech project's link to the partners named as taking part; elsewhere
    # one is held with three partners.
    by_name = {partner.name: partner for partner in partners}
    for activity in Activity.objects.filter(municipality=municipality, type__code="round_table"):
        named = activity.participants.exclude(name="").values_list("name", flat=True)
        activity.partners.set([by_name[name] for name in named if name in by_name])
    if place.country in ROUND_TABLE:
        title, description = ROUND_TABLE[place.country]
        held_on = timezone.localdate() - timedelta(days=45)
        table = act.activity_create(
            user=helper,
            data={
                "institution": school, "type": municipality.activity_types.get(code="round_table"),
                "title": title, "description": description, "starts_on": held_on,
                "start_time": time(14, 0), "minutes": 120,
                "partners": [by_kind["authority"], by_kind["health"], by_kind["ngo"]],
            },
        )  # fmt: skip
        # Like the rest of the term's work, it counts for the place's programme.
        table.programmes.set(Programme.objects.filter(municipality=municipality))
        for session in table.sessions.all():
            act.session_record(
                user=helper, session=session, version=session.version,
                status=Session.Status.HELD, minutes=session.minutes, note=description,
                head_count=None, attendance={},
            )  # fmt: skip
    rebuild([municipality.pk])
