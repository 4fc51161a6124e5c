"""What cases ask of people (docs/duties.md): the owner of a plan step does it by its due date
(a step of a parent, the child or the network is followed by the lead worker); the lead worker
reviews the plan by the next review date; the case's team contacts the family by the next
contact the case kind's cadence asks for (a crisis case: every day).

A case is one source: its duties and its plan steps' are computed together and refreshed by
`cases.services._audit`, which every change of a case (its team, chronology, plan, reviews,
closing) passes through."""

from __future__ import annotations

from datetime import timedelta

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
from earlyhelp.people.models import naming_fields

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
    # An item reads the case's number and names its children: only those columns.
    return Case.objects.only("pk").prefetch_related(
        Prefetch(
            "case_children",
            CaseChild.objects.select_related("child__municipality__jurisdiction").only(
                "case_id", "child_id", *naming_fields("child__")
            ),
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
    """Every open case's duties, set-based: one query for the cases (their last contact and
    last review as subqueries), one for their teams, one for their planned steps; each row
    gives its duties directly, with no query per case."""
    open_cases = Case.objects.filter(status=Case.Status.OPEN)
    rows = (
        with_last_contact(open_cases)
        .annotate(last_review_on=Subquery(_last_review()))
        .values_list(
            "pk",
            "kind",
            "opened_at",
            "lead_worker_id",
            "municipality_id",
            "last_contact",
            "last_review_on",
        )  # fmt: skip
    )
    # Per case: (municipality, lead worker, next contact), for the team's and the steps' rows.
    cases: dict[int, tuple[int, int | None, object]] = {}
    for pk, kind, opened_at, lead, municipality, last_contact, last_review_on in rows.iterator(
        chunk_size=5000
    ):
        here = ((Case, pk), (Case, pk), municipality)
        review_on = last_review_on or (
            timezone.localtime(opened_at).date() + timedelta(days=Case.REVIEW_DAYS[kind])
        )
        if lead:
            yield Due(lead, REVIEW, at_end_of(review_on), *here, True)
        contact_on = timezone.localtime(last_contact or opened_at).date() + timedelta(
            days=Case.CONTACT_DAYS[kind]
        )
        cases[pk] = (municipality, lead, at_end_of(contact_on))
    team = CaseMember.objects.filter(case__status=Case.Status.OPEN, left_at__isnull=True)
    for case_id, user_id in team.values_list("case_id", "user_id").iterator(chunk_size=5000):
        if case_id in cases:
            municipality, _lead, due = cases[case_id]
            yield Due(user_id, CONTACT, due, (Case, case_id), (Case, case_id), municipality, True)
    steps = PlanAction.objects.filter(
        goal__case__status=Case.Status.OPEN, status=PlanAction.Status.PLANNED
    ).values_list("pk", "goal__case_id", "owner_kind", "owner_id", "due_on")
    for pk, case_id, owner_kind, owner_id, due_on in steps.iterator(chunk_size=5000):
        if case_id not in cases:
            continue
        municipality, lead, _due = cases[case_id]
        professional = owner_kind == PlanAction.Owner.PROFESSIONAL and owner_id
        owner = owner_id if professional else lead
        if owner:
            yield Due(
                owner, PLAN_STEP, at_end_of(due_on), (PlanAction, pk), (Case, case_id),
                municipality, True,
            )  # fmt: skip


register_source(
    Source(
        "cases.case",
        kinds=(PLAN_STEP, REVIEW, CONTACT),
        duties=case_duties,
        everything=every_case_duty,
        covers=case_covers,
    )
)
