"""Who may open the privacy pages: the data-protection officer of municipality A decides, its
administrator reads; nobody else reaches them. Inside: a batch or hold of A; outside: of B."""

import itertools

from django.utils import timezone

from earlyhelp.privacy.models import LegalHold, RetentionBatch, SubjectRequest
from earlyhelp.tests.matrix import ADM, DPO, Expect, answers, url
from earlyhelp.tests.personas import World

_numbers = itertools.count(1)


def batch(w: World, inside: bool) -> int:
    # A kind of its own each time: one batch per kind and municipality waits at a time.
    return RetentionBatch.objects.create(
        municipality=w.municipality_a if inside else w.municipality_b,
        kind=f"matrix-{next(_numbers)}",
        months=36,
        event="closed",
        basis="36 months",
        proposed_at=timezone.now(),
    ).pk


def hold(w: World, inside: bool) -> int:
    return LegalHold.objects.create(
        municipality=w.municipality_a if inside else w.municipality_b,
        child=w.inside if inside else w.abroad,
        reason="A court asked for the records.",
        placed_by=(w.users if inside else w.outsiders)[DPO],
        placed_at=timezone.now(),
    ).pk


def subject_request(w: World, inside: bool, right: str = "access") -> int:
    return SubjectRequest.objects.create(
        municipality=w.municipality_a if inside else w.municipality_b,
        child=w.inside if inside else w.abroad,
        right=right,
        received_on=timezone.localdate(),
        requester="The mother, by letter",
        due_on=timezone.localdate() + timezone.timedelta(days=30),
        registered_by=(w.users if inside else w.outsiders)[DPO],
    ).pk


def answered_restriction(w: World, inside: bool) -> int:
    pk = subject_request(w, inside, "restriction")
    SubjectRequest.objects.filter(pk=pk).update(state="done")
    return pk


READERS = answers(403, **{ADM: 200, DPO: 200})
OFFICER = answers(403, **{DPO: 200})
OFFICERS_OWN = answers(404, **{DPO: 200})
OFFICERS_ACT = answers(404, **{DPO: 302})

EXPECTATIONS = {
    "privacy:overview": Expect(url("privacy:overview"), READERS),
    "privacy:propose": Expect(url("privacy:propose"), answers(403, **{DPO: 302}), method="post"),
    "privacy:batch": Expect(
        url("privacy:batch", pk=batch), answers(404, **{ADM: 200, DPO: 200}), answers(404)
    ),
    "privacy:decide": Expect(
        url("privacy:decide", pk=batch),
        answers(404, **{ADM: 403, DPO: 302}),
        answers(404),
        method="post",
        data=lambda w, i: {"decision": "approve", "items": "0"},
    ),
    "privacy:holds": Expect(url("privacy:holds"), READERS),
    "privacy:hold_add": Expect(
        url("privacy:hold_add"),
        answers(403, **{DPO: 302}),
        method="post",
        data=lambda w, i: {"kind": "child", "number": str(w.inside.pk), "reason": "Court"},
    ),
    "privacy:hold_lift": Expect(
        url("privacy:hold_lift", pk=hold),
        answers(404, **{ADM: 403, DPO: 302}),
        answers(404),
        method="post",
        data=lambda w, i: {"lift_reason": "The court closed the matter."},
    ),
    "privacy:requests": Expect(url("privacy:requests"), OFFICER),
    "privacy:request_add": Expect(
        url("privacy:request_add"),
        answers(403, **{DPO: 302}),
        method="post",
        data=lambda w, i: {
            "right": "access",
            "person_kind": "child",
            "number": str(w.inside.pk),
            "received_on": timezone.localdate().isoformat(),
            "requester": "The father, in person",
        },
    ),
    "privacy:request": Expect(
        url("privacy:request", pk=subject_request), OFFICERS_OWN, answers(404)
    ),
    "privacy:request_extend": Expect(
        url("privacy:request_extend", pk=subject_request),
        OFFICERS_ACT,
        answers(404),
        method="post",
        data=lambda w, i: {"reason": "Many records to gather."},
    ),
    "privacy:request_answer": Expect(
        url("privacy:request_answer", pk=subject_request),
        OFFICERS_ACT,
        answers(404),
        method="post",
        data=lambda w, i: {"decision": "answer", "outcome": "Copy sent."},
    ),
    "privacy:request_lift": Expect(
        url("privacy:request_lift", pk=answered_restriction),
        OFFICERS_ACT,
        answers(404),
        method="post",
    ),
    "privacy:copy_pdf": Expect(
        url("privacy:copy_pdf", pk=subject_request), OFFICERS_OWN, answers(404)
    ),
    "privacy:copy_json": Expect(
        url("privacy:copy_json", pk=subject_request), OFFICERS_OWN, answers(404)
    ),
}
