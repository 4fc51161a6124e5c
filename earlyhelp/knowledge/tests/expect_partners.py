"""Who may open the partner organisations' pages and an institution's offer (see
access_expectations.py).

Inside: a partner organisation of municipality A, and school A1 of A: everyone with a role in A
sees them; A's administrator, manager and supervisor keep the partners, the others are refused
(403). Outside: the same in municipality B, which nobody of A reaches (404)."""

from earlyhelp.knowledge.models import Partner
from earlyhelp.tests.matrix import ADM, MGR, SUP, Expect, answers, url
from earlyhelp.tests.personas import World


def partner(w: World, inside: bool) -> int:
    municipality = w.municipality_a if inside else w.municipality_b
    found, _created = Partner.objects.get_or_create(
        municipality=municipality,
        name="Family counselling centre",
        defaults={"kind": Partner.Kind.NGO, "phone": "+36 1 000 0000"},
    )
    return found.pk


def institution(w: World, inside: bool) -> int:
    return (w.school_a1 if inside else w.school_b1).pk


KEPT = answers(403, **{SUP: 200, MGR: 200, ADM: 200})

EXPECTATIONS = {
    "knowledge:partners": Expect(url("knowledge:partners"), answers(200)),
    "knowledge:partner_create": Expect(url("knowledge:partner_create"), KEPT),
    "knowledge:partner": Expect(url("knowledge:partner", pk=partner), answers(200), answers(404)),
    "knowledge:partner_edit": Expect(url("knowledge:partner_edit", pk=partner), KEPT, answers(404)),
    "knowledge:offer": Expect(url("knowledge:offer", pk=institution), answers(200), answers(404)),
}
