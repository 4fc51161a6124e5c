"""The demo's Signs of Safety meeting held without a case, in the words of the case texts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from earlyhelp.organisations.models import (
    Role,
)
from earlyhelp.sampledata.demo.cases import CASE_TEXTS
from earlyhelp.sampledata.demo.concerns import CONCERN_TEXTS

if TYPE_CHECKING:
    from earlyhelp.sampledata.demo.organisations import Place


def _safety_meeting(place: Place, municipality, school, users) -> None:
    """A Signs of Safety meeting the social helper held with the school's staff."""
    from earlyhelp.safety.models import SafetyMeeting

    if SafetyMeeting.objects.filter(institution=school).exists():
        return
    texts = CASE_TEXTS[place.country]
    SafetyMeeting.objects.create(
        municipality=municipality, institution=school, facilitator=users[Role.SOCIAL_HELPER],
        held_on=date.today() - timedelta(days=9), topic=CONCERN_TEXTS[place.country][0][:300],
        participants="—", worried=texts["family"][1], working=texts["session"][1],
        needs=texts["steps"][1], scale=6, next_steps=texts["steps"][0],
    )  # fmt: skip
