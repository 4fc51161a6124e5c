"""The Signs of Safety pages of a case answer as the case does: its team and its service's
supervisor (inside), nobody of municipality A for a case of B (outside)."""

from django.urls import reverse

from earlyhelp.cases.tests.access_expectations import TEAM, TEAM_POST, make_case
from earlyhelp.safety.models import MappingItem
from earlyhelp.tests.matrix import Expect, answers, url


def case(w, inside: bool) -> int:
    return make_case(w, inside).pk


def item_url(w, inside: bool) -> str:
    made = make_case(w, inside)
    item = MappingItem.objects.create(
        case=made, category="strength", text="Grandmother helps.", author=made.lead_worker
    )
    return reverse("safety:mapping_withdraw", args=[made.pk, item.pk])


NOT_FOUND = answers(404)

EXPECTATIONS = {
    "safety:page": Expect(url("safety:page", pk=case), TEAM, NOT_FOUND),
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
