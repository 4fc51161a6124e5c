"""What screening asks of people (docs/duties.md): a round with flags still open asks the
institution's social helpers and their supervisors (those who end its flags, `triagers_for`:
the same people `helped_institutions` lets end them) to end each flag, by the round's last day.
One duty per round, whatever the number of its open flags; the round's page lists them, open
flags first, naming only the children the reader may see.

A round is the source; it is refreshed by `screening.services` when ratings are saved and when
a flag is ended."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.policy import Action
from earlyhelp.concerns.access import triagers_for
from earlyhelp.duties.registry import (
    Due,
    Kind,
    Source,
    Target,
    at_end_of,
    register_kind,
    register_source,
    register_target,
)
from earlyhelp.screening.models import Rating, Round

FLAGS = register_kind(
    Kind("screening_flags", _("End the open flags of a screening round"), Action.VIEW_DETAILS)
).code

register_target(
    Target(
        "screening.round",
        queryset=lambda: Round.objects.select_related("institution"),
        url=lambda round_: round_.get_absolute_url(),
        title=lambda round_: (
            _("%(round)s, %(institution)s")
            % {"round": round_.title, "institution": round_.institution.name}
        ),
    )
)


def _flagged(rounds):
    open_flag = Rating.objects.filter(round_id=OuterRef("pk"), flagged=True, outcome="")
    return rounds.filter(Exists(open_flag)).values_list(
        "pk", "municipality_id", "institution_id", "closes_on"
    )


def _dues(rows):
    helpers: dict[int, list[int]] = defaultdict(list)
    rows = list(rows)
    institutions = {row[2] for row in rows}
    for institution_id in institutions:
        helpers[institution_id] = list(triagers_for(institution_id).values_list("pk", flat=True))
    return [
        Due(owner, FLAGS, at_end_of(closes_on), (Round, pk), (Round, pk), municipality_id, True)
        for pk, municipality_id, institution_id, closes_on in rows
        for owner in helpers[institution_id]
    ]


def round_duties(round_: Round) -> list[Due]:
    return _dues(_flagged(Round.objects.filter(pk=round_.pk)))


def every_round_duty():
    return _dues(_flagged(Round.objects.all()))


register_source(
    Source("screening.round", kinds=(FLAGS,), duties=round_duties, everything=every_round_duty)
)
