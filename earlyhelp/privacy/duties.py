"""What the privacy operations ask of the data-protection officers (docs/duties.md): every
officer of the municipality decides a retention batch waiting for approval, from the day it was
proposed, and answers a data subject's request by its statutory deadline. Refreshed by
`privacy.retention` and `privacy.requests` when a batch or a request changes; who is an
officer changes with memberships, so the nightly `rebuild_duties` catches up."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.policy import Action
from earlyhelp.duties.registry import (
    Due,
    Kind,
    Source,
    Target,
    at_end_of,
    ref,
    register_kind,
    register_source,
    register_target,
    with_owners,
)
from earlyhelp.organisations.models import Membership, Role
from earlyhelp.privacy.models import RetentionBatch, SubjectRequest
from earlyhelp.privacy.retention import kind_of

DECIDE = register_kind(
    Kind("retention_decide", _("Approve or reject records due for erasure"), Action.CHANGE)
).code
ANSWER = register_kind(
    Kind("subject_request_answer", _("Answer a data subject's request"), Action.CHANGE)
).code


def _batch_title(batch: RetentionBatch) -> str:
    kind = kind_of(batch.kind)
    return _("%(kind)s, proposed on %(day)s") % {
        "kind": kind.label if kind is not None else batch.kind,
        "day": f"{batch.proposed_at:%Y-%m-%d}",
    }


register_target(
    Target(
        "privacy.retentionbatch",
        queryset=lambda: RetentionBatch.objects.all(),
        url=lambda batch: reverse("privacy:batch", args=[batch.pk]),
        title=_batch_title,
    )
)
register_target(
    Target(
        "privacy.subjectrequest",
        queryset=lambda: SubjectRequest.objects.all(),
        url=lambda request: reverse("privacy:request", args=[request.pk]),
        # The register names the person by number only, as the officer's pages do.
        title=lambda request: (
            _("%(right)s, %(person)s, received on %(day)s")
            % {
                "right": request.get_right_display(),
                "person": request.person_reference(),
                "day": f"{request.received_on:%Y-%m-%d}",
            }
        ),
    )
)


def _officers(municipality_id: int) -> list[int]:
    return list(
        Membership.objects.active()
        .filter(role=Role.DPO, municipality_id=municipality_id, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _batch_dues(batch: RetentionBatch, officers: list[int]) -> list[Due]:
    if batch.state != RetentionBatch.State.PROPOSED:
        return []
    return [
        Due(owner, DECIDE, batch.proposed_at, ref(batch), ref(batch), batch.municipality_id)
        for owner in officers
    ]


def batch_duties(batch: RetentionBatch) -> list[Due]:
    return _batch_dues(batch, _officers(batch.municipality_id))


def _request_dues(request: SubjectRequest, officers: list[int]) -> list[Due]:
    if request.state != SubjectRequest.State.OPEN:
        return []
    due = at_end_of(request.due_on)
    return [
        Due(owner, ANSWER, due, ref(request), ref(request), request.municipality_id, all_day=True)
        for owner in officers
    ]


def request_duties(request: SubjectRequest) -> list[Due]:
    return _request_dues(request, _officers(request.municipality_id))


def _every(rows, dues):
    for row, officers in with_owners(rows, _officers):
        yield from dues(row, officers)


register_source(
    Source(
        "privacy.retentionbatch",
        kinds=(DECIDE,),
        duties=batch_duties,
        everything=lambda: _every(
            RetentionBatch.objects.filter(state=RetentionBatch.State.PROPOSED), _batch_dues
        ),
    )
)
register_source(
    Source(
        "privacy.subjectrequest",
        kinds=(ANSWER,),
        duties=request_duties,
        everything=lambda: _every(
            SubjectRequest.objects.filter(state=SubjectRequest.State.OPEN), _request_dues
        ),
    )
)
