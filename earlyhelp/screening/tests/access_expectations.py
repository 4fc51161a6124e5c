"""Who opens the screening pages. Inside: a round of school A1 over class 1.a (Bence's class);
outside: a round of school B1 in municipality B. The social helper of A1 and the supervisor of
their service work a round (see the flags, end them, close it); the educator of 1.a rates
it; A1's lead follows its progress; managers and analysts read only the figures page. (The
administration of instruments is in the matrix's ADMIN_OBJECTS.)"""

from earlyhelp.screening.models import Rating
from earlyhelp.tests import factories as f
from earlyhelp.tests.matrix import (
    ANA,
    EDU,
    HELP,
    LEAD,
    MGR,
    SUP,
    Expect,
    answers,
    url,
)

WORKERS = {EDU: 200, LEAD: 200, HELP: 200, SUP: 200}


def _place(w, inside: bool):
    if inside:
        return w.school_a1, w.class_a1, w.users, w.inside
    return w.school_b1, w.class_b1, w.outsiders, w.abroad


def make_round(w, inside: bool):
    school, group, users, _child = _place(w, inside)
    return f.RoundFactory(
        institution=school, created_by=users[HELP], groups=[group], title="Autumn term"
    )


def round_pk(w, inside: bool) -> int:
    return make_round(w, inside).pk


def group_pk(w, inside: bool) -> int:
    return (w.class_a1 if inside else w.class_b1).pk


def child_pk(w, inside: bool) -> int:
    return (w.inside if inside else w.abroad).pk


def flag_url(w, inside: bool) -> str:
    from django.urls import reverse

    _school, group, users, child = _place(w, inside)
    made = make_round(w, inside)
    rating = f.RatingFactory(round=made, child=child, group=group, rated_by=users[EDU])
    return reverse("screening:flag", args=[made.pk, rating.pk])


def flag_data(w, inside: bool) -> dict:
    rating = Rating.objects.latest("pk")
    return {"outcome": "watch", "version": rating.version}


NOT_FOUND = answers(404)
WORKS_ROUND_POST = answers(404, **{EDU: 403, LEAD: 403, HELP: 302, SUP: 302})

EXPECTATIONS = {
    "screening:rounds": Expect(url("screening:rounds"), answers(403, **WORKERS)),
    "screening:round_new": Expect(
        url("screening:round_new"), answers(403, **{HELP: 200, SUP: 200})
    ),
    "screening:overview": Expect(
        url("screening:overview"),
        answers(403, **{LEAD: 200, HELP: 200, SUP: 200, MGR: 200, ANA: 200}),
    ),
    "screening:round": Expect(
        url("screening:round", pk=round_pk), answers(404, **WORKERS), NOT_FOUND
    ),
    "screening:rate": Expect(
        url("screening:rate", pk=round_pk, group_pk=group_pk),
        answers(404, **{EDU: 200, LEAD: 403, HELP: 403, SUP: 403}),
        NOT_FOUND,
    ),
    "screening:rate_child": Expect(
        url("screening:rate_child", pk=round_pk, group_pk=group_pk, child_pk=child_pk),
        answers(404, **{EDU: 200, LEAD: 403, HELP: 403, SUP: 403}),
        NOT_FOUND,
    ),
    "screening:movement": Expect(
        url("screening:movement", pk=round_pk, group_pk=group_pk),
        answers(404, **WORKERS),
        NOT_FOUND,
    ),
    "screening:close": Expect(
        url("screening:close", pk=round_pk),
        WORKS_ROUND_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"version": 1},
    ),
    "screening:flag": Expect(flag_url, WORKS_ROUND_POST, NOT_FOUND, method="post", data=flag_data),
}
