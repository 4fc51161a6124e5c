"""Screening rounds in the API, under the same policy as the round list and the round page
(screening/access.py): a round is seen by the institution's social helpers (and their
supervisors), the educators who rate its classes and the institution's lead. The progress of
a class is shown to whom the page shows it (`sees_class_figures`); the ratings to whom the
pages show them: all of the round's to its social helpers and supervisors, the classes an
educator rates to that educator, none to the lead (`null`). A child the reader may not see
(a restricted record) and a child whose consent to screening was withdrawn are withheld, as
on the pages, and counted in `ratings_not_shown`. Every page and record read is audited
(purpose "api")."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Path, Router, Schema

from earlyhelp.access.policy import Action, can, visible, visible_of
from earlyhelp.access.shortcuts import audit_list, open_record
from earlyhelp.api.common import CURSOR, LIMIT, check_cursor, known_query
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Choice, Id
from earlyhelp.people.models import Child
from earlyhelp.screening import selectors, services
from earlyhelp.screening.access import sees_class_figures
from earlyhelp.screening.models import Rating, Round

router = Router(tags=["screening"])
ROUND_ID = Path(...)


class RoundOut(Schema):
    id: int
    version: int
    title: str
    status: Choice(Round.Status)
    municipality_id: int
    institution_id: int
    instrument: str
    opens_on: date
    closes_on: date


class ClassOut(Schema):
    group_id: int
    group: str
    children: int
    rated: int
    flagged: int
    open_flags: int
    finished_at: datetime | None


class RatingOut(Schema):
    id: int
    version: int
    child_id: int
    group_id: int
    answers: dict[str, int]
    worry: int
    flagged: bool
    comment: str
    rated_at: datetime
    outcome: str | None = None


class RoundDetailOut(RoundOut):
    classes: list[ClassOut]
    ratings: list[RatingOut] | None = None
    ratings_not_shown: int = 0


class RoundPage(Schema):
    items: list[RoundOut]
    next_cursor: str | None


def _round(round_: Round, status: str) -> dict:
    return {
        "id": round_.pk,
        "version": round_.version,
        "title": round_.title,
        "status": status,
        "municipality_id": round_.municipality_id,
        "institution_id": round_.institution_id,
        "instrument": round_.instrument.code,
        "opens_on": round_.opens_on,
        "closes_on": round_.closes_on,
    }


@router.get(
    "/screening/rounds",
    response={200: RoundPage, **documented(401, 403, 422)},
    url_name="round_list",
    operation_id="round_list",
)
def round_list(
    request,
    status: Choice(Round.Status) | None = None,
    institution_id: Id | None = None,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """The screening rounds this account may see, newest first, with the status they have
    today (a round past its last day is closed). `status`, `institution_id`. Page with
    `next_cursor`."""
    known_query(request, "status", "institution_id", "cursor", "limit")
    if not can(request.user, Action.LIST, Round):
        raise Problem(403, _("This account may not list screening rounds."))
    page = selectors.round_list(
        user=request.user,
        cursor=check_cursor(cursor, Round.objects.none(), selectors.ROUND_KEYS),
        page_size=limit,
        status=status or "",
        institution_id=institution_id,
    )
    audit_list(
        request, object_type="screening.round", purpose="api", changes={"rows": len(page.rows)}
    )
    items = [_round(round_, round_.shown_status) for round_ in page.rows]
    return {"items": items, "next_cursor": page.next_cursor}


def _ratings(user, round_: Round) -> tuple[list[Rating] | None, int]:
    """The ratings of the round the user reads as the pages show them, and how many of those
    are withheld (a child the user may not see, or whose consent to screening was
    withdrawn); None for a reader of no ratings (the institution's lead)."""
    if can(user, Action.VIEW_DETAILS, round_):
        readable = visible_of(user, round_, Rating.objects.all(), Action.VIEW)
    elif can(user, Action.RECORD, round_):
        readable = visible_of(user, round_, Rating.objects.all(), Action.RECORD)
    else:
        return None, 0
    seen = visible(user, Child.objects.all(), Action.VIEW).values("pk")
    rows = list(
        readable.filter(child__in=seen)
        .select_related("group")
        .order_by("group__name", "child__search_name", "pk")
    )
    withheld = services.screening_withheld([r.child_id for r in rows])
    shown = [r for r in rows if r.child_id not in withheld]
    return shown, readable.count() - len(shown)


@router.get(
    "/screening/rounds/{round_id}",
    response={200: RoundDetailOut, **documented(401, 403, 404, 422)},
    url_name="round_detail",
    operation_id="round_detail",
)
def round_detail(request, round_id: Id = ROUND_ID):
    """One round: the progress of each class the account follows, and the ratings it reads
    (`null` for the institution's lead; see the module's note). Outside the account's scope:
    404."""
    known_query(request)
    round_, _path = open_record(
        request, selectors.round_queryset(), Action.VIEW, purpose="api", pk=round_id
    )
    round_ = services.round_settle(round_=round_)
    user = request.user
    classes = [
        {
            "group_id": row.group.pk,
            "group": row.group.name,
            "children": row.children,
            "rated": row.rated,
            "flagged": row.flagged,
            "open_flags": row.open_flags,
            "finished_at": row.round_group.finished_at,
        }
        for row in selectors.progress(user=user, round_=round_)
        if sees_class_figures(user, round_, row.round_group.group_id)
    ]
    ratings, not_shown = _ratings(user, round_)
    data = {**_round(round_, round_.status), "classes": classes, "ratings_not_shown": not_shown}
    if ratings is not None:
        details = can(user, Action.VIEW_DETAILS, round_)
        data["ratings"] = [
            {
                "id": r.pk,
                "version": r.version,
                "child_id": r.child_id,
                "group_id": r.group_id,
                "answers": r.answers,
                "worry": r.worry,
                "flagged": r.flagged,
                "comment": r.comment,
                "rated_at": r.rated_at,
                # How a flag ended is the social helpers' (the flag page's), not the rater's.
                "outcome": r.outcome if details else None,
            }
            for r in ratings
        ]
        # Names with their ratings: a read of person-level data, audited as a list (as the
        # round page's flags are).
        audit_list(
            request,
            object_type="screening.rating",
            purpose="api",
            object_id=str(round_.pk),
            changes={"round": round_.pk, "children": [r.child_id for r in ratings]},
        )
    return data
