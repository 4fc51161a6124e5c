"""Who may see and work a case: its team (the case worker leads it, the social helper is on it)
and the supervisor of its service (inside: municipality A's service), or the same people of
municipality B (outside)."""

from django.utils import timezone

from earlyhelp.cases.models import (
    Case,
    CaseChild,
    CaseConference,
    CaseMember,
    Goal,
    PlanAction,
    Referral,
)
from earlyhelp.tests.matrix import CW, HELP, SUP, Expect, answers, url
from earlyhelp.tests.personas import World


def make_case(w: World, inside: bool) -> Case:
    users = w.users if inside else w.outsiders
    child = w.inside if inside else w.abroad
    municipality = w.municipality_a if inside else w.municipality_b
    case = Case.objects.create(
        municipality=municipality,
        service=municipality.services.first(),
        title="Family",
        reason="Repeated concerns about neglect.",
        lead_worker=users[CW],
        opened_at=timezone.now(),
        opened_by=users[CW],
    )
    CaseChild.objects.create(case=case, child=child)
    CaseMember.objects.create(case=case, user=users[CW], role=CaseMember.Role.LEAD)
    CaseMember.objects.create(case=case, user=users[HELP], role=CaseMember.Role.SOCIAL_HELPER)
    return case


def case(w: World, inside: bool) -> int:
    return make_case(w, inside).pk


def helper_place(w: World, inside: bool) -> int:
    users = w.users if inside else w.outsiders
    return make_case(w, inside).members.get(user=users[HELP]).pk


def make_goal(w: World, inside: bool) -> Goal:
    case = make_case(w, inside)
    return Goal.objects.create(
        case=case,
        child=case.case_children.get().child,
        text="Goes to school every day.",
        created_by=case.lead_worker,
    )


def goal_url(name: str):
    def build(w: World, inside: bool) -> str:
        from django.urls import reverse

        goal = make_goal(w, inside)
        return reverse(name, args=[goal.case_id, goal.pk])

    return build


def action_url(w: World, inside: bool) -> str:
    from django.urls import reverse

    goal = make_goal(w, inside)
    action = PlanAction.objects.create(
        goal=goal, text="Morning call", owner_kind="parent", owner_name="Mother",
        due_on=timezone.localdate(),
    )  # fmt: skip
    return reverse("cases:action_status", args=[goal.case_id, action.pk])


def referral_url(w: World, inside: bool) -> str:
    from django.urls import reverse

    case = make_case(w, inside)
    referral = Referral.objects.create(
        case=case, to="debt", organisation="Debt advice", reason="Rent arrears",
        referred_on=timezone.localdate(), created_by=case.lead_worker,
    )  # fmt: skip
    return reverse("cases:referral_update", args=[case.pk, referral.pk])


def conference_url(name: str):
    def build(w: World, inside: bool) -> str:
        from django.urls import reverse

        case = make_case(w, inside)
        conference = CaseConference.objects.create(
            case=case, kind="discussion", held_at=timezone.now(), agenda="Next steps",
            created_by=case.lead_worker,
        )  # fmt: skip
        return reverse(name, args=[case.pk, conference.pk])

    return build


def document_url(w: World, inside: bool) -> str:
    from django.core.files.base import ContentFile
    from django.urls import reverse

    case = make_case(w, inside)
    document = case.documents.create(
        title="Court order", file=ContentFile(b"%PDF-1.4 test", name="order.pdf"),
        original_name="order.pdf", content_type="application/pdf", size=13,
        uploaded_by=case.lead_worker,
    )  # fmt: skip
    return reverse("cases:document", args=[case.pk, document.pk])


def make_outcome(w: World, inside: bool):
    """A case that counts for a programme of its municipality, with one outcome reached."""
    from earlyhelp.programmes.models import Outcome, OutcomeCategory, Programme

    case = make_case(w, inside)
    today = timezone.localdate()
    programme = Programme.objects.create(
        municipality=case.municipality, name="Family support", starts_on=today,
        ends_on=today.replace(year=today.year + 1), created_by=case.lead_worker,
    )  # fmt: skip
    case.programmes.add(programme)
    kept = OutcomeCategory.objects.create(programme=programme, code="housing_kept")
    OutcomeCategory.objects.create(programme=programme, code="application_resolved", position=1)
    return Outcome.objects.create(
        category=kept, case=case, municipality=case.municipality, achieved_on=today,
        recorded_by=case.lead_worker,
    )  # fmt: skip


def outcome_add_url(w: World, inside: bool) -> str:
    from django.urls import reverse

    return reverse("cases:outcome_add", args=[make_outcome(w, inside).case_id])


def outcome_remove_url(w: World, inside: bool) -> str:
    from django.urls import reverse

    outcome = make_outcome(w, inside)
    return reverse("cases:outcome_remove", args=[outcome.case_id, outcome.pk])


STATUS = {"status": "done", "version": 1}

TEAM = answers(404, **{HELP: 200, CW: 200, SUP: 200})
TEAM_POST = answers(404, **{HELP: 302, CW: 302, SUP: 302})
NOT_FOUND = answers(404)

EXPECTATIONS = {
    "cases:list": Expect(url("cases:list"), answers(403, **{HELP: 200, CW: 200, SUP: 200})),
    "cases:open": Expect(url("cases:open"), answers(403, **{HELP: 200, CW: 200, SUP: 200})),
    "cases:detail": Expect(url("cases:detail", pk=case), TEAM, NOT_FOUND),
    # The chronology, a section of the case page loaded on demand: the page's answers.
    "cases:chronology": Expect(url("cases:chronology", pk=case), TEAM, NOT_FOUND),
    # The case page's other sections loaded on demand: the page's answers too.
    "cases:case_map": Expect(url("cases:case_map", pk=case), TEAM, NOT_FOUND),
    "cases:case_outcomes": Expect(url("cases:case_outcomes", pk=case), TEAM, NOT_FOUND),
    "cases:case_work": Expect(url("cases:case_work", pk=case), TEAM, NOT_FOUND),
    "cases:entry_add": Expect(url("cases:entry_add", pk=case), TEAM, NOT_FOUND),
    "cases:chronology_pdf": Expect(url("cases:chronology_pdf", pk=case), TEAM, NOT_FOUND),
    "cases:member_add": Expect(url("cases:member_add", pk=case), TEAM, NOT_FOUND),
    "cases:participant_add": Expect(url("cases:participant_add", pk=case), TEAM, NOT_FOUND),
    "cases:member_leave": Expect(
        lambda w, i: _leave_url(w, i), TEAM_POST, NOT_FOUND, method="post"
    ),
    "cases:concern_link": Expect(
        url("cases:concern_link", pk=case), TEAM_POST, NOT_FOUND, method="post"
    ),
    "cases:allocate": Expect(
        url("cases:allocate", pk=case), answers(404, **{HELP: 403, CW: 403, SUP: 200}), NOT_FOUND
    ),
    "cases:close": Expect(url("cases:close", pk=case), TEAM, NOT_FOUND),
    "cases:programmes": Expect(url("cases:programmes", pk=case), TEAM, NOT_FOUND),
    "cases:problem_map": Expect(url("cases:problem_map", pk=case), TEAM, NOT_FOUND),
    "cases:goal_add": Expect(url("cases:goal_add", pk=case), TEAM, NOT_FOUND),
    "cases:review": Expect(url("cases:review", pk=case), TEAM, NOT_FOUND),
    "cases:action_add": Expect(goal_url("cases:action_add"), TEAM, NOT_FOUND),
    "cases:goal_status": Expect(
        goal_url("cases:goal_status"),
        TEAM_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"status": "achieved", "version": 1},
    ),
    "cases:referral_add": Expect(url("cases:referral_add", pk=case), TEAM, NOT_FOUND),
    "cases:referral_update": Expect(referral_url, TEAM, NOT_FOUND),
    "cases:document_add": Expect(url("cases:document_add", pk=case), TEAM, NOT_FOUND),
    "cases:document": Expect(document_url, TEAM, NOT_FOUND),
    "cases:conference_add": Expect(url("cases:conference_add", pk=case), TEAM, NOT_FOUND),
    "cases:conference": Expect(conference_url("cases:conference"), TEAM, NOT_FOUND),
    "cases:decision_add": Expect(
        conference_url("cases:decision_add"),
        TEAM_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"text": "Weekly home visits."},
    ),
    "cases:outcome_add": Expect(outcome_add_url, TEAM, NOT_FOUND),
    "cases:outcome_remove": Expect(outcome_remove_url, TEAM, NOT_FOUND),
    "cases:action_status": Expect(
        action_url, TEAM_POST, NOT_FOUND, method="post", data=lambda w, i: STATUS
    ),
}


def _leave_url(w: World, inside: bool) -> str:
    from django.urls import reverse

    membership = CaseMember.objects.get(pk=helper_place(w, inside))
    return reverse("cases:member_leave", args=[membership.case_id, membership.pk])
