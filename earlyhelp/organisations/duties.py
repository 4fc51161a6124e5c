"""What memberships ask of people (docs/duties.md): a membership waiting for approval is
decided by the administrators of its municipality or the supervisors of its service, from the
day it was asked. Refreshed by `organisations.services` when a membership is saved or
decided; who may decide changes with memberships, so the nightly `rebuild_duties` catches up."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.policy import Action
from earlyhelp.duties.registry import (
    Due,
    Kind,
    Source,
    Target,
    ref,
    register_kind,
    register_source,
    register_target,
)
from earlyhelp.organisations.access import approvers_for
from earlyhelp.organisations.models import Approval, Membership

APPROVE = register_kind(
    Kind("membership_approve", _("Approve or refuse a role someone asked for"), Action.APPROVE)
).code

register_target(
    Target(
        "organisations.membership",
        queryset=lambda: Membership.objects.select_related("user"),
        url=lambda membership: reverse("organisations:approvals"),
        title=lambda membership: (
            _("%(role)s for %(person)s")
            % {
                "role": membership.get_role_display(),
                "person": membership.user.get_full_name() or membership.user.get_username(),
            }
        ),
    )
)


def membership_duties(membership: Membership) -> list[Due]:
    due = membership.requested_at or membership.created_at or timezone.now()
    return [
        Due(owner, APPROVE, due, ref(membership), ref(membership), membership.municipality_id)
        for owner in approvers_for(membership)
    ]


def every_membership_duty():
    for membership in Membership.objects.filter(approval=Approval.PENDING).iterator():
        yield from membership_duties(membership)


register_source(
    Source(
        "organisations.membership",
        kinds=(APPROVE,),
        duties=membership_duties,
        everything=every_membership_duty,
    )
)
