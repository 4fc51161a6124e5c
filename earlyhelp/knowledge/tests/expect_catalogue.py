"""Who may open the catalogue's pages (see access_expectations.py).

Inside: an intervention of municipality A's catalogue, kept by the whole municipality, and A's
scale of evidence. Everyone with a role in A sees the entry; A's administrator, manager and
supervisor add entries and change this one, the others are refused (403). Only A's
administrator keeps the scale; nobody else reaches it (404). Outside: the same in
municipality B, which nobody of A reaches."""

from earlyhelp.knowledge.catalogue import method_create
from earlyhelp.knowledge.models import EvidenceLevel
from earlyhelp.organisations.models import Role
from earlyhelp.tests.matrix import ADM, MGR, SUP, Expect, answers, url
from earlyhelp.tests.personas import World


def method(w: World, inside: bool) -> int:
    users = w.users if inside else w.outsiders
    return method_create(
        user=users[Role.SUPERVISOR],
        municipality=w.municipality_a if inside else w.municipality_b,
        data={"name": "Parent group"},
    ).pk


def municipality(w: World, inside: bool) -> int:
    return (w.municipality_a if inside else w.municipality_b).pk


def level(w: World, inside: bool) -> int:
    place = w.municipality_a if inside else w.municipality_b
    return EvidenceLevel.objects.get(municipality=place, code="practice").pk


AUTHORS = answers(403, **{ADM: 200, MGR: 200, SUP: 200})
SEEN = answers(200)
NOT_FOUND = answers(404)
SCALE = answers(404, **{ADM: 200})

EXPECTATIONS = {
    "knowledge:catalogue": Expect(url("knowledge:catalogue"), SEEN),
    "knowledge:method_create": Expect(url("knowledge:method_create"), AUTHORS),
    "knowledge:method": Expect(url("knowledge:method", pk=method), SEEN, NOT_FOUND),
    "knowledge:method_edit": Expect(url("knowledge:method_edit", pk=method), AUTHORS, NOT_FOUND),
    "knowledge:evidence_scale": Expect(
        url("knowledge:evidence_scale", pk=municipality), SCALE, NOT_FOUND
    ),
    "knowledge:evidence_level_edit": Expect(
        url("knowledge:evidence_level_edit", pk=level), SCALE, NOT_FOUND
    ),
}
