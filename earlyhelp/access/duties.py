"""What break-glass openings ask of people (docs/duties.md): the supervisors of the
municipality review each opening (never their own) from the moment it was made. Refreshed by
`access.services` when an opening is made or reviewed."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.models import BreakGlassGrant
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
    with_owners,
)
from earlyhelp.organisations.models import Membership, Role

REVIEW = register_kind(
    Kind(
        "break_glass_review",
        _("Review an emergency opening of a record (break-glass)"),
        Action.REVIEW_BREAK_GLASS,
    )
).code

register_target(
    Target(
        "access.breakglassgrant",
        queryset=lambda: BreakGlassGrant.objects.select_related(
            "child__municipality__jurisdiction"
        ),
        url=lambda grant: reverse("access:break_glass_log"),
        people=lambda grant: [grant.child],
        title=lambda grant: _("opened on %(day)s") % {"day": f"{grant.started_at:%Y-%m-%d}"},
    )
)


def _reviewers(municipality_id: int) -> list[int]:
    return list(
        Membership.objects.active()
        .filter(role=Role.SUPERVISOR, municipality_id=municipality_id, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _grant_dues(grant, reviewers) -> list[Due]:
    if grant.refused or grant.reviewed_at is not None or grant.child_id is None:
        return []
    return [
        Due(owner, REVIEW, grant.started_at, ref(grant), ref(grant), grant.municipality_id)
        for owner in reviewers
        if owner != grant.user_id
    ]


def grant_duties(grant: BreakGlassGrant) -> list[Due]:
    return _grant_dues(grant, _reviewers(grant.municipality_id))


def every_grant_duty():
    waiting = BreakGlassGrant.objects.filter(
        refused=False, reviewed_at__isnull=True, child__isnull=False
    )
    for grant, reviewers in with_owners(waiting, _reviewers):
        yield from _grant_dues(grant, reviewers)


register_source(
    Source(
        "access.breakglassgrant",
        kinds=(REVIEW,),
        duties=grant_duties,
        everything=every_grant_duty,
    )
)
