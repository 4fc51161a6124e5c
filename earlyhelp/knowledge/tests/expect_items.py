"""Who may open the pages of a service's own methods (see access_expectations.py).

Inside: the stages of assisted contact of municipality A's service; everyone with a role in A
reads them, and its keepers (A's administrator and manager, the service's supervisor) change
them, which everyone else of A is refused (403, tests/test_items_pages.py).
Outside: the same page of municipality B's service, which nobody of A reaches. The index lists
the services of one's own municipalities, for everyone signed in."""

from earlyhelp.knowledge.models import Method
from earlyhelp.tests.matrix import Expect, answers, url
from earlyhelp.tests.personas import World


def service(w: World, inside: bool) -> int:
    if inside:
        return w.service_a.pk
    return w.outsiders["case_worker"].memberships.get().service_id


def stages(w: World, inside: bool) -> str:
    return Method.Kind.CONTACT_STAGES


EXPECTATIONS = {
    "knowledge:items_index": Expect(url("knowledge:items_index"), answers(200)),
    # Read by everyone of A; the change (keepers only: tests/test_items_pages.py) is the form
    # the page shows, which the hostile crawler sends.
    "knowledge:items": Expect(
        url("knowledge:items", service_pk=service, kind=stages), answers(200), answers(404)
    ),
}
