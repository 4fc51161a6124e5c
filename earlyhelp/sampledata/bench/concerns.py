"""The bench concerns: reports over two years with their children, the decisions and statuses by
age, and the deadlines the protocol gives them."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone, translation

from earlyhelp.concerns.models import Category, Concern, ConcernChild
from earlyhelp.concerns.services import SERIOUS_CATEGORIES
from earlyhelp.organisations.models import (
    Municipality,
    Role,
)
from earlyhelp.protocols.services import deadlines_for, identity_confidential, profile_for
from earlyhelp.sampledata.bench.people import POOL_SIZE, phone_number
from earlyhelp.sampledata.demo.concerns import CONCERN_TEXTS

if TYPE_CHECKING:
    from earlyhelp.sampledata.bench.organisations import Place
    from earlyhelp.sampledata.bench.people import PlaceChildren


HISTORY_DAYS = 730  # concerns were received over the last two years


CATEGORY_WEIGHTS = {
    Category.NEGLECT: 14,
    Category.WELLBEING: 14,
    Category.BEHAVIOUR: 12,
    Category.ABSENCE: 10,
    Category.FAMILY_CONFLICT: 10,
    Category.POVERTY_HOUSING: 8,
    Category.BULLYING: 7,
    Category.EMOTIONAL_HARM: 6,
    Category.HEALTH: 5,
    Category.PHYSICAL_HARM: 4,
    Category.DOMESTIC_VIOLENCE: 3,
    Category.ONLINE_HARM: 3,
    Category.SUBSTANCES: 2,
    Category.SEXUAL_HARM: 1,
    Category.OTHER: 1,
}


DECISION_WEIGHTS = {
    Concern.Decision.ADVICE: 25,
    Concern.Decision.NO_FURTHER_ACTION: 20,
    Concern.Decision.WELLBEING_CONVERSATION: 25,
    Concern.Decision.SIGNS_OF_SAFETY: 10,
    Concern.Decision.CASE: 10,
    Concern.Decision.REFER: 10,
}


# Status by age of the concern: recent ones are still in the queue, old ones decided.
STATUS_BY_AGE = (
    (7, {"submitted": 45, "acknowledged": 30, "triaged": 20, "closed": 5}),
    (60, {"submitted": 8, "acknowledged": 12, "triaged": 50, "closed": 30}),
    (None, {"submitted": 0.5, "acknowledged": 1, "triaged": 23.5, "closed": 75}),
)


class ConcernsSlice:
    """The concerns of a municipality with their children and deadlines."""

    def _write_concerns(
        self, place: Place, children: PlaceChildren, deadlines: DeadlineCache, rng: random.Random
    ) -> int:
        if not children.ids or not place.concerns:
            return 0
        country = place.country
        now = self.now
        tz = timezone.get_default_timezone()
        profile_id = deadlines.profiles[country.code].pk
        confidential_if_serious = deadlines.confidential_if_serious[country.code]
        names = self.names[country.code]
        texts = CONCERN_TEXTS[country.code]  # what happened, the child's words, a reason
        # About one child in twenty gets half of all concerns.
        ids = children.ids
        frequent = rng.sample(range(len(ids)), max(1, len(ids) // 20))
        case_workers = [s.id for s in place.staff.get(Role.CASE_WORKER, [])]
        for index in frequent:
            if rng.random() < 0.2 and case_workers and not children.restricted[index]:
                self.t_team.add(
                    (self.t_team.new_id(), now, now, place.id, ids[index],
                     rng.choice(case_workers), "family case")
                )  # fmt: skip
        place_helpers = [s.id for s in place.staff.get(Role.SOCIAL_HELPER, [])]
        helpers_of = {
            institution.id: [h.id for h in institution.helpers] or place_helpers
            for institution in place.institutions
        }
        categories = list(CATEGORY_WEIGHTS)
        category_weights = list(CATEGORY_WEIGHTS.values())
        decisions = list(DECISION_WEIGHTS)
        decision_weights = list(DECISION_WEIGHTS.values())
        add_concern, new_concern = self.t_concern.add, self.t_concern.new_id
        add_child, new_child = self.t_concern_child.add, self.t_concern_child.new_id
        add_deadline, new_deadline = self.t_deadline.add, self.t_deadline.new_id
        random_ = rng.random
        randint = rng.randint
        history = HISTORY_DAYS * 86400
        for _ in range(place.concerns):
            index = frequent[randint(0, len(frequent) - 1)] if random_() < 0.5 else None
            if index is None:
                index = randint(0, len(ids) - 1)
            child_id = ids[index]
            group = children.group[index]
            institution = group.institution
            helpers = helpers_of[institution.id]
            draw = random_()
            if draw < 0.75 and group.educator is not None:
                reporter = group.educator.id
            elif draw < 0.93 or not institution.helpers:
                reporter = institution.lead.id
            else:
                reporter = helpers[randint(0, len(helpers) - 1)]
            citizen = random_() < 0.02
            danger = random_() < 0.03
            chosen = sorted(set(rng.choices(categories, category_weights, k=randint(1, 3))))
            serious = danger or bool(SERIOUS_CATEGORIES.intersection(chosen))
            feedback = random_() < 0.8
            parents_know = rng.choices(("yes", "no", "unsure"), (50, 30, 20))[0]
            if random_() < 0.01 and not citizen:
                status, received = Concern.Status.DRAFT, None
                created = now - timedelta(seconds=randint(60, 14 * 86400))
            else:
                received = now - timedelta(seconds=randint(3600, history))
                created = received
                age = (now - received).days
                weights = next(w for limit, w in STATUS_BY_AGE if limit is None or age < limit)
                status = rng.choices(list(weights), list(weights.values()))[0]
            decided = status in (Concern.Status.TRIAGED, Concern.Status.CLOSED)
            decided_at = acknowledged_at = None
            decision = ""
            if received is not None and status != Concern.Status.SUBMITTED:
                acknowledged_at = min(
                    received + timedelta(minutes=randint(20, 48 * 60)), now - timedelta(minutes=1)
                )
            if decided:
                decided_at = min(
                    acknowledged_at + timedelta(minutes=randint(30, 7 * 24 * 60)),
                    now - timedelta(minutes=1),
                )
                decision = (
                    Concern.Decision.ESCALATE
                    if danger and random_() < 0.7
                    else rng.choices(decisions, decision_weights)[0]
                )
            concern_id = new_concern()
            add_concern(
                (
                    concern_id, created, decided_at or acknowledged_at or created, 1, place.id,
                    institution.id, None if citizen else reporter,
                    "citizen" if citizen else "professional", "written",
                    helpers[randint(0, len(helpers) - 1)] if citizen else None,
                    f"{names.female[randint(0, POOL_SIZE - 1)]} "
                    f"{names.surname_female[randint(0, POOL_SIZE - 1)]}" if citizen else "",
                    phone_number(country.code, rng) if citizen else "",
                    confidential_if_serious and serious and received is not None, "", status,
                    profile_id if received is not None else None, received, danger, texts[0],
                    texts[1], json.dumps(chosen), "", parents_know,
                    texts[2] if parents_know == "no" else "", feedback, decision,
                    texts[2] if decided else "",
                    helpers[randint(0, len(helpers) - 1)] if decided else None, decided_at, "",
                )
            )  # fmt: skip
            add_child((new_child(), concern_id, child_id, "", ConcernChild.Role.HARMED))
            extra = rng.choices((0, 1, 2), (70, 22, 8))[0]
            if extra:
                others = [c for c in children.family[child_id] if c != child_id]
                roles = [ConcernChild.Role.SIBLING] * len(others)
                classmates = children.by_group[group.id]
                for _ in range(extra - len(others)):
                    mate = classmates[randint(0, len(classmates) - 1)]
                    if mate != child_id and mate not in others:
                        others.append(mate)
                        roles.append(
                            ConcernChild.Role.WITNESS
                            if random_() < 0.6
                            else ConcernChild.Role.OTHER
                        )
                for other, role in list(zip(others, roles, strict=True))[:extra]:
                    add_child((new_child(), concern_id, other, "", role))
            if received is None:
                continue
            kind = "citizen" if citizen else "professional"
            day = received.astimezone(tz).date()
            for code, label, basis, due in deadlines.due(country.code, day, kind, danger, feedback):
                due_at = received + due if isinstance(due, timedelta) else due
                if decided:
                    met = acknowledged_at if code.startswith("acknowledg") else decided_at
                elif acknowledged_at is not None and code.startswith("acknowledg"):
                    met = acknowledged_at
                else:
                    met = None
                if met is not None and code.startswith("feedback") and random_() < 0.1:
                    met = None  # feedback still owed on a few decided concerns
                add_deadline((new_deadline(), concern_id, code, label, basis, due_at, met))
        return place.concerns


class DeadlineCache:
    """Deadlines as `deadlines_for` computes them, computed once per country, day of receipt,
    kind of reporter and flags. An hours deadline is kept as its offset from the time of
    receipt, a days deadline as the moment it falls (the end of a day, whatever the hour).

    Bench municipalities have no closing days and no municipal settings, so their deadlines
    are those of their country's profile with its defaults: computing them without a
    municipality gives the same result without two queries per call."""

    def __init__(self, places: list[Place]) -> None:
        self.profiles = {}
        self.municipalities = {}
        self.confidential_if_serious = {}
        for place in places:
            code = place.country.code
            if code not in self.profiles:
                municipality = Municipality.objects.select_related("jurisdiction").get(pk=place.id)
                profile = profile_for(municipality)
                self.profiles[code] = profile
                self.municipalities[code] = None if profile.key == code else municipality
                self.confidential_if_serious[code] = identity_confidential(
                    profile, serious_neglect_or_abuse=True
                )
        self.cache: dict[tuple, list[tuple[str, str, str, timedelta | datetime]]] = {}
        self.tz = timezone.get_default_timezone()

    def due(
        self, country: str, day: date, kind: str, danger: bool, feedback: bool
    ) -> list[tuple[str, str, str, timedelta | datetime]]:
        key = (country, day, kind, danger, feedback)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._compute(*key)
        return found

    def _compute(self, country, day, kind, danger, feedback):
        early = timezone.make_aware(datetime(day.year, day.month, day.day, 0, 30), self.tz)
        late = timezone.make_aware(datetime(day.year, day.month, day.day, 12, 30), self.tz)
        with translation.override(settings.LANGUAGE_CODE):
            at_early, at_late = (
                deadlines_for(
                    profile=self.profiles[country],
                    municipality=self.municipalities[country],
                    received_at=moment,
                    reporter_kind=kind,
                    immediate_danger=danger,
                    reporter_requested_feedback=feedback,
                )
                for moment in (early, late)
            )
            at_late = {deadline.code: deadline for deadline in at_late}
            rows = []
            for first in at_early:
                # An hours deadline moves with the hour of receipt; a days deadline does not.
                moves = at_late[first.code].due_at != first.due_at
                rows.append(
                    (
                        first.code,
                        str(first.label),
                        str(first.basis),
                        first.due_at - early if moves else first.due_at,
                    )
                )
        return rows
