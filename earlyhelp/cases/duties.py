"""What cases ask of people (docs/duties.md): the owner of a plan step does it by its due date
(a step of a parent, the child or the network is followed by the lead worker); the lead worker
reviews the plan by the next review date; the case's team contacts the family by the next
contact the case kind's cadence asks for (a crisis case: every day).

A case is one source: its duties and its plan steps' are computed together and refreshed by
`cases.services._audit`, which every change of a case (its team, chronology, plan, reviews,
closing) passes through."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.policy import Action
from earlyhelp.cases.models import Case, CaseChild, CaseMember, PlanAction, PlanReview
from earlyhelp.cases.selectors import next_contact, with_last_contact
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
)

PLAN_STEP = register_kind(
    Kind("case_plan_step", _("Do a step of the plan"), Action.VIEW, anchor="plan-heading")
).code
REVIEW = register_kind(
    Kind("case_review", _("Review the plan"), Action.VIEW, anchor="plan-heading")
).code
CONTACT = register_kind(
    Kind("case_contact", _("Contact the family"), Action.VIEW, anchor="chronology-heading")
).code


def _case_queryset():
    return Case.objects.prefetch_related(
        Prefetch(
            "case_children",
            CaseChild.objects.select_related("child__municipality__jurisdiction"),
        )
    )


register_target(
    Target(
        "cases.case",
        queryset=_case_queryset,
        url=lambda case: case.get_absolute_url(),
        people=lambda case: [place.child for place in case.case_children.all()],
        title=lambda case: _("Case no. %(number)s") % {"number": case.pk},
    )
)

_STEP_FIELDS = ("pk", "owner_kind", "owner_id", "due_on")


def _next_review_on(case, last_review_on):
    if last_review_on is not None:
        return last_review_on
    return timezone.localtime(case.opened_at).date() + case.review_every


def _case_dues(case: Case, *, last_contact, next_review_on, team: list[int], steps) -> list[Due]:
    if case.status != Case.Status.OPEN:
        return []
    dues = []
    here = (ref(case), ref(case), case.municipality_id)
    if case.lead_worker_id:
        dues.append(Due(case.lead_worker_id, REVIEW, at_end_of(next_review_on), *here, True))
    contact_on = next_contact(case, last_contact)
    for member in team:
        dues.append(Due(member, CONTACT, at_end_of(contact_on), *here, True))
    for step in steps:
        owner = (
            step.owner_id
            if step.owner_kind == PlanAction.Owner.PROFESSIONAL and step.owner_id
            else case.lead_worker_id
        )
        if owner:
            dues.append(
                Due(
                    owner,
                    PLAN_STEP,
                    at_end_of(step.due_on),
                    (PlanAction, step.pk),
                    ref(case),
                    case.municipality_id,
                    True,
                )
            )
    return dues


def _last_review():
    return (
        PlanReview.objects.filter(case_id=OuterRef("pk"))
        .order_by("-reviewed_on", "-pk")
        .values("next_review_on")[:1]
    )


def case_duties(case: Case) -> list[Due]:
    case = with_last_contact(Case.objects.filter(pk=case.pk)).annotate(
        last_review_on=Subquery(_last_review())
    )[0]
    team = list(
        CaseMember.objects.filter(case=case, left_at__isnull=True).values_list("user_id", flat=True)
    )
    steps = PlanAction.objects.filter(goal__case=case, status=PlanAction.Status.PLANNED).only(
        *_STEP_FIELDS
    )
    return _case_dues(
        case,
        last_contact=case.last_contact,
        next_review_on=_next_review_on(case, case.last_review_on),
        team=team,
        steps=steps,
    )


def case_covers(case: Case) -> dict:
    return {
        Case: [case.pk],
        PlanAction: list(PlanAction.objects.filter(goal__case=case).values_list("pk", flat=True)),
    }


def every_case_duty():
    cases = (
        with_last_contact(Case.objects.filter(status=Case.Status.OPEN))
        .annotate(last_review_on=Subquery(_last_review()))
        .only("pk", "status", "kind", "opened_at", "lead_worker_id", "municipality_id")
        .prefetch_related(
            Prefetch(
                "members",
                CaseMember.objects.filter(left_at__isnull=True).only("case_id", "user_id"),
                to_attr="team",
            ),
            Prefetch(
                "goals__actions",
                PlanAction.objects.filter(status=PlanAction.Status.PLANNED).only(
                    "goal_id", *_STEP_FIELDS
                ),
                to_attr="planned",
            ),
        )
    )
    for case in cases.iterator(chunk_size=2000):
        yield from _case_dues(
            case,
            last_contact=case.last_contact,
            next_review_on=_next_review_on(case, case.last_review_on),
            team=[member.user_id for member in case.team],
            steps=[step for goal in case.goals.all() for step in goal.planned],
        )


register_source(
    Source(
        "cases.case",
        kinds=(PLAN_STEP, REVIEW, CONTACT),
        duties=case_duties,
        everything=every_case_duty,
        covers=case_covers,
    )
)
