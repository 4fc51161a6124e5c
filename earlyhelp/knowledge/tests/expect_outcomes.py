"""Who may open the outcomes per method (see access_expectations.py).

Inside: a method of municipality A's catalogue, whose outcome figures everyone with a role in
A sees (they are aggregates with small counts suppressed). Outside: a method of municipality B,
which nobody of A reaches (404)."""

from earlyhelp.knowledge.models import Method
from earlyhelp.tests.matrix import Expect, answers, url
from earlyhelp.tests.personas import World


def method(w: World, inside: bool) -> int:
    municipality = w.municipality_a if inside else w.municipality_b
    found, _created = Method.objects.get_or_create(
        municipality=municipality, name="Parent club after the Incredible Years"
    )
    return found.pk


EXPECTATIONS = {
    "knowledge:outcomes": Expect(url("knowledge:outcomes"), answers(200)),
    "knowledge:method_outcomes": Expect(
        url("knowledge:method_outcomes", pk=method), answers(200), answers(404)
    ),
}
