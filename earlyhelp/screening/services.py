"""Changing screening rounds: opening a round, rating a class, ending a flag, closing.

Each service checks the access policy itself, runs in one transaction and writes an audit row
for every change. A round closes on its own once its last day has passed (`round_settle`, run
lazily when a round is read and by `manage.py close_screening_rounds`), and becomes complete
when it is closed and every flag has ended in an action or a recorded reason for none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.audit.services import audit_record
from earlyhelp.core.versioning import StaleVersionError, update_versioned
from earlyhelp.duties.services import refresh
from earlyhelp.organisations.models import Group
from earlyhelp.people.models import Child, Consent
from earlyhelp.screening.access import rating_groups, screening_institutions
from earlyhelp.screening.models import Instrument, Rating, Round, RoundGroup

# --- Answers -----------------------------------------------------------------------------------


def answer_values(instrument: Instrument) -> list[int]:
    """The answers an item of `instrument` takes, from no worry to the most serious."""
    if instrument.scale == Instrument.Scale.TRAFFIC_LIGHT:
        return [0, 1, 2]
    return [5, 4, 3, 2, 1]


def fine_value(instrument: Instrument) -> int:
    """The answer "no worry" that "no worry on any item" fills in."""
    return 0 if instrument.scale == Instrument.Scale.TRAFFIC_LIGHT else 4


def score(instrument: Instrument, answers: dict[str, int]) -> tuple[int, bool]:
    """The worry score (sum of the answers' worry levels) and whether the child is flagged."""
    return sum(instrument.worry(v) for v in answers.values()), instrument.flags(answers)


# --- Who is rated ------------------------------------------------------------------------------


def screening_withheld(child_ids) -> set[int]:
    """Children whose screening consent was withdrawn and who hold no other valid one: they
    are not rated. Without any screening consent on record a child is rated, as part of the
    school's ordinary care for wellbeing."""
    today = timezone.localdate()
    consents: dict[int, list[Consent]] = {}
    for consent in Consent.objects.filter(
        child_id__in=child_ids, purpose=Consent.Purpose.SCREENING
    ).only("child_id", "given_on", "valid_until", "withdrawn_on"):
        consents.setdefault(consent.child_id, []).append(consent)
    return {
        child_id
        for child_id, found in consents.items()
        if any(c.withdrawn_on and c.withdrawn_on <= today for c in found)
        and not any(c.is_valid_on(today) for c in found)
    }


def ratable_children(*, user, group: Group):
    """The children of `group` now enrolled that `user` may see, by name."""
    from earlyhelp.people.models import Enrolment

    enrolled = Enrolment.objects.current().filter(group=group).values("child_id")
    children = Child.objects.filter(pk__in=enrolled).select_related("municipality__jurisdiction")
    return visible(user, children, Action.VIEW).order_by("search_name", "pk")


def rating_classes(*, user, round_: Round, child_id: int) -> list[int]:
    """The classes of `round_` the user rates in which the child is now enrolled, if the user
    may see the child: those whose `ratable_children` the child is among (two queries)."""
    from earlyhelp.people.models import Enrolment

    if not visible(user, Child.objects.filter(pk=child_id), Action.VIEW).exists():
        return []
    groups = rating_groups(user, round_)
    enrolled = Enrolment.objects.current().filter(child_id=child_id, group_id__in=groups)
    return sorted(set(enrolled.values_list("group_id", flat=True)))


def accepting_ratings(round_: Round, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return round_.status == Round.Status.OPEN and round_.opens_on <= today <= round_.closes_on


def _require_accepting(round_: Round) -> None:
    today = timezone.localdate()
    if round_.status != Round.Status.OPEN or today > round_.closes_on:
        raise ValidationError(_("The round is closed: ratings can no longer be changed."))
    if today < round_.opens_on:
        raise ValidationError(
            _("The round opens on %(day)s.")
            % {"day": date_format(round_.opens_on, "SHORT_DATE_FORMAT")}
        )


# --- Opening and closing a round ---------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    user,
    title: str,
    instrument: Instrument,
    groups: list[Group],
    opens_on: dt.date,
    closes_on: dt.date,
    role: str = "",
    request_id: str = "",
) -> Round:
    """A round over `groups`, which must all be classes of one institution where `user` may
    open rounds."""
    if not can(user, Action.CREATE, Round):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError(_("Give the round a title, for example the term."))
    if not groups:
        raise ValidationError(_("Choose at least one class."))
    institutions = {g.institution_id for g in groups}
    if len(institutions) != 1:
        raise ValidationError(_("A round covers classes of one institution only."))
    institution = groups[0].institution
    if institution.pk not in screening_institutions(user):
        raise PermissionDenied
    if not instrument.active or instrument.municipality_id not in (
        None,
        institution.municipality_id,
    ):
        raise ValidationError(_("Choose an instrument in use here."))
    if not instrument.items.exists():
        raise ValidationError(_("The instrument has no items to rate."))
    if closes_on < opens_on:
        raise ValidationError(_("The round closes before it opens."))
    if closes_on < timezone.localdate():
        raise ValidationError(_("The closing day has passed."))
    round_ = Round.objects.create(
        municipality_id=institution.municipality_id,
        institution=institution,
        instrument=instrument,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=user,
    )
    RoundGroup.objects.bulk_create(RoundGroup(round=round_, group=g) for g in groups)
    audit_record(
        actor=user, action="create", obj=round_, role=role, request_id=request_id,
        changes={"round": [None, round_.pk], "groups": sorted(g.pk for g in groups)},
    )  # fmt: skip
    return round_


def _has_open_flags(round_: Round) -> bool:
    return round_.ratings.filter(flagged=True, outcome="").exists()


def _complete_if_settled(round_: Round, *, actor=None, role="", request_id="") -> None:
    """A closed round with no open flag left becomes complete."""
    if round_.status != Round.Status.CLOSED or _has_open_flags(round_):
        return
    done = Round.objects.filter(pk=round_.pk, status=Round.Status.CLOSED).update(
        status=Round.Status.COMPLETE, version=F("version") + 1, updated_at=timezone.now()
    )
    if done:
        round_.status = Round.Status.COMPLETE
        round_.version += 1
        audit_record(
            actor=actor, action="change", obj=round_, role=role or "system",
            request_id=request_id, purpose="every flag handled",
            changes={"status": [Round.Status.CLOSED, Round.Status.COMPLETE]},
        )  # fmt: skip


@transaction.atomic
def round_close(
    *, user, round_: Round, version: int, role: str = "", request_id: str = ""
) -> Round:
    """Close the round to ratings (before its date); complete at once if no flag is open."""
    if not can(user, Action.CHANGE, round_):
        raise PermissionDenied
    if round_.status != Round.Status.OPEN:
        raise ValidationError(_("The round is already closed."))
    update_versioned(round_, expected_version=version, fields={"status": Round.Status.CLOSED})
    audit_record(
        actor=user, action="change", obj=round_, role=role, request_id=request_id,
        changes={"status": [Round.Status.OPEN, Round.Status.CLOSED]},
    )  # fmt: skip
    _complete_if_settled(round_, actor=user, role=role, request_id=request_id)
    return round_


@transaction.atomic
def round_settle(*, round_: Round, today: dt.date | None = None) -> Round:
    """Close the round if its last day has passed (and complete it if no flag is open). Run
    whenever a round is read, so that its status never lags behind its dates."""
    today = today or timezone.localdate()
    if round_.status == Round.Status.OPEN and round_.closes_on < today:
        closed = Round.objects.filter(
            pk=round_.pk, status=Round.Status.OPEN, closes_on__lt=today
        ).update(status=Round.Status.CLOSED, version=F("version") + 1, updated_at=timezone.now())
        if closed:
            round_.status = Round.Status.CLOSED
            round_.version += 1
            audit_record(
                actor=None, action="change", obj=round_, role="system",
                purpose="closed on its date",
                changes={"status": [Round.Status.OPEN, Round.Status.CLOSED]},
            )  # fmt: skip
        else:
            round_.refresh_from_db(fields=["status", "version"])
    _complete_if_settled(round_)
    return round_


def rounds_close_due(*, today: dt.date | None = None) -> int:
    """Close every open round whose last day has passed; returns how many closed."""
    today = today or timezone.localdate()
    due = Round.objects.filter(status=Round.Status.OPEN, closes_on__lt=today).order_by("pk")
    count = 0
    for round_ in due.iterator(chunk_size=500):
        round_settle(round_=round_, today=today)
        count += 1
    return count


# --- Rating a class ----------------------------------------------------------------------------


@dataclass
class RowInput:
    """One child's row of the class sheet as typed."""

    child_id: int
    answers: dict[str, int] = field(default_factory=dict)
    comment: str = ""
    version: int = 0  # the version the sheet was read at; 0: there was no rating yet
    all_fine: bool = False  # "no worry on any item": unanswered items are answered "no worry"


@dataclass
class SaveResult:
    created: int = 0
    changed: int = 0
    flagged: int = 0
    finished: bool = False


class StaleRowsError(StaleVersionError):
    """Someone else saved some of the rows after the sheet was read; `current` holds their
    ratings, by child."""

    def __init__(self, message, current: dict[int, Rating]):
        super().__init__(message)
        self.current = current


def _answers_of(row: RowInput, codes: list[str], instrument: Instrument) -> dict[str, int] | None:
    """The complete answers of a row, None for a row left empty; ValidationError if some
    items are answered and others not, or an answer is not one of the instrument's."""
    allowed = answer_values(instrument)
    answers = {code: row.answers[code] for code in codes if row.answers.get(code) is not None}
    if any(value not in allowed for value in answers.values()):
        raise ValidationError(_("Choose one of the offered answers."))
    if row.all_fine:
        answers = {code: answers.get(code, fine_value(instrument)) for code in codes}
    if not answers:
        if row.comment.strip():
            raise ValidationError(_("Answer every item before writing a comment."))
        return None
    if len(answers) != len(codes):
        raise ValidationError(_("Answer every item, or leave the whole row empty."))
    return answers


@transaction.atomic
def ratings_save(
    *,
    user,
    round_: Round,
    group: Group,
    rows: list[RowInput],
    finish: bool = False,
    role: str = "",
    request_id: str = "",
) -> SaveResult:
    """Save the rows of one class sheet at once: a row left empty is skipped, an unchanged one
    is left alone, a changed one must still be at the version the sheet was read at. Nothing
    is saved unless every row can be. `finish` records that the class is done."""
    if not can(user, Action.RECORD, round_) or group.pk not in rating_groups(user, round_):
        raise PermissionDenied
    _require_accepting(round_)
    instrument = round_.instrument
    codes = list(instrument.items.values_list("code", flat=True))
    allowed = set(ratable_children(user=user, group=group).values_list("pk", flat=True))
    allowed -= screening_withheld(allowed)
    errors: dict[str, list[str]] = {}
    wanted: dict[int, tuple[RowInput, dict[str, int]]] = {}
    for row in rows:
        if row.child_id not in allowed:
            raise ValidationError(_("You rate only the children of this class."))
        try:
            answers = _answers_of(row, codes, instrument)
        except ValidationError as error:
            errors[str(row.child_id)] = error.messages
            continue
        if len(row.comment) > 500:
            errors[str(row.child_id)] = [_("Keep the comment under 500 characters.")]
            continue
        if answers is not None:
            wanted[row.child_id] = (row, answers)
    if errors:
        raise ValidationError(errors)

    existing = {
        r.child_id: r
        for r in Rating.objects.select_for_update().filter(round=round_, child_id__in=wanted)
    }
    stale = {}
    for child_id, (row, answers) in wanted.items():
        current = existing.get(child_id)
        unchanged = current is not None and (
            current.answers == answers and current.comment == row.comment.strip()
        )
        if not unchanged and (current.version if current else 0) != row.version:
            stale[child_id] = current
    if stale:
        raise StaleRowsError(
            _(
                "Someone else saved ratings of the children marked below while you were "
                "rating. What you typed is kept: compare it with theirs, then save again to "
                "replace theirs."
            ),
            stale,
        )

    result = SaveResult()
    now = timezone.now()
    new = []
    for child_id, (row, answers) in wanted.items():
        worry, flagged = score(instrument, answers)
        result.flagged += flagged
        current = existing.get(child_id)
        if current is None:
            new.append(
                Rating(
                    round=round_,
                    municipality_id=round_.municipality_id,
                    child_id=child_id,
                    group=group,
                    answers=answers,
                    worry=worry,
                    flagged=flagged,
                    comment=row.comment.strip(),
                    rated_by=user,
                    rated_at=now,
                )  # fmt: skip
            )
            continue
        if current.answers == answers and current.comment == row.comment.strip():
            continue
        before = {"answers": current.answers, "worry": current.worry, "flagged": current.flagged}
        update_versioned(
            current, expected_version=row.version,
            fields={"answers": answers, "worry": worry, "flagged": flagged,
                    "comment": row.comment.strip(), "rated_by": user, "rated_at": now,
                    "group": group},
        )  # fmt: skip
        result.changed += 1
        audit_record(
            actor=user, action="change", obj=current, role=role, request_id=request_id,
            changes={k: [before[k], v] for k, v in
                     (("answers", answers), ("worry", worry), ("flagged", flagged))
                     if before[k] != v},
        )  # fmt: skip
    if new:
        try:
            with transaction.atomic():
                created = Rating.objects.bulk_create(new)
        except IntegrityError as error:
            # Someone rated the same child in the moment between reading and saving.
            raise StaleRowsError(StaleVersionError.message, {}) from error
        result.created = len(created)
        for rating in created:
            audit_record(
                actor=user, action="create", obj=rating, role=role, request_id=request_id,
                changes={"answers": [None, rating.answers], "flagged": [None, rating.flagged]},
            )  # fmt: skip
    if finish:
        finished = RoundGroup.objects.filter(
            round=round_, group=group, finished_at__isnull=True
        ).update(finished_at=now, finished_by=user)
        result.finished = True
        if finished:
            audit_record(
                actor=user, action="change", obj=round_, role=role, request_id=request_id,
                changes={"class_done": [None, group.pk]},
            )  # fmt: skip
    refresh(round_)  # a flag raised or taken back: the round's duty follows
    return result


@transaction.atomic
def rating_save(
    *, user, round_: Round, group: Group, row: RowInput, role: str = "", request_id: str = ""
) -> SaveResult:
    """One child's ratings saved on their own (the child's line of the class sheet, or the
    API): as `ratings_save` for that one row, except that a row left empty, which would save
    nothing, is refused."""
    if not row.all_fine and all(value is None for value in row.answers.values()):
        raise ValidationError(
            _("Answer every item, or tick “No worry on any item I leave unanswered”.")
        )
    return ratings_save(
        user=user, round_=round_, group=group, rows=[row], role=role, request_id=request_id
    )


# --- Ending a flag -----------------------------------------------------------------------------

# Which outcome a linked record goes with.
LINKS = {
    "activity": (Rating.Outcome.WELLBEING_CONVERSATION, Rating.Outcome.GROUP),
    "safety_meeting": (Rating.Outcome.SAFETY_MEETING,),
    "concern": (Rating.Outcome.CONCERN,),
}


def _check_links(user, rating: Rating, outcome: str, links: dict) -> None:
    for name, record in links.items():
        if record is not None and outcome not in LINKS[name]:
            raise ValidationError(
                _("Link a record that fits what follows, or leave the link empty.")
            )
    activity, meeting, concern = links["activity"], links["safety_meeting"], links["concern"]
    institution_id = rating.round.institution_id
    if activity is not None and (
        activity.institution_id != institution_id or not can(user, Action.VIEW_DETAILS, activity)
    ):
        raise ValidationError(_("Link an activity of this institution that you work on."))
    if meeting is not None and (
        meeting.institution_id != institution_id or not can(user, Action.CHANGE, meeting)
    ):
        raise ValidationError(_("Link a Signs of Safety meeting of this institution."))
    if concern is not None and (
        not can(user, Action.VIEW_DECISION, concern)
        or not concern.children.filter(child_id=rating.child_id).exists()
    ):
        raise ValidationError(_("Link a concern about this child that you triage."))


@transaction.atomic
def flag_handle(
    *,
    user,
    rating: Rating,
    outcome: str,
    reason: str = "",
    version: int,
    activity=None,
    safety_meeting=None,
    concern=None,
    role: str = "",
    request_id: str = "",
) -> Rating:
    """End a flag in an action, or in no action for a recorded reason. May be changed later
    (with the version it was read at); the round completes once it is closed and no flag is
    left open."""
    round_ = rating.round
    if not can(user, Action.CHANGE, round_):
        raise PermissionDenied
    if not can(user, Action.VIEW, rating.child):
        raise PermissionDenied
    if not rating.flagged:
        raise ValidationError(_("This child is not flagged."))
    if outcome not in Rating.Outcome.values:
        raise ValidationError(_("Choose what follows the flag."))
    reason = reason.strip()
    if outcome == Rating.Outcome.NONE and not reason:
        raise ValidationError(_("Write why nothing follows the flag."))
    if len(reason) > 500:
        raise ValidationError(_("Keep the reason under 500 characters."))
    links = {"activity": activity, "safety_meeting": safety_meeting, "concern": concern}
    _check_links(user, rating, outcome, links)
    fields = {
        "outcome": outcome,
        "outcome_reason": reason,
        "activity": activity,
        "safety_meeting": safety_meeting,
        "concern": concern,
        "handled_by": user,
        "handled_at": timezone.now(),
    }
    before = {"outcome": rating.outcome, "outcome_reason": rating.outcome_reason}
    update_versioned(rating, expected_version=version, fields=fields)
    changes = {k: [before[k], fields[k]] for k in before if before[k] != fields[k]}
    for name, record in links.items():
        changes[name] = record.pk if record is not None else None
    audit_record(
        actor=user, action="change", obj=rating, role=role, request_id=request_id,
        changes=changes,
    )  # fmt: skip
    round_.refresh_from_db(fields=["status", "version"])
    _complete_if_settled(round_, actor=user, role=role, request_id=request_id)
    refresh(round_)
    return rating
