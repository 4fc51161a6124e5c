"""What concerns ask of people (docs/duties.md): the triagers of the concern's institution
acknowledge it, decide on it and give the reporter the feedback the profile requires, each by
the concern's next deadline (`Concern.next_due_at`, kept by the services); and whoever was
written to in a concern's conversation answers the last message.

Refreshed by `concerns.services._audit`, which every change of a concern passes through."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.policy import Action
from earlyhelp.concerns.access import triagers_for
from earlyhelp.concerns.models import Concern, ConcernChild, ConcernMessage
from earlyhelp.duties.registry import (
    Due,
    Kind,
    Source,
    Target,
    ref,
    register_kind,
    register_source,
    register_target,
)
from earlyhelp.people.models import naming_fields

ACKNOWLEDGE = register_kind(
    Kind("concern_acknowledge", _("Acknowledge the concern"), Action.TRIAGE)
).code
TRIAGE = register_kind(Kind("concern_triage", _("Decide on the concern"), Action.TRIAGE)).code
FEEDBACK = register_kind(
    Kind("concern_feedback", _("Give the reporter feedback on the concern"), Action.VIEW)
).code
ANSWER = register_kind(
    Kind(
        "concern_answer",
        _("Answer the question in the concern's conversation"),
        Action.VIEW,
        anchor="conversation",
    )
).code

BY_STATUS = {
    Concern.Status.SUBMITTED: ACKNOWLEDGE,
    Concern.Status.ACKNOWLEDGED: TRIAGE,
    Concern.Status.TRIAGED: FEEDBACK,
}
# A message waits for its answer from the next day on.
ANSWER_WITHIN = timedelta(days=1)


def _concern_queryset():
    # An item reads the concern's number and names its children: only those columns.
    return Concern.objects.only("pk").prefetch_related(
        Prefetch(
            "children",
            ConcernChild.objects.filter(child__isnull=False)
            .select_related("child__municipality__jurisdiction")
            .only("concern_id", "child_id", *naming_fields("child__")),
        )
    )


register_target(
    Target(
        "concerns.concern",
        queryset=_concern_queryset,
        url=lambda concern: concern.get_absolute_url(),
        people=lambda concern: [link.child for link in concern.children.all()],
        title=lambda concern: _("Concern no. %(number)s") % {"number": concern.pk},
    )
)


class _Triagers:
    """The triagers of each institution, read once per institution."""

    def __init__(self):
        self.by_institution: dict[int, list[int]] = {}

    def __call__(self, institution_id: int) -> list[int]:
        if institution_id not in self.by_institution:
            self.by_institution[institution_id] = list(
                triagers_for(institution_id).values_list("pk", flat=True)
            )
        return self.by_institution[institution_id]


def _deadline_dues(concern, triagers) -> list[Due]:
    kind = BY_STATUS.get(concern.status)
    due = concern.next_due_at
    if kind is None or due is None:
        return []
    return [
        Due(owner, kind, due, ref(concern), ref(concern), concern.municipality_id)
        for owner in triagers(concern.institution_id)
    ]


def _answer_dues(concern, last_author_id, last_at, triagers) -> list[Due]:
    if last_author_id is None or concern.status in (Concern.Status.DRAFT, Concern.Status.CLOSED):
        return []
    if last_author_id == concern.reporter_id:
        owners = [pk for pk in triagers(concern.institution_id) if pk != last_author_id]
    else:
        owners = [concern.reporter_id] if concern.reporter_id else []
    due = last_at + ANSWER_WITHIN
    return [
        Due(owner, ANSWER, due, ref(concern), ref(concern), concern.municipality_id)
        for owner in owners
    ]


def concern_duties(concern: Concern) -> list[Due]:
    # Read again: the services keep `next_due_at` with an UPDATE, not on the object at hand.
    concern = Concern.objects.only(
        "pk", "status", "next_due_at", "institution_id", "municipality_id", "reporter_id"
    ).get(pk=concern.pk)
    if concern.status == Concern.Status.DRAFT:
        return []
    triagers = _Triagers()
    last = concern.messages.order_by("-created_at", "-pk").values("author_id", "created_at").first()
    dues = _deadline_dues(concern, triagers)
    if last:
        dues += _answer_dues(concern, last["author_id"], last["created_at"], triagers)
    return dues


def every_concern_duty():
    triagers = _Triagers()
    open_ones = Concern.objects.filter(status__in=BY_STATUS, next_due_at__isnull=False).only(
        "pk", "status", "next_due_at", "institution_id", "municipality_id"
    )
    for concern in open_ones.iterator(chunk_size=2000):
        yield from _deadline_dues(concern, triagers)
    last = ConcernMessage.objects.filter(concern_id=OuterRef("pk")).order_by("-created_at", "-pk")
    talking = (
        Concern.objects.filter(status__in=BY_STATUS, messages__isnull=False)
        .distinct()
        .annotate(
            last_author=Subquery(last.values("author_id")[:1]),
            last_at=Subquery(last.values("created_at")[:1]),
        )
        .only("pk", "status", "reporter_id", "institution_id", "municipality_id")
    )
    for concern in talking.iterator(chunk_size=2000):
        yield from _answer_dues(concern, concern.last_author, concern.last_at, triagers)


register_source(
    Source(
        "concerns.concern",
        kinds=(ACKNOWLEDGE, TRIAGE, FEEDBACK, ANSWER),
        duties=concern_duties,
        everything=every_concern_duty,
    )
)
