"""Screening rounds in the API, under the same policy as the round list and the round page
(screening/access.py): a round is seen by the institution's social helpers (and their
supervisors), the educators who rate its classes and the institution's lead. The progress of
a class is shown to whom the page shows it (`sees_class_figures`); the ratings to whom the
pages show them: all of the round's to its social helpers and supervisors, the classes an
educator rates to that educator, none to the lead (`null`). A child the reader may not see
(a restricted record) and a child whose consent to screening was withdrawn are withheld, as
on the pages, and counted in `ratings_not_shown`. Every page and record read is audited
(purpose "api"). One child's ratings are recorded as the class sheet's line of that child
records them (`ClassSheet`, `services.rating_save`), by whom the page lets rate (the educators
of the child's class, in a round that is open), with the rating's version as ETag / If-Match."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Header, Path, Router, Schema, Status

from earlyhelp.access.policy import Action, can, primary_role, visible, visible_of
from earlyhelp.access.shortcuts import audit_list, get_object_or_deny, open_record
from earlyhelp.api.common import (
    CURSOR,
    LIMIT,
    StrictSchema,
    check_cursor,
    etag,
    if_match_version,
    known_query,
    refused,
    stale,
)
from earlyhelp.api.people import IF_MATCH
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Choice, Id, Text
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.people.models import Child
from earlyhelp.screening import selectors, services
from earlyhelp.screening.access import sees_class_figures
from earlyhelp.screening.forms import ClassSheet
from earlyhelp.screening.models import Rating, Round

router = Router(tags=["screening"])
ROUND_ID = Path(...)
CHILD_ID = Path(...)
IF_NONE_MATCH = Header(
    None,
    alias="If-None-Match",
    max_length=100,
    description="`*` to rate a child not rated yet in the round; 412 if someone rated them since.",
)


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


class RatingIn(StrictSchema):
    """One child's ratings as their line of the class sheet takes them: an answer to each item
    of the round's instrument, by its code, or `all_fine` ("no worry on any item I leave
    unanswered") for those left out; a comment. `group_id`: the class the child is rated in,
    needed only for a child in more than one of the classes the account rates."""

    answers: dict[Text(40, min_length=1), int] = Field(default_factory=dict, max_length=100)
    all_fine: bool = False
    comment: Text(500, multiline=True) = ""
    group_id: Id | None = None


class RoundDetailOut(RoundOut):
    classes: list[ClassOut]
    ratings: list[RatingOut] | None = None
    ratings_not_shown: int = 0


class RoundPage(Schema):
    items: list[RoundOut]
    next_cursor: str | None


def _rating(r: Rating, details: bool) -> dict:
    return {
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
        data["ratings"] = [_rating(r, details) for r in ratings]
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


def _rating_class(request, round_: Round, child_id: int, group_id: int | None):
    """The class of the round the child is rated in by this account: one it rates in which the
    child is now enrolled (404 if none, as the class sheet's line of a child in no class of
    the account's); with several, the one named in `group_id` (422 otherwise)."""
    classes = services.rating_classes(user=request.user, round_=round_, child_id=child_id)
    if not classes:
        raise Http404
    if group_id is None and len(classes) > 1:
        raise refused("group_id", _("The child is in more than one of your classes: name one."))
    if group_id is not None and group_id not in classes:
        raise refused("group_id", _("Name one of your classes of this round the child is in."))
    chosen = group_id or classes[0]
    return round_.round_groups.select_related("group").get(group_id=chosen).group


def _expected_version(if_match: str | None, if_none_match: str | None) -> int:
    """The version of the rating the change is based on: its ETag in `If-Match`, or 0 (no
    rating yet) for `If-None-Match: *`. A tag this API never gave is -1, which no rating has."""
    if not if_match and if_none_match is not None:
        if if_none_match.strip() != "*":
            raise refused("If-None-Match", _("Send If-None-Match: * for a child not rated yet."))
        return 0
    return if_match_version(if_match) or -1


@router.put(
    "/screening/rounds/{round_id}/ratings/{child_id}",
    response={
        200: RatingOut,
        201: RatingOut,
        **documented(400, 401, 403, 404, 412, 413, 415, 422, 428),
    },
    url_name="round_rating_record",
    operation_id="round_rating_record",
)
def round_rating_record(
    request,
    response: HttpResponse,
    payload: RatingIn,
    round_id: Id = ROUND_ID,
    child_id: Id = CHILD_ID,
    if_match: str | None = IF_MATCH,
    if_none_match: str | None = IF_NONE_MATCH,
):
    """Record one child's ratings in a round, as the child's line of the class sheet does: by
    an educator of the child's class (the round's social helpers, supervisors and the
    institution's lead: 403; a child in none of the account's classes, or whose consent to
    screening was withdrawn: 404), while the round is open (422 once it is closed or before it
    opens). Every item answered, or `all_fine`; the same checks, one audit row for a new or
    changed rating. Send the rating's `version` (as the round lists it, or this answer's
    `ETag`) in `If-Match`, or `If-None-Match: *` for a child not rated yet: without either
    428; 412 if someone rated the child since. The same ratings sent again change nothing and
    answer 200; 201 when the rating is new."""
    known_query(request)
    round_ = get_object_or_deny(request, selectors.round_queryset(), Action.VIEW, pk=round_id)
    round_ = services.round_settle(round_=round_)
    if not can(request.user, Action.RECORD, round_):
        raise Problem(403, _("This account does not rate children in this round."))
    group = _rating_class(request, round_, child_id, payload.group_id)
    user = request.user
    child, _path = open_record(
        request, services.ratable_children(user=user, group=group), purpose="api", pk=child_id
    )
    sheet_data = selectors.child_sheet(user=user, round_=round_, child=child)
    if not sheet_data.children:
        raise Http404  # the consent to screening was withdrawn: the child is not rated
    version = _expected_version(if_match, if_none_match)
    items = selectors.items(round_)
    codes = {item.code for item in items}
    for code in payload.answers:
        if code not in codes:
            raise refused(f"answers.{code}", _("Not an item of this round's instrument."))
    pk = child.pk
    data = {
        **{f"r{pk}-{code}": value for code, value in payload.answers.items()},
        f"c{pk}": payload.comment,
        f"v{pk}": version,
        f"ok{pk}": "1" if payload.all_fine else "",
    }
    sheet = ClassSheet(
        instrument=round_.instrument, items=items, children=[child],
        ratings=sheet_data.ratings, data=data,
    )  # fmt: skip
    try:
        result = services.rating_save(
            user=user, round_=round_, group=group, row=sheet.inputs()[0],
            role=primary_role(user), request_id=getattr(request, "request_id", ""),
        )  # fmt: skip
    except StaleVersionError as error:
        raise stale() from error
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        # The row's refusals (an answer not offered, items left out): about the answers.
        errors = [{"field": "answers", "message": m} for m in error.message_dict.get(str(pk), [])]
        raise Problem(422, " ".join(e["message"] for e in errors), kind="validation",
                      errors=errors) from error  # fmt: skip
    rating = selectors.child_sheet(user=user, round_=round_, child=child).ratings[pk]
    response["ETag"] = etag(rating.version)
    body = _rating(rating, can(user, Action.VIEW_DETAILS, round_))
    return Status(201, body) if result.created else body
