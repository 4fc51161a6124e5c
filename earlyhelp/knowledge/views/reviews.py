"""The pages of a screening of promising interventions: the list of reviews, a review's page
(question, criteria, candidates, the rating matrix, its phases, the recommendation and the
prototype), and the forms that set it up, rate a candidate, recommend, make the prototype and
close it. Every review comes through the policy (404 outside its readers, 403 for a step the
user may not take); a review holds no personal data, so reading one is not audited, while
every change is (in knowledge/reviews.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible, visible_of
from earlyhelp.access.shortcuts import audit_context, get_object_or_deny
from earlyhelp.core.forms import acted, saved
from earlyhelp.knowledge import reviews as services
from earlyhelp.knowledge.access.reviews import review_municipalities
from earlyhelp.knowledge.forms_reviews import (
    CandidateForm,
    CriterionForm,
    PrototypeForm,
    RatingForm,
    RecommendationForm,
    ReviewForm,
    StepForm,
)
from earlyhelp.knowledge.models import RATING_SCALE, Candidate, Criterion, Method, Rating, Review

PHASES = [phase for phase in Review.Phase if phase != Review.Phase.CLOSED]


def _review(request, pk: int, action: str = Action.VIEW) -> Review:
    return get_object_or_deny(
        request, Review.objects.select_related("municipality", "owner", "prototype"), action,
        pk=pk,
    )  # fmt: skip


def _criteria(request, review: Review):
    return visible_of(request.user, review, Criterion.objects.order_by("position", "pk"))


def _candidates(request, review: Review):
    return visible_of(
        request.user, review, Candidate.objects.select_related("method").order_by("position", "pk")
    )


@login_required
def reviews(request):
    if not can(request.user, Action.LIST, Review):
        raise PermissionDenied
    shown = (
        visible(request.user, Review.objects.select_related("municipality", "owner", "prototype"))
        .annotate(
            candidate_count=Count("candidates", distinct=True),
            criterion_count=Count("criteria", distinct=True),
        )
        .order_by("-created_at")[:500]
    )
    return render(
        request,
        "knowledge/reviews_list.html",
        {"reviews": shown, "can_create": can(request.user, Action.CREATE, Review)},
    )


@login_required
def review_create(request):
    if not can(request.user, Action.CREATE, Review):
        raise PermissionDenied
    municipalities = review_municipalities(request.user)
    first = municipalities.first()
    staff = services.review_staff(list(municipalities.values_list("pk", flat=True)))
    form = ReviewForm(
        request.POST or None,
        municipalities=municipalities,
        staff=staff.exclude(pk=request.user.pk),
        initial={"municipality": first.pk if first else None},
    )
    made = {}

    def save(data):
        made["review"] = services.review_create(
            user=request.user, municipality=data["municipality"], data=data,
            members=list(data["members"]), **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The review was started. Now add its criteria and candidates."))
        return redirect("knowledge:review", pk=made["review"].pk)
    return render(
        request,
        "knowledge/reviews_form.html",
        {"form": form, "several": municipalities.count() > 1},
    )


@login_required
def review_edit(request, pk: int):
    review = _review(request, pk, Action.CHANGE)
    initial = {name: getattr(review, name) for name in services.REVIEW_FIELDS}
    initial["members"] = list(review.members.all())
    form = ReviewForm(
        request.POST or None,
        staff=services.review_staff([review.municipality_id]).exclude(pk=review.owner_id),
        initial={**initial, "version": review.version},
    )

    def save(data):
        services.review_update(
            user=request.user, review=review, data=data, members=list(data["members"]),
            version=data.get("version") or 0, **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect("knowledge:review", pk=review.pk)
    return render(request, "knowledge/reviews_form.html", {"form": form, "review": review})


def _phases(review: Review) -> list[dict]:
    """The phases in order, each done, current or to come (a closed review shows where it
    stopped)."""
    reached = PHASES.index(review.phase) if review.phase in PHASES else None
    if reached is None:
        reached = (
            PHASES.index(Review.Phase.PROTOTYPE)
            if review.prototype_id
            else PHASES.index(Review.Phase.RECOMMENDED)
            if review.recommended_at
            else -1
        )
    return [
        {
            "label": phase.label,
            "state": "done"
            if index < reached or (index == reached and review.phase == Review.Phase.CLOSED)
            else "current"
            if index == reached
            else "later",
        }
        for index, phase in enumerate(PHASES)
    ]


def _page(request, review: Review, recommendation_form: RecommendationForm | None = None):
    criteria = list(_criteria(request, review))
    candidates = list(_candidates(request, review))
    ratings = list(
        visible_of(request.user, review, Rating.objects.select_related("rated_by")).order_by(
            "criterion__position", "rated_by__last_name", "pk"
        )
    )
    may_change = can(request.user, Action.CHANGE, review)
    may_rate = review.phase == Review.Phase.RATING and can(request.user, Action.RECORD, review)
    if (
        recommendation_form is None
        and may_change
        and review.phase in services.RECOMMENDABLE
        and candidates
    ):
        recommendation_form = RecommendationForm(
            candidates=_candidates(request, review),
            initial={
                "recommendation": review.recommendation,
                "chosen": [c for c in candidates if c.chosen],
                "version": review.version,
            },
        )
    prototype = None
    if review.prototype_id is not None:
        prototype = visible(request.user, Method.objects.filter(pk=review.prototype_id)).first()
    return render(
        request,
        "knowledge/reviews_review.html",
        {
            "review": review,
            "members": list(review.members.order_by("last_name", "first_name", "username")),
            "criteria": criteria,
            "candidates": candidates,
            "matrix": services.review_matrix(review, criteria, candidates, ratings),
            "rated_by_me": {r.candidate_id for r in ratings if r.rated_by_id == request.user.pk},
            "phases": _phases(review),
            "scale": RATING_SCALE,
            "may_change": may_change,
            "may_rate": may_rate,
            "may_close": review.phase != Review.Phase.CLOSED
            and can(request.user, Action.CLOSE, review),
            "editable": review.phase in services.EDITABLE,
            "is_open": review.phase == Review.Phase.OPEN,
            "may_make_prototype": may_change
            and review.phase == Review.Phase.RECOMMENDED
            and review.prototype_id is None,
            "recommendation_form": recommendation_form,
            "prototype": prototype,
        },
    )


@login_required
def review(request, pk: int):
    return _page(request, _review(request, pk))


@login_required
def review_criterion_new(request, pk: int):
    review = _review(request, pk, Action.CHANGE)
    form = CriterionForm(request.POST or None)

    def save(data):
        services.criterion_add(
            user=request.user, review=review, data=data, **audit_context(request)
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The criterion was added."))
        if "another" in request.POST:
            return redirect("knowledge:review_criterion_new", pk=review.pk)
        return redirect("knowledge:review", pk=review.pk)
    return render(
        request,
        "knowledge/reviews_part_form.html",
        {"form": form, "review": review, "title": _("Add a criterion")},
    )


@login_required
def review_candidate_new(request, pk: int):
    review = _review(request, pk, Action.CHANGE)
    methods = visible(
        request.user,
        Method.objects.filter(
            municipality_id=review.municipality_id, kind=Method.Kind.INTERVENTION
        ).order_by("name"),
    )
    form = CandidateForm(request.POST or None, methods=methods)

    def save(data):
        services.candidate_add(
            user=request.user, review=review, data=data, **audit_context(request)
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The candidate was added."))
        if "another" in request.POST:
            return redirect("knowledge:review_candidate_new", pk=review.pk)
        return redirect("knowledge:review", pk=review.pk)
    return render(
        request,
        "knowledge/reviews_part_form.html",
        {"form": form, "review": review, "title": _("Add a candidate intervention")},
    )


@login_required
@require_POST
def review_rating_open(request, pk: int):
    review = _review(request, pk, Action.CHANGE)

    def act(data):
        services.rating_open(
            user=request.user, review=review, version=data["version"], **audit_context(request)
        )

    acted(request, StepForm(request.POST), act, _("The rating is open."))
    return redirect("knowledge:review", pk=review.pk)


@login_required
@require_POST
def review_close(request, pk: int):
    review = _review(request, pk, Action.CLOSE)

    def act(data):
        services.review_close(
            user=request.user, review=review, version=data["version"], **audit_context(request)
        )

    acted(request, StepForm(request.POST), act, _("The review was closed."))
    return redirect("knowledge:review", pk=review.pk)


@login_required
def review_rate(request, pk: int, candidate_pk: int):
    review = _review(request, pk, Action.RECORD)
    candidate = _candidates(request, review).filter(pk=candidate_pk).first()
    if candidate is None:
        raise Http404
    criteria = list(_criteria(request, review))
    mine = {
        rating.criterion_id: rating
        for rating in visible_of(request.user, review, Rating.objects.all()).filter(
            candidate=candidate, rated_by=request.user
        )
    }
    initial = {}
    for criterion_id, rating in mine.items():
        initial[f"score_{criterion_id}"] = str(rating.score)
        initial[f"sources_{criterion_id}"] = rating.sources
        initial[f"experiences_{criterion_id}"] = rating.experiences
        initial[f"version_{criterion_id}"] = rating.version
    form = RatingForm(request.POST or None, criteria=criteria, initial=initial)
    is_rating = review.phase == Review.Phase.RATING

    def save(data):
        services.ratings_save(
            user=request.user, candidate=candidate, entries=form.entries(),
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Your ratings of %(name)s were saved.") % {"name": candidate})
        following = _candidates(request, review).filter(position__gt=candidate.position).first()
        if following is not None and "next" in request.POST:
            return redirect("knowledge:review_rate", pk=review.pk, candidate_pk=following.pk)
        return redirect("knowledge:review", pk=review.pk)
    return render(
        request,
        "knowledge/reviews_rate.html",
        {
            "form": form,
            "review": review,
            "candidate": candidate,
            "is_rating": is_rating,
            "has_next": _candidates(request, review)
            .filter(position__gt=candidate.position)
            .exists(),
        },
    )


@login_required
@require_POST
def review_recommend(request, pk: int):
    review = _review(request, pk, Action.CHANGE)
    form = RecommendationForm(request.POST, candidates=_candidates(request, review))

    def save(data):
        services.review_recommend(
            user=request.user, review=review, recommendation=data["recommendation"],
            chosen=list(data["chosen"]), version=data.get("version") or 0,
            **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("The recommendation was saved."))
        return redirect("knowledge:review", pk=review.pk)
    return _page(request, review, recommendation_form=form)


def _prototype_initial(review: Review, candidates) -> dict:
    chosen = [c for c in candidates if c.chosen]
    mechanism = "\n".join(
        f"{c.name}: {' '.join(c.description.split())}" if c.description else c.name for c in chosen
    )
    return {
        "name": review.title[:150],
        "description": review.recommendation,
        "mechanism": _("Built on:") + "\n" + mechanism if mechanism else "",
        "target_group": review.target_group,
        "setting": Method.Setting.ANY,
        "version": review.version,
    }


@login_required
def review_prototype(request, pk: int):
    review = _review(request, pk, Action.CHANGE)
    candidates = list(_candidates(request, review))
    form = PrototypeForm(request.POST or None, initial=_prototype_initial(review, candidates))
    ready = review.phase == Review.Phase.RECOMMENDED and review.prototype_id is None

    def save(data):
        services.prototype_make(
            user=request.user, review=review, data=data, version=data.get("version") or 0,
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(
            request, _("The prototype was added to the catalogue at stage “Prototype”.")
        )
        return redirect("knowledge:review", pk=review.pk)
    return render(
        request,
        "knowledge/reviews_prototype.html",
        {
            "form": form,
            "review": review,
            "ready": ready,
            "sources": services.prototype_sources(review),
        },
    )
