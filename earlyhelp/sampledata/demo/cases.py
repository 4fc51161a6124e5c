"""The demo's cases: teams, chronologies, problem maps, plans and reviews, and the Signs of Safety
mapping of a case, drawn with the case since it is part of the case's story."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.concerns.models import Concern
from earlyhelp.organisations.models import (
    Role,
)
from earlyhelp.people.models import (
    Child,
)

if TYPE_CHECKING:
    from earlyhelp.sampledata.demo.organisations import Place


# Cases at every stage, in each country's language: (title, why opened, a contact, a session with
# the child, a note and its correction, the crisis case's reason, the closed case's note).
CASE_TEXTS = {
    "HU": {
        "goal": "Minden nap iskolába megy, és reggelizik előtte.",
        "steps": ("Reggel hétkor ébreszti a gyereket.", "Időpontot kér a lakhatási támogatáshoz."),
        "family": (
            "A család gondozása",
            "Ismétlődő jelzések elhanyagolásról; a család együttműködik.",
        ),
        "contact": ("Családlátogatás", "Az anya otthon volt, a lakás hideg, a tüzelő elfogyott."),
        "session": (
            "Beszélgetés a gyerekkel",
            "Azt mondta, szeret iskolába járni, mert ott meleg van.",
        ),
        "note": ("Egyeztetés az iskolával", "Az osztályfőnök szerint a hiányzások csökkentek."),
        "fix": (
            "Egyeztetés az iskolával",
            "Az osztályfőnök és az iskolai szociális segítő szerint a hiányzások csökkentek.",
        ),
        "crisis": (
            "Krízisgondozás",
            "Az apa elhagyta a családot; az anya egyedül maradt három gyerekkel.",
        ),
        "closed": ("Lezárt családgondozás", "A célok teljesültek, a család rendezte a lakhatást."),
    },
    "CZ": {
        "goal": "Chodí každý den do školy a předtím se nasnídá.",
        "steps": ("Ráno v sedm dítě vzbudí.", "Domluví termín kvůli příspěvku na bydlení."),
        "family": ("Práce s rodinou", "Opakovaná oznámení o zanedbávání; rodina spolupracuje."),
        "contact": ("Návštěva v rodině", "Matka byla doma, v bytě je zima, došlo topení."),
        "session": ("Rozhovor s dítětem", "Řekl, že chodí rád do školy, protože je tam teplo."),
        "note": ("Konzultace se školou", "Podle třídní učitelky se absence snížila."),
        "fix": (
            "Konzultace se školou",
            "Podle třídní učitelky a školní sociální pracovnice se absence snížila.",
        ),
        "crisis": ("Krizová pomoc", "Otec od rodiny odešel; matka zůstala sama se třemi dětmi."),
        "closed": ("Uzavřená práce s rodinou", "Cíle byly splněny, rodina vyřešila bydlení."),
    },
    "DK": {
        "goal": "Han går i skole hver dag og spiser morgenmad først.",
        "steps": ("Vækker barnet klokken syv.", "Aftaler et møde om boligstøtte."),
        "family": ("Familiesag", "Gentagne bekymringer om omsorgssvigt; familien samarbejder."),
        "contact": ("Hjemmebesøg", "Mor var hjemme, lejligheden var kold, der var intet brænde."),
        "session": (
            "Samtale med barnet",
            "Han sagde, at han kan lide at gå i skole, fordi der er varmt.",
        ),
        "note": ("Samtale med skolen", "Ifølge klasselæreren er fraværet faldet."),
        "fix": (
            "Samtale med skolen",
            "Ifølge klasselæreren og skolens socialrådgiver er fraværet faldet.",
        ),
        "crisis": ("Krisehjælp", "Far har forladt familien; mor er alene med tre børn."),
        "closed": ("Afsluttet familiesag", "Målene er nået, familien har fundet en bolig."),
    },
}


def _cases(place: Place, municipality, service, group, users) -> None:
    """An open family case opened from a concern (with contacts, a session, a note and its
    correction), a crisis case, a closed case and a restricted one. Written as they would have
    happened over the last weeks (so directly, not through the services, which date everything
    now); the team is named on the children's records as the services do."""
    from earlyhelp.cases.models import Case, CaseChild, CaseConcern, CaseMember, ChronologyEntry
    from earlyhelp.cases.services import _name_on_children

    if Case.objects.filter(municipality=municipality).exists():
        return
    texts = CASE_TEXTS[place.country]
    helper, worker = users[Role.SOCIAL_HELPER], users[Role.CASE_WORKER]
    now = timezone.now()
    children = list(
        Child.objects.filter(enrolments__group=group).order_by("search_name", "pk")[:12]
    )
    open_children = [c for c in children if not c.restricted]
    restricted = next((c for c in children if c.restricted), None)
    from_concern = (
        Concern.objects.filter(municipality=municipality, decision=Concern.Decision.CASE)
        .order_by("pk")
        .first()
    )

    def case(key, kind, days, lead, members, kids, **extra):
        title, reason = texts[key]
        made = Case.objects.create(
            municipality=municipality, service=service, title=title, kind=kind, reason=reason,
            lead_worker=lead, opened_at=now - timedelta(days=days), opened_by=helper, **extra,
        )  # fmt: skip
        CaseChild.objects.bulk_create(CaseChild(case=made, child=kid) for kid in kids)
        for user, role in members:
            CaseMember.objects.create(case=made, user=user, role=role)
            _name_on_children(made, user)
        entry(made, "opened", days, helper, _("Case opened"), reason)
        return made

    def entry(made, kind, days, author, title, text="", corrects=None):
        return ChronologyEntry.objects.create(
            case=made, kind=kind, happened_at=now - timedelta(days=days, hours=3), author=author,
            title=title, text=text, corrects=corrects,
        )  # fmt: skip

    team = [(worker, CaseMember.Role.LEAD), (helper, CaseMember.Role.SOCIAL_HELPER)]
    named = from_concern.children.filter(child__isnull=False).first() if from_concern else None
    family_children = [named.child] if named else open_children[:1]
    family = case("family", Case.Kind.FAMILY, 40, worker, team, family_children)
    if named is not None:
        CaseConcern.objects.create(case=family, concern=from_concern, linked_by=helper)
        title = _("Concern #%(n)s from %(institution)s") % {
            "n": from_concern.pk,
            "institution": from_concern.institution.name,
        }
        entry(family, "concern", 44, helper, title)
    _plan(family, family_children[0], texts, worker, helper, now)
    entry(family, "contact", 35, worker, *texts["contact"])
    entry(family, "session", 21, helper, *texts["session"])
    wrong = entry(family, "note", 10, worker, *texts["note"])
    entry(family, "note", 9, worker, *texts["fix"], corrects=wrong)
    others = [c for c in open_children if c not in family_children]
    crisis = case("crisis", Case.Kind.CRISIS, 5, helper, [(helper, CaseMember.Role.LEAD)],
                  others[1:3])  # fmt: skip
    for day in range(4, -1, -1):
        entry(crisis, "contact", day, helper, texts["contact"][0])
    closed = case(
        "closed", Case.Kind.FAMILY, 200, worker, [(worker, CaseMember.Role.LEAD)],
        others[3:4], status=Case.Status.CLOSED, closed_at=now - timedelta(days=20),
        closure_reason=Case.ClosureReason.GOALS_MET, outcome=Case.Outcome.IMPROVED,
    )  # fmt: skip
    entry(closed, "closed", 20, worker, _("Case closed"), texts["closed"][1])
    if restricted is not None:
        case("family", Case.Kind.FAMILY, 15, worker, [(worker, CaseMember.Role.LEAD)],
             [restricted], restricted=True)  # fmt: skip


def _plan(case, child, texts, worker, helper, now) -> None:
    """The family case's problem map (two assessments, so the change shows) and a plan with a
    step done and one overdue."""
    from earlyhelp.cases.models import Goal, PlanAction, PlanReview, ProblemAssessment

    today = timezone.localdate(now)
    for days, severities in ((38, {"housing": 4, "school": 4, "finances": 3}),
                             (6, {"housing": 3, "school": 2, "finances": 3})):  # fmt: skip
        ProblemAssessment.objects.bulk_create(
            ProblemAssessment(
                case=case,
                domain=domain,
                severity=severity,
                assessed_by=worker,
                assessed_on=today - timedelta(days=days),
            )  # fmt: skip
            for domain, severity in severities.items()
        )
    goal = Goal.objects.create(
        case=case, child=child, text=texts["goal"], domain="school", created_by=worker
    )
    parent_step, worker_step = texts["steps"]
    PlanAction.objects.create(
        goal=goal, text=parent_step, owner_kind="parent", owner_name=child.family_name,
        due_on=today - timedelta(days=20), status="done", done_on=today - timedelta(days=22),
    )  # fmt: skip
    PlanAction.objects.create(
        goal=goal, text=worker_step, owner_kind="professional", owner=worker,
        due_on=today - timedelta(days=2),
    )  # fmt: skip
    from earlyhelp.cases.models import CaseConference, ConferenceDecision

    conference = CaseConference.objects.create(
        case=case, kind="discussion", held_at=now - timedelta(days=7), agenda=texts["goal"],
        minutes=texts["note"][1], created_by=worker,
    )  # fmt: skip
    conference.attendees.set([worker, helper])
    ConferenceDecision.objects.create(
        conference=conference, text=worker_step, step=goal.actions.get(owner=worker),
        decided_by=worker,
    )  # fmt: skip
    _safety(case, child, texts, worker, helper, today)
    PlanReview.objects.create(
        case=case, reviewed_on=today - timedelta(days=6), reviewed_by=helper,
        note=texts["session"][1], next_review_on=today - timedelta(days=6) + case.review_every,
    )  # fmt: skip


def _safety(case, child, texts, worker, helper, today) -> None:
    """The family case's Signs of Safety: a map in each column, a danger statement in two
    versions and a safety goal, and two people's scaling answers over five weeks."""
    from earlyhelp.safety.models import MappingItem, ScalingAnswer, Statement

    for category, text in (
        ("harm", texts["contact"][1]),
        ("danger", texts["family"][1]),
        ("strength", texts["session"][1]),
        ("safety", texts["note"][1]),
        ("next_step", texts["steps"][1]),
    ):
        MappingItem.objects.create(case=case, category=category, text=text, author=worker)
    Statement.objects.create(case=case, kind="danger", number=1, text=texts["family"][1],
                             author=worker)  # fmt: skip
    Statement.objects.create(case=case, kind="danger", number=2, text=texts["crisis"][1],
                             author=helper)  # fmt: skip
    Statement.objects.create(case=case, kind="goal", number=1, text=texts["goal"], author=worker)
    from earlyhelp.safety.models import NetworkMember, SafetyRule, ThreeHouses

    ThreeHouses.objects.create(
        case=case, child=child, held_on=today - timedelta(days=20), worries=texts["crisis"][1],
        good_things=texts["session"][1], dreams=texts["goal"], recorded_by=helper,
    )  # fmt: skip
    holder = NetworkMember.objects.create(
        case=case, name=child.family_name, relation="—", agreed=texts["steps"][0], added_by=worker
    )
    SafetyRule.objects.create(
        case=case, text=texts["steps"][0], holder=holder,
        review_on=today + timedelta(days=14), added_by=worker,
    )  # fmt: skip
    for days, parent_score, worker_score in ((35, 3, 2), (21, 4, 4), (6, 6, 5)):
        answered = today - timedelta(days=days)
        ScalingAnswer.objects.create(
            case=case, respondent="parent", respondent_name=child.family_name,
            score=parent_score, answered_on=answered, recorded_by=worker,
        )  # fmt: skip
        ScalingAnswer.objects.create(
            case=case, respondent="worker", respondent_name=worker.get_full_name() or "—",
            score=worker_score, answered_on=answered, recorded_by=worker,
        )  # fmt: skip
