"""The register of the data subjects' requests (GDPR Articles 15 to 18) and what answering
each does: the copy of an access request, the restriction of processing, the record of a
rectification or an erasure. Every step is written to the audit log."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.services import audit_record
from earlyhelp.core.dates import add_months
from earlyhelp.duties.services import refresh as refresh_duties
from earlyhelp.organisations.models import Role
from earlyhelp.privacy.models import SubjectRequest
from earlyhelp.privacy.services import officers_record

PERSONS = {"child": "people.Child", "adult": "people.Adult"}
# Article 12(3): one month from receipt, extendable by two further months.
ANSWER_MONTHS = 1
EXTENDED_MONTHS = 3


def _audit(
    user, request: SubjectRequest, purpose: str, changes: dict, action=AuditEvent.Action.CHANGE
) -> None:
    audit_record(
        actor=user,
        action=action,
        obj=request,
        role=Role.DPO,
        purpose=purpose,
        subject=f"people.child:{request.child_id}"
        if request.child_id
        else f"people.adult:{request.adult_id}",
        changes=changes,
    )


@transaction.atomic
def request_register(
    *,
    user,
    municipality_ids: set[int],
    person_kind: str,
    number: int,
    right: str,
    received_on: date,
    requester: str,
    details: str,
) -> SubjectRequest:
    """Register a request about person `number`, of one of the officer's municipalities."""
    municipality_id = officers_record(PERSONS[person_kind], number, municipality_ids)
    if received_on > timezone.localdate():
        raise ValidationError(gettext("A request cannot be received in the future."))
    request = SubjectRequest.objects.create(
        municipality_id=municipality_id,
        right=right,
        received_on=received_on,
        requester=requester,
        details=details,
        due_on=add_months(received_on, ANSWER_MONTHS),
        registered_by=user,
        **{f"{person_kind}_id": number},
    )
    refresh_duties(request)
    _audit(
        user,
        request,
        "request registered",
        {"right": right, "received_on": received_on},
        action=AuditEvent.Action.CREATE,
    )
    return request


def _open(request: SubjectRequest) -> SubjectRequest:
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != SubjectRequest.State.OPEN:
        raise ValidationError(gettext("This request was already answered."))
    return request


@transaction.atomic
def request_extend(*, user, request: SubjectRequest, reason: str) -> SubjectRequest:
    request = _open(request)
    if request.extended_on is not None:
        raise ValidationError(gettext("The answer was already extended once, to its limit."))
    request.due_on = add_months(request.received_on, EXTENDED_MONTHS)
    request.extended_on, request.extension_reason = timezone.localdate(), reason
    request.save(update_fields=["due_on", "extended_on", "extension_reason", "updated_at"])
    refresh_duties(request)
    _audit(user, request, "request extended", {"due_on": request.due_on})
    return request


@transaction.atomic
def request_answer(*, user, request: SubjectRequest, refuse: bool, outcome: str) -> SubjectRequest:
    """Answer (or refuse) an open request, saying what was done or why not. Answering a
    restriction restricts the person's processing; the officer lifts it later."""
    request = _open(request)
    request.state = SubjectRequest.State.REFUSED if refuse else SubjectRequest.State.DONE
    request.answered_on, request.answered_by, request.outcome = timezone.localdate(), user, outcome
    request.save(update_fields=["state", "answered_on", "answered_by", "outcome", "updated_at"])
    refresh_duties(request)
    if request.right == SubjectRequest.Right.RESTRICTION and not refuse:
        _restriction(user, request, restrict=True)
    _audit(user, request, "request answered", {"state": ["open", request.state]})
    return request


@transaction.atomic
def restriction_lift(*, user, request: SubjectRequest) -> SubjectRequest:
    if request.right != SubjectRequest.Right.RESTRICTION or request.state != "done":
        raise ValidationError(gettext("Only an answered restriction can be lifted."))
    _restriction(user, request, restrict=False)
    return request


def _restriction(user, request: SubjectRequest, *, restrict: bool) -> None:
    person = request.person
    person_model = type(person)
    moment = timezone.now() if restrict else None
    person_model.objects.filter(pk=person.pk).update(processing_restricted_at=moment)
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=person,
        role=Role.DPO,
        purpose="processing restricted" if restrict else "restriction lifted",
        changes={"processing_restricted_at": [person.processing_restricted_at, moment]},
    )
