"""Running a screening of promising interventions (seed 003), through its phases:

- **setting up** (`open`): the lead writes the question, names the review group, adds the
  criteria with their weights and the candidate interventions;
- **rating**: the lead opens the rating; each rater rates each candidate against each
  criterion on the scale 0–3 (`RATING_SCALE`), with the sources and experiences behind it.
  Candidates may still be added (one found late is still worth a look); criteria are fixed, so
  that every candidate is judged by the same ones;
- **recommended**: the lead writes the recommendation and chooses the candidates it builds on;
  it may be rewritten until the prototype is made. From now on everyone of the municipality
  reads the review;
- **prototype made**: the lead makes the prototype, a new catalogue entry at stage
  "prototype" whose description is the recommendation and whose sources are the review's
  (at most one per review);
- **closed**: the lead closes the review, from any phase; nothing changes after that.

Every change is checked against the policy, done in one transaction and audited; a change of
the review itself or of a rating is refused when someone saved it since it was loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.audit.services import audit_record, field_changes
from earlyhelp.core.versioning import StaleVersionError, proposed, update_versioned
from earlyhelp.knowledge.access.reviews import review_municipalities
from earlyhelp.knowledge.catalogue import method_create
from earlyhelp.knowledge.models import (
    TOP_SCORE,
    Candidate,
    Criterion,
    Method,
    Rating,
    Review,
)
from earlyhelp.organisations.access import workers
from earlyhelp.organisations.models import Role

REVIEW_FIELDS = ("title", "question", "target_group", "background")
CRITERION_FIELDS = ("name", "description", "weight")
CANDIDATE_FIELDS = ("name", "description", "source")
PROTOTYPE_FIELDS = (
    "name",
    "description",
    "mechanism",
    "target_group",
    "age_from",
    "age_to",
    "setting",
)
# The phases in which each step may be taken.
EDITABLE = (Review.Phase.OPEN, Review.Phase.RATING)
RECOMMENDABLE = (Review.Phase.RATING, Review.Phase.RECOMMENDED)


def review_staff(municipality_ids):
    """The people who may be named to the review group of a review in these municipalities:
    everyone who holds a role there today."""
    return workers(Role.values, municipalities=municipality_ids)


def _require(user, action: str, review: Review) -> None:
    if not can(user, action, review):
        raise PermissionDenied


def _in_phase(review: Review, phases, message: str) -> None:
    if review.phase not in phases:
        raise ValidationError(message)


def _text(data: dict, names) -> dict:
    return {name: "" if data.get(name) is None else data.get(name) for name in names}


def _audit(user, action: str, obj, changes: dict, role: str, request_id: str) -> None:
    audit_record(
        actor=user, action=action, obj=obj, role=role, request_id=request_id, changes=changes
    )


def _check_members(members, municipality_id: int) -> list[int]:
    ids = sorted({member.pk for member in members})
    if len(ids) != review_staff([municipality_id]).filter(pk__in=ids).count():
        raise ValidationError(_("Choose the review group from the staff of the municipality."))
    return ids


# --- The review ------------------------------------------------------------------------------


@transaction.atomic
def review_create(
    *, user, municipality, data: dict, members=(), role: str = "", request_id: str = ""
) -> Review:
    """Start a review in a municipality where the user may; they lead it."""
    if not review_municipalities(user).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    fields = _text(data, REVIEW_FIELDS)
    review = Review(municipality=municipality, owner=user, **fields)
    review.full_clean(exclude=["prototype", "recommended_by"])
    member_ids = _check_members(members, municipality.pk)
    review.save()
    review.members.set(member_ids)
    _audit(user, "create", review, {**fields, "members": member_ids}, role, request_id)
    return review


@transaction.atomic
def review_update(
    *, user, review: Review, data: dict, members, version: int, role: str = "", request_id=""
) -> Review:
    """Change the question and the review group, until the recommendation is written."""
    _require(user, Action.CHANGE, review)
    _in_phase(review, EDITABLE, _("A recommended or closed review keeps its question."))
    fields = _text(data, REVIEW_FIELDS)
    before = {name: getattr(review, name) for name in fields}
    before["members"] = sorted(review.members.values_list("pk", flat=True))
    proposed(review, fields).full_clean(exclude=["prototype", "recommended_by", "owner"])
    member_ids = _check_members(members, review.municipality_id)
    update_versioned(review, expected_version=version, fields=fields)
    review.members.set(member_ids)
    changes = field_changes(before, {**fields, "members": member_ids})
    _audit(user, "change", review, changes, role, request_id)
    return review


def _move(user, review: Review, version: int, fields: dict, role: str, request_id: str) -> None:
    before = {name: str(getattr(review, name)) for name in fields}
    update_versioned(review, expected_version=version, fields=fields)
    after = {name: str(value) for name, value in fields.items()}
    _audit(user, "change", review, field_changes(before, after), role, request_id)


@transaction.atomic
def rating_open(*, user, review: Review, version: int, role: str = "", request_id="") -> Review:
    """Move from setting up to rating: there must be a criterion and a candidate to rate."""
    _require(user, Action.CHANGE, review)
    _in_phase(review, (Review.Phase.OPEN,), _("The rating is already open."))
    if not review.criteria.exists() or not review.candidates.exists():
        raise ValidationError(_("Add at least one criterion and one candidate first."))
    _move(user, review, version, {"phase": Review.Phase.RATING}, role, request_id)
    return review


@transaction.atomic
def review_close(*, user, review: Review, version: int, role: str = "", request_id="") -> Review:
    """Close the review, from any phase; nothing changes after that."""
    _require(user, Action.CLOSE, review)
    _in_phase(review, [p for p in Review.Phase if p != Review.Phase.CLOSED], _("Already closed."))
    fields = {"phase": Review.Phase.CLOSED, "closed_at": timezone.now()}
    _move(user, review, version, fields, role, request_id)
    return review


# --- Criteria and candidates -----------------------------------------------------------------


def _next_position(rows) -> int:
    return (rows.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def criterion_add(
    *, user, review: Review, data: dict, role: str = "", request_id: str = ""
) -> Criterion:
    """Add a criterion, while the review is being set up."""
    _require(user, Action.CHANGE, review)
    _in_phase(review, (Review.Phase.OPEN,), _("Criteria are fixed once the rating is open."))
    fields = _text(data, ("name", "description")) | {"weight": data.get("weight") or 1}
    criterion = Criterion(review=review, position=_next_position(review.criteria), **fields)
    criterion.full_clean()
    criterion.save()
    _audit(user, "create", criterion, {**fields}, role, request_id)
    return criterion


@transaction.atomic
def candidate_add(
    *, user, review: Review, data: dict, role: str = "", request_id: str = ""
) -> Candidate:
    """Add a candidate intervention: an entry of the municipality's catalogue the user sees
    (its name, description and sources taken where none are typed), or one described here."""
    _require(user, Action.CHANGE, review)
    _in_phase(review, EDITABLE, _("Candidates are added until the recommendation is written."))
    fields = _text(data, CANDIDATE_FIELDS)
    method = data.get("method")
    if method is not None:
        seen = visible(user, Method.objects.filter(municipality_id=review.municipality_id))
        if not seen.filter(pk=method.pk).exists():
            raise ValidationError(_("Choose an entry of the municipality's catalogue."))
        fields["name"] = fields["name"] or method.name
        fields["description"] = fields["description"] or method.description
        fields["source"] = fields["source"] or method.sources
    if not fields["name"]:
        raise ValidationError(_("Name the intervention or choose it from the catalogue."))
    if review.candidates.filter(name=fields["name"]).exists():
        raise ValidationError(_("The review already examines an intervention of this name."))
    candidate = Candidate(
        review=review, method=method, position=_next_position(review.candidates), **fields
    )
    candidate.full_clean()
    candidate.save()
    _audit(
        user, "create", candidate, {**fields, "method": method.pk if method else None}, role,
        request_id,
    )  # fmt: skip
    return candidate


# --- Ratings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What a rater says of one candidate against one criterion: a score (None: no rating),
    the sources and experiences behind it, and the version of their rating they saw."""

    criterion: Criterion
    score: int | None
    sources: str = ""
    experiences: str = ""
    version: int | None = None


@transaction.atomic
def ratings_save(
    *, user, candidate: Candidate, entries: list[Entry], role: str = "", request_id: str = ""
) -> list[Rating]:
    """Save the user's own ratings of a candidate, one per criterion: a new one, a change
    (refused when stale) or, with no score, taking their rating back."""
    review = candidate.review
    _require(user, Action.RECORD, review)
    _in_phase(review, (Review.Phase.RATING,), _("Ratings are given while the rating is open."))
    mine = {
        rating.criterion_id: rating
        for rating in Rating.objects.filter(candidate=candidate, rated_by=user)
    }
    saved = []
    for entry in entries:
        if entry.criterion.review_id != review.pk:
            raise PermissionDenied
        if entry.score is not None and not 0 <= entry.score <= TOP_SCORE:
            raise ValidationError(_("A score is from 0 to 3."))
        fields = {
            "score": entry.score,
            "sources": entry.sources or "",
            "experiences": entry.experiences or "",
        }
        rating = mine.get(entry.criterion.pk)
        if rating is None:
            if entry.score is None:
                continue
            rating = Rating(
                review=review, candidate=candidate, criterion=entry.criterion, rated_by=user,
                **fields,
            )  # fmt: skip
            rating.full_clean()
            rating.save()
            _audit(user, "create", rating, fields, role, request_id)
        elif entry.score is None:
            if entry.version != rating.version:
                raise StaleVersionError(StaleVersionError.message)
            _audit(user, "delete", rating, {"score": [rating.score, None]}, role, request_id)
            rating.delete()
            continue
        else:
            before = {name: getattr(rating, name) for name in fields}
            if before == fields:
                saved.append(rating)
                continue
            proposed(rating, fields).full_clean()
            update_versioned(rating, expected_version=entry.version or 0, fields=fields)
            _audit(user, "change", rating, field_changes(before, fields), role, request_id)
        saved.append(rating)
    return saved


# --- Recommendation and prototype ------------------------------------------------------------


@transaction.atomic
def review_recommend(
    *,
    user,
    review: Review,
    recommendation: str,
    chosen,
    version: int,
    role: str = "",
    request_id: str = "",
) -> Review:
    """Write (or rewrite, until the prototype is made) the recommendation and choose the
    candidates it builds on; the review is then recommended and read by the municipality."""
    _require(user, Action.CHANGE, review)
    _in_phase(review, RECOMMENDABLE, _("The recommendation follows the rating."))
    recommendation = (recommendation or "").strip()
    if not recommendation:
        raise ValidationError(_("Write the recommendation."))
    chosen_ids = sorted({candidate.pk for candidate in chosen})
    if not chosen_ids:
        raise ValidationError(_("Choose at least one candidate the recommendation builds on."))
    if review.candidates.filter(pk__in=chosen_ids).count() != len(chosen_ids):
        raise PermissionDenied
    before = {
        "recommendation": review.recommendation,
        "chosen": sorted(review.candidates.filter(chosen=True).values_list("pk", flat=True)),
        "phase": str(review.phase),
    }
    fields = {
        "recommendation": recommendation,
        "phase": Review.Phase.RECOMMENDED,
        "recommended_at": review.recommended_at or timezone.now(),
        "recommended_by": user,
    }
    update_versioned(review, expected_version=version, fields=fields)
    review.candidates.update(chosen=False)
    review.candidates.filter(pk__in=chosen_ids).update(chosen=True)
    after = {"recommendation": recommendation, "chosen": chosen_ids, "phase": str(review.phase)}
    _audit(user, "change", review, field_changes(before, after), role, request_id)
    return review


def prototype_sources(review: Review) -> str:
    """The sources of the prototype: the review itself, then each chosen candidate's source
    and the sources its ratings cite, each line once."""
    lines = [_("Screening of promising interventions: %(title)s") % {"title": review.title}]
    chosen = review.candidates.filter(chosen=True).order_by("position", "pk")
    for candidate in chosen:
        if candidate.source.strip():
            lines.append(f"{candidate.name}: {' '.join(candidate.source.split())}")
    cited = (
        Rating.objects.filter(candidate__in=chosen)
        .exclude(sources="")
        .order_by("candidate__position", "criterion__position", "pk")
        .values_list("sources", flat=True)
    )
    for text in cited:
        lines.extend(line.strip() for line in text.splitlines() if line.strip())
    return "\n".join(dict.fromkeys(lines))


@transaction.atomic
def prototype_make(
    *, user, review: Review, data: dict, version: int, role: str = "", request_id: str = ""
) -> Method:
    """Make the review's prototype: a new entry of the municipality's catalogue at stage
    "prototype", described by the recommendation (unless another description is given),
    with the review's sources, its lead and the maker responsible for it. A review has at
    most one prototype."""
    _require(user, Action.CHANGE, review)
    if review.prototype_id is not None:
        raise ValidationError(_("This review's prototype is already made."))
    _in_phase(review, (Review.Phase.RECOMMENDED,), _("The prototype follows the recommendation."))
    fields = {name: data.get(name) for name in PROTOTYPE_FIELDS}
    for name in ("name", "description", "mechanism", "target_group"):
        fields[name] = (fields[name] or "").strip()
    fields["description"] = fields["description"] or review.recommendation
    fields["setting"] = fields["setting"] or Method.Setting.ANY
    method = method_create(
        user=user,
        municipality=review.municipality,
        data={
            **fields,
            "kind": Method.Kind.INTERVENTION,
            "stage": Method.Stage.PROTOTYPE,
            "sources": prototype_sources(review),
        },
        responsible=sorted({review.owner_id, user.pk}),
        note=_("Prototype of the review “%(title)s”") % {"title": review.title},
        role=role,
        request_id=request_id,
    )
    fields = {"prototype": method, "phase": Review.Phase.PROTOTYPE}
    update_versioned(review, expected_version=version, fields=fields)
    changes = {"prototype": [None, method.pk], "phase": [Review.Phase.RECOMMENDED, review.phase]}
    _audit(user, "change", review, changes, role, request_id)
    return method


# --- The matrix ------------------------------------------------------------------------------


@dataclass
class Cell:
    criterion: Criterion
    ratings: list[Rating] = field(default_factory=list)

    @property
    def mean(self) -> Decimal | None:
        if not self.ratings:
            return None
        total = Decimal(sum(rating.score for rating in self.ratings))
        return (total / len(self.ratings)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    candidate: Candidate
    cells: list[Cell]
    top: int

    @property
    def total(self) -> Decimal:
        """The weighted sum of the mean scores of the criteria rated so far."""
        return sum(
            (cell.mean * cell.criterion.weight for cell in self.cells if cell.mean is not None),
            Decimal(0),
        )

    @property
    def share(self) -> int:
        """The weighted total as a share of the most it could be, in per cent."""
        return round(self.total * 100 / self.top) if self.top else 0

    @property
    def unrated(self) -> int:
        return sum(1 for cell in self.cells if not cell.ratings)


def review_matrix(review: Review, criteria, candidates, ratings) -> list[Row]:
    """The rating matrix: a row per candidate, a cell per criterion holding its ratings and
    their mean, and the weighted total against the most it could be (every criterion at 3)."""
    criteria = list(criteria)
    top = sum(criterion.weight for criterion in criteria) * TOP_SCORE
    by_cell: dict[tuple[int, int], list[Rating]] = {}
    for rating in ratings:
        by_cell.setdefault((rating.candidate_id, rating.criterion_id), []).append(rating)
    return [
        Row(
            candidate=candidate,
            cells=[
                Cell(criterion, by_cell.get((candidate.pk, criterion.pk), []))
                for criterion in criteria
            ],
            top=top,
        )
        for candidate in candidates
    ]
