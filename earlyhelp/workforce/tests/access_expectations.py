"""Who may open the workforce pages.

Inside: the profile of municipality A's social helper, whose supervisor is A's supervisor; the
helper sees it, the supervisor and A's administrator see and change it, everyone else gets 404.
Training events of A are kept by A's supervisor and administrator and seen by the helper who
attended. A supervision session the helper took part in is seen by the helper, the supervisor
and the administrator; its notes are the helper's alone. Outside: the same in municipality B,
which nobody of A reaches. The norms of A are set by A's administrator."""

from earlyhelp.tests.matrix import ADM, CW, HELP, MGR, SUP, Expect, answers, url
from earlyhelp.tests.personas import World
from earlyhelp.workforce.tests import builders


def profile(w: World, inside: bool) -> int:
    return builders.helper_profile(w, inside).pk


def qualification(w: World, inside: bool) -> int:
    return builders.qualification(w, inside).pk


def event(w: World, inside: bool) -> int:
    return builders.attended(w, inside).event_id


def certificate(w: World, inside: bool) -> int:
    return builders.attended(w, inside, certificate=True).pk


def session(w: World, inside: bool) -> int:
    return builders.session(w, inside).pk


def discussion(w: World, inside: bool) -> int:
    return builders.discussion(w, inside).pk


def support(w: World, inside: bool) -> int:
    return builders.support(w, inside).pk


def municipality(w: World, inside: bool) -> int:
    return (w.municipality_a if inside else w.municipality_b).pk


KEEPERS_ONLY = answers(403, **{SUP: 200, ADM: 200})
SEEN = answers(404, **{HELP: 200, SUP: 200, ADM: 200})
KEPT = answers(404, **{HELP: 403, SUP: 200, ADM: 200})
NOT_FOUND = answers(404)
KEPT_FROM_KEEPERS = answers(404, **{HELP: 200, SUP: 403, ADM: 403})

EXPECTATIONS = {
    "workforce:me": Expect(url("workforce:me"), answers(200)),
    "workforce:staff_list": Expect(url("workforce:staff_list"), KEEPERS_ONLY),
    "workforce:staff_create": Expect(url("workforce:staff_create"), KEEPERS_ONLY),
    "workforce:staff": Expect(url("workforce:staff", pk=profile), SEEN, NOT_FOUND),
    "workforce:staff_edit": Expect(url("workforce:staff_edit", pk=profile), KEPT, NOT_FOUND),
    "workforce:record_new": Expect(
        url("workforce:record_new", pk=profile, kind=lambda w, i: "employment"), KEPT, NOT_FOUND
    ),
    "workforce:record_edit": Expect(
        url(
            "workforce:record_edit",
            pk=profile,
            kind=lambda w, i: "qualifications",
            item_pk=qualification,
        ),
        KEPT,
        NOT_FOUND,
    ),
    "workforce:training_list": Expect(url("workforce:training_list"), KEEPERS_ONLY),
    "workforce:training_create": Expect(url("workforce:training_create"), KEEPERS_ONLY),
    "workforce:training": Expect(url("workforce:training", pk=event), SEEN, NOT_FOUND),
    "workforce:training_edit": Expect(
        url("workforce:training_edit", pk=event),
        answers(404, **{HELP: 403, SUP: 200, ADM: 200}),
        NOT_FOUND,
    ),
    # An empty form is refused and the page shown again with its errors.
    "workforce:attendance_add": Expect(
        url("workforce:attendance_add", pk=event), KEPT, NOT_FOUND, method="post"
    ),
    "workforce:certificate": Expect(url("workforce:certificate", pk=certificate), SEEN, NOT_FOUND),
    "workforce:norm_check": Expect(url("workforce:norm_check"), KEEPERS_ONLY),
    "workforce:norm_edit": Expect(
        url("workforce:norm_edit", pk=municipality), answers(404, **{ADM: 200}), NOT_FOUND
    ),
    "workforce:supervision_list": Expect(
        url("workforce:supervision_list"),
        answers(403, **{HELP: 200, CW: 200, SUP: 200, ADM: 200}),
    ),
    "workforce:supervision_create": Expect(url("workforce:supervision_create"), KEEPERS_ONLY),
    "workforce:supervision": Expect(url("workforce:supervision", pk=session), SEEN, NOT_FOUND),
    "workforce:supervision_edit": Expect(
        url("workforce:supervision_edit", pk=session), KEPT, NOT_FOUND
    ),
    # The notes are the participants' alone: the supervisor and the administrator see the
    # session but are refused its notes. An empty form is refused and the page shown again.
    "workforce:supervision_notes": Expect(
        url("workforce:supervision_notes", pk=session),
        KEPT_FROM_KEEPERS,
        NOT_FOUND,
        method="post",
    ),  # fmt: skip
    "workforce:supervision_norms": Expect(url("workforce:supervision_norms"), KEEPERS_ONLY),
    "workforce:supervision_norm_edit": Expect(
        url("workforce:supervision_norm_edit", pk=municipality),
        answers(404, **{ADM: 200}),
        NOT_FOUND,
    ),
    # Team case discussions: like supervision sessions; the participant (the helper) and the
    # keepers record what a participant learnt (an empty form is refused, the page shown).
    "workforce:discussion_list": Expect(
        url("workforce:discussion_list"),
        answers(403, **{HELP: 200, CW: 200, SUP: 200, ADM: 200}),
    ),
    "workforce:discussion_create": Expect(url("workforce:discussion_create"), KEEPERS_ONLY),
    "workforce:discussion_counts": Expect(url("workforce:discussion_counts"), KEEPERS_ONLY),
    "workforce:discussion": Expect(url("workforce:discussion", pk=discussion), SEEN, NOT_FOUND),
    "workforce:discussion_edit": Expect(
        url("workforce:discussion_edit", pk=discussion), KEPT, NOT_FOUND
    ),
    "workforce:discussion_learning": Expect(
        url("workforce:discussion_learning", pk=discussion), SEEN, NOT_FOUND, method="post"
    ),
    # Implementation support is part of the supported worker's staff record.
    "workforce:support_list": Expect(url("workforce:support_list"), KEEPERS_ONLY),
    "workforce:support_create": Expect(url("workforce:support_create"), KEEPERS_ONLY),
    "workforce:support": Expect(url("workforce:support", pk=support), SEEN, NOT_FOUND),
    "workforce:support_edit": Expect(url("workforce:support_edit", pk=support), KEPT, NOT_FOUND),
    "workforce:support_session_add": Expect(
        url("workforce:support_session_add", pk=support), KEPT, NOT_FOUND, method="post"
    ),
    # Coverage: supervisors, managers and administrators; caseload: the keepers of staff.
    "workforce:coverage": Expect(
        url("workforce:coverage"), answers(403, **{SUP: 200, MGR: 200, ADM: 200})
    ),
    "workforce:coverage_norm_edit": Expect(
        url("workforce:coverage_norm_edit", pk=municipality),
        answers(404, **{ADM: 200}),
        NOT_FOUND,
    ),
    "workforce:caseload": Expect(url("workforce:caseload"), KEEPERS_ONLY),
    "workforce:caseload_norm_edit": Expect(
        url("workforce:caseload_norm_edit", pk=municipality),
        answers(404, **{ADM: 200}),
        NOT_FOUND,
    ),
}
