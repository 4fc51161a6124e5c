"""The page of memberships awaiting approval in the access matrix. Inside: a case-worker
membership in A's service, asked for by A's administrator; outside: the same in B."""

from django.utils import timezone

from earlyhelp.organisations.models import Approval, Role
from earlyhelp.tests import factories as f
from earlyhelp.tests.matrix import ADM, SUP, Expect, answers, url


def pending(w, inside: bool) -> int:
    people = w.users if inside else w.outsiders
    municipality = w.municipality_a if inside else w.municipality_b
    newcomer = f.UserFactory(municipality=municipality)
    return f.MembershipFactory(
        user=newcomer,
        role=Role.CASE_WORKER,
        municipality=municipality,
        service=municipality.services.first(),
        approval=Approval.PENDING,
        requested_by=people[ADM],
        requested_at=timezone.now(),
    ).pk


# The requester (A's administrator) sees the request but may not decide it (403); the
# supervisor of the service decides (302); nobody else sees it (404).
DECIDE = answers(404, **{ADM: 403, SUP: 302})

EXPECTATIONS = {
    "organisations:approvals": Expect(
        url("organisations:approvals"), answers(403, **{ADM: 200, SUP: 200})
    ),
    "organisations:approval_approve": Expect(
        url("organisations:approval_approve", pk=pending), DECIDE, answers(404), method="post"
    ),
    "organisations:approval_refuse": Expect(
        url("organisations:approval_refuse", pk=pending), DECIDE, answers(404), method="post"
    ),
}
