"""The Signs of Safety pages of a case answer as the case does: its team and its service's
supervisor (inside), nobody of municipality A for a case of B (outside)."""

from django.urls import reverse

from earlyhelp.cases.tests.access_expectations import TEAM, TEAM_POST, make_case
from earlyhelp.safety.models import MappingItem, NetworkMember
from earlyhelp.tests.matrix import HELP, LEAD, SUP, Expect, answers, url


def case(w, inside: bool) -> int:
    return make_case(w, inside).pk


def item_url(w, inside: bool) -> str:
    made = make_case(w, inside)
    item = MappingItem.objects.create(
        case=made, category="strength", text="Grandmother helps.", author=made.lead_worker
    )
    return reverse("safety:mapping_withdraw", args=[made.pk, item.pk])


def drawing_url(w, inside: bool) -> str:
    from django.core.files.base import ContentFile

    made = make_case(w, inside)
    houses = made.three_houses.create(
        child=made.case_children.get().child, held_on="2026-11-30", worries="Dark nights.",
        drawing=ContentFile(b"\x89PNG\r\n\x1a\nrest", name="houses.png"),
        drawing_type="image/png", recorded_by=made.lead_worker,
    )  # fmt: skip
    return reverse("safety:drawing", args=[made.pk, houses.pk])


def network_case(w, inside: bool) -> int:
    made = make_case(w, inside)
    made.network.create(name="Nagymama", relation="grandmother", added_by=made.lead_worker)
    return made.pk


def meeting(w, inside: bool) -> int:
    from earlyhelp.safety.models import SafetyMeeting

    school = w.school_a1 if inside else w.school_b1
    users = w.users if inside else w.outsiders
    return SafetyMeeting.objects.create(
        municipality=school.municipality, institution=school, facilitator=users[HELP],
        held_on="2026-11-30", topic="A pupil of 1.a who is often hungry", participants="Teacher",
    ).pk  # fmt: skip


NOT_FOUND = answers(404)

EXPECTATIONS = {
    "safety:meetings": Expect(
        url("safety:meetings"), answers(403, **{HELP: 200, SUP: 200, LEAD: 200})
    ),
    "safety:meeting_new": Expect(url("safety:meeting_new"), answers(403, **{HELP: 200})),
    "safety:meeting": Expect(
        url("safety:meeting", pk=meeting),
        answers(404, **{HELP: 200, SUP: 200, LEAD: 200}),
        NOT_FOUND,
    ),  # fmt: skip
    "safety:page": Expect(url("safety:page", pk=case), TEAM, NOT_FOUND),
    "safety:case_tools": Expect(url("safety:case_tools", pk=case), TEAM, NOT_FOUND),
    "safety:mapping_add": Expect(
        url("safety:mapping_add", pk=case),
        TEAM_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"category": "strength", "text": "The aunt visits daily."},
    ),
    "safety:mapping_withdraw": Expect(item_url, TEAM_POST, NOT_FOUND, method="post"),
    "safety:statement": Expect(
        url("safety:statement", pk=case),
        TEAM_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"kind": "goal", "text": "Bence is safe at home.", "based_on": 0},
    ),
    "safety:drawing": Expect(drawing_url, TEAM, NOT_FOUND),
    "safety:three_houses": Expect(
        url("safety:three_houses", pk=case),
        TEAM_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {
            "child": (w.inside if i else w.abroad).pk,
            "held_on": "2026-11-30",
            "worries": "When dad shouts.",
            "good_things": "",
            "dreams": "",
        },  # fmt: skip
    ),
    "safety:network_add": Expect(
        url("safety:network_add", pk=case),
        TEAM_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"name": "Nagymama", "relation": "grandmother"},
    ),
    "safety:rule_add": Expect(
        url("safety:rule_add", pk=network_case),
        TEAM_POST,
        NOT_FOUND,
        method="post",
        # The holder is the network member the URL's case was just given.
        data=lambda w, i: {
            "text": "No drinking at home.",
            "review_on": "2030-01-01",
            "holder": NetworkMember.objects.latest("pk").pk,
        },  # fmt: skip
    ),
    "safety:scaling_add": Expect(
        url("safety:scaling_add", pk=case),
        TEAM_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {
            "respondent": "parent",
            "respondent_name": "Anya",
            "score": 4,
            "answered_on": "2026-11-30",
            "note": "",
        },  # fmt: skip
    ),
}
