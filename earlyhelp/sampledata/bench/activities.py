"""The bench activities: years of the social helpers' and case workers' groups, series and
sessions, with participants and attendance."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import TYPE_CHECKING

from django.utils import timezone

from earlyhelp.activities.models import (
    Activity,
    Session,
)
from earlyhelp.organisations.models import (
    Role,
)

if TYPE_CHECKING:
    from earlyhelp.sampledata.bench import Generator
    from earlyhelp.sampledata.bench.organisations import Place


HISTORY_YEARS = 8  # at most, before the current school year


# Weeks without school (month, day) to (month, day) of their Monday: autumn, Christmas,
# winter and spring breaks. Meetings run in the other weeks from September to mid-June.
BREAKS = (((10, 26), (11, 1)), ((12, 20), (12, 31)), ((1, 1), (1, 3)), ((2, 16), (2, 22)),
          ((4, 6), (4, 12)))  # fmt: skip


CLASS_PROGRAMMES = ("crime_prevention", "mental_health_group")


ADULT_CLUBS = ("parent_club", "baby_mama_club", "household_club", "job_readiness")


CHILD_SERIES = ("individual_session", "mentoring", "wellbeing_conversation")


ADULT_SERIES = ("help_with_authorities", "mediation")


TITLES = {
    "crime_prevention": "Crime prevention with {group}",
    "mental_health_group": "Feelings and friendships, {group}",
    "catch_up_tutoring": "Catch-up tutoring, {group}",
    "parent_club": "Parent club",
    "baby_mama_club": "Baby-mama club",
    "household_club": "Household and debt club",
    "job_readiness": "Job readiness for parents",
    "individual_session": "Individual sessions",
    "mentoring": "Mentoring",
    "wellbeing_conversation": "Wellbeing conversations",
    "help_with_authorities": "Help with the authorities",
    "mediation": "Family mediation",
    "health_day": "Health and sport day",
    "community_development": "Neighbourhood afternoon",
    "staff_workshop": "Workshop: talking with parents about worries",
    "staff_sparring": "Sparring about a worry",
    "round_table": "Round table with the school's team",
    "meeting_facilitation": "Facilitating the class team's meeting",
}


LEFT_REASONS = ("Moved away", "Lost interest", "Goal reached early", "Timetable clash")


ON_THE_DAY = ("Grandmother", "Neighbour", "Older brother", "Aunt", "Family friend")


def school_weeks(year_start: date) -> list[date]:
    """The Mondays of a school year's weeks with meetings (September to mid-June, no breaks)."""
    monday = year_start + timedelta(days=(7 - year_start.weekday()) % 7)
    last = date(year_start.year + 1, 6, 15)
    weeks = []
    while monday <= last:
        day = (monday.month, monday.day)
        if not any(start <= day <= end for start, end in BREAKS):
            weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


@dataclass(eq=False)
class InstitutionPeople:
    """Who may take part in an institution's activities."""

    id: int
    groups: list[tuple[str, list[int]]]  # (class name, children)
    children: list[int]
    consented: list[int]
    parents: list[int]
    staff: list[int]


class Budget:
    """Participations still to write; unlimited while the current school year is written."""

    def __init__(self, left: int) -> None:
        self.left = left
        self.limited = False
        self.written = 0

    @property
    def spent(self) -> bool:
        return self.limited and self.left <= 0

    def take(self) -> bool:
        if self.limited and self.left <= 0:
            return False
        self.left -= 1
        self.written += 1
        return True


class ActivityWriter:
    """The activities of one municipality (see the comment above)."""

    def __init__(self, generator: Generator, place: Place, children, rng: random.Random):
        self.g = generator
        self.place = place
        self.rng = rng
        self.now = generator.now
        self.today = generator.today
        self.tz = timezone.get_default_timezone()
        self.types = place.activity_types
        self.budget = Budget(place.participations)
        self.people: dict[int, InstitutionPeople] = {}
        family, parents_of = children.family, children.parents
        for institution in place.institutions:
            groups, kids, parents, staff = [], [], [], {institution.lead.id}
            for group in institution.groups:
                members = children.by_group.get(group.id, [])
                groups.append((group.name, members))
                kids.extend(members)
                if group.educator is not None:
                    staff.add(group.educator.id)
            for kid in kids[::2]:
                parents.extend(parents_of.get(family.get(kid, (kid,))[0], ()))
            self.people[institution.id] = InstitutionPeople(
                id=institution.id,
                groups=[g for g in groups if g[1]],
                children=kids,
                consented=[k for k in kids if k in children.consented],
                parents=sorted(set(parents)),
                staff=sorted(staff),
            )

    def write(self) -> None:
        place = self.place
        helpers = place.staff.get(Role.SOCIAL_HELPER, [])
        served: dict[int, list[InstitutionPeople]] = {h.id: [] for h in helpers}
        for institution in place.institutions:
            for helper in institution.helpers:
                if self.people[institution.id].children:
                    served[helper.id].append(self.people[institution.id])
        with_children = [p for p in self.people.values() if p.children]
        if not with_children:
            return
        case_workers = place.staff.get(Role.CASE_WORKER, [])[::3]
        deliverers = [(h.id, served[h.id] or with_children[:1], False) for h in helpers]
        deliverers += [
            (w.id, self.rng.sample(with_children, min(2, len(with_children))), True)
            for w in case_workers
        ]
        helper_ids = [h.id for h in helpers]
        start = self.g.school_year_start
        for years_back in range(HISTORY_YEARS + 1):
            if years_back:
                self.budget.limited = True
                if self.budget.spent:
                    break
            year_start = date(start.year - years_back, 9, 1)
            weeks = school_weeks(year_start)
            for lead, institutions, case_worker in deliverers:
                if self.budget.spent:
                    break
                if case_worker:
                    self._case_worker_year(lead, institutions, weeks)
                else:
                    self._helper_year(lead, institutions, weeks, helper_ids)

    # --- One deliverer's school year -------------------------------------------------------

    def _slots(self) -> list[tuple[int, int]]:
        """Weekday and hour of the weekly meetings, shuffled (Monday to Friday, 8 to 15)."""
        slots = [(day, hour) for day in range(5) for hour in range(8, 16)]
        self.rng.shuffle(slots)
        return slots

    def _helper_year(self, lead, institutions, weeks, helper_ids) -> None:
        rng = self.rng
        randint = rng.randint
        slots = self._slots()
        schools = [p for p in institutions if p.groups]
        for _ in range(randint(3, 5)):  # whole-class programmes
            if not schools or self.budget.spent:
                break
            people = rng.choice(schools)
            name, members = rng.choice(people.groups)
            code = rng.choice(CLASS_PROGRAMMES)
            self._series(lead, people, code, weeks, slots.pop(), 45,
                         [("child", c) for c in members], group_name=name,
                         fortnightly=rng.random() < 0.2, co_workers=helper_ids)  # fmt: skip
        for _ in range(randint(1, 2)):  # catch-up tutoring in a small group
            if not schools or self.budget.spent:
                break
            people = rng.choice(schools)
            name, members = rng.choice(people.groups)
            chosen = rng.sample(members, min(len(members), randint(5, 10)))
            self._series(lead, people, "catch_up_tutoring", weeks, slots.pop(), 60,
                         [("child", c) for c in chosen], group_name=name)  # fmt: skip
        for _ in range(randint(1, 2)):  # clubs for parents
            people = rng.choice(institutions)
            if not people.parents or self.budget.spent:
                break
            chosen = rng.sample(people.parents, min(len(people.parents), randint(6, 12)))
            self._series(lead, people, rng.choice(ADULT_CLUBS), weeks, slots.pop(), 90,
                         [("adult", a) for a in chosen], co_workers=helper_ids)  # fmt: skip
        for _ in range(randint(5, 12)):  # individual work, one person after another
            if self.budget.spent:
                break
            self._individual_stream(lead, institutions, weeks, slots.pop())
        for n in range(0, len(weeks), 4):  # a community event about once a month
            if self.budget.spent:
                break
            self._event(lead, rng.choice(institutions), weeks[n] + timedelta(days=randint(0, 5)))
        for n in range(randint(0, 5), len(weeks), 6):  # staff: a workshop every six weeks
            if self.budget.spent:
                break
            people = rng.choice(institutions)
            day = weeks[n] + timedelta(days=randint(0, 4))
            self._staff_once(lead, people, "staff_workshop", day, randint(6, 16), 120)
        for n in range(randint(0, 1), len(weeks), 2):  # sparring every other week
            if self.budget.spent:
                break
            people = rng.choice(institutions)
            day = weeks[n] + timedelta(days=randint(0, 4))
            code = "staff_sparring" if rng.random() < 0.8 else "meeting_facilitation"
            self._staff_once(lead, people, code, day, 1 if code == "staff_sparring" else 5, 45)
        for n in range(randint(0, 7), len(weeks), 8):
            if self.budget.spent:
                break
            people = rng.choice(institutions)
            day = weeks[n] + timedelta(days=randint(0, 4))
            self._staff_once(lead, people, "round_table", day, randint(4, 10), 90)

    def _case_worker_year(self, lead, institutions, weeks) -> None:
        rng = self.rng
        slots = self._slots()
        people = rng.choice(institutions)
        if people.parents:
            chosen = rng.sample(people.parents, min(len(people.parents), rng.randint(5, 10)))
            self._series(lead, people, "parent_club", weeks, slots.pop(), 90,
                         [("adult", a) for a in chosen])  # fmt: skip
        for _ in range(rng.randint(2, 4)):
            if self.budget.spent:
                break
            self._individual_stream(lead, institutions, weeks, slots.pop(), adults=0.6)

    # --- Writing activities, sessions, participants and attendance --------------------------

    def _activity(self, lead, people, code, title, recurrence, first, last, slot, minutes,
                  *, capacity=None, co_workers=()) -> int:  # fmt: skip
        rng = self.rng
        activity_id = self.g.t_activity.new_id()
        status = Activity.Status.ENDED if last < self.today else Activity.Status.ACTIVE
        start_time = None if slot is None else dt_time(slot[1], rng.choice((0, 0, 15, 30)))
        theme = rng.choice(("early_intervention", "parent_cooperation", "child_perspective", ""))
        self.g.t_activity.add(
            (activity_id, self.now, self.now, 1, self.place.id, people.id, self.types[code],
             title, "", lead, recurrence, first, last, start_time, minutes, "", theme, capacity,
             status, None, None, None, lead)
        )  # fmt: skip
        if co_workers and rng.random() < 0.1:
            other = co_workers[rng.randint(0, len(co_workers) - 1)]
            if other != lead:
                self.g.t_activity_worker.add(
                    (self.g.t_activity_worker.new_id(), activity_id, other)
                )
        return activity_id

    def _participant(self, activity_id, kind, person, joined, left=None, *, name="",
                     outcome="", rating=None) -> int:  # fmt: skip
        participant_id = self.g.t_participant.new_id()
        child = person if kind == "child" else None
        adult = person if kind == "adult" else None
        staff = person if kind == "staff" else None
        target = "action_area" if self.rng.random() < 0.75 else "elsewhere"
        self.g.t_participant.add(
            (participant_id, self.now, self.now, activity_id, self.place.id, child, adult, staff,
             name, target, joined, left, self.rng.choice(LEFT_REASONS) if left else "", outcome,
             "", rating, "")
        )  # fmt: skip
        return participant_id

    def _session(self, activity_id, lead, day: date, at: tuple[int, int], minutes: int,
                 members: Sequence[tuple[int, date, date | None]], present: float,
                 head_count: int | None = None) -> None:  # fmt: skip
        rng = self.rng
        starts = datetime(day.year, day.month, day.day, at[0], at[1], tzinfo=self.tz)
        held = starts < self.now and rng.random() >= 0.06
        if starts >= self.now:
            status = Session.Status.PLANNED
        else:
            status = Session.Status.HELD if held else Session.Status.CANCELLED
        session_id = self.g.t_session.new_id()
        self.g.t_session.add(
            (session_id, self.now, self.now, 1, activity_id, self.place.id, lead, starts,
             minutes, "", status, "", head_count if held else None,
             lead if starts < self.now else None)
        )  # fmt: skip
        if not held:
            return
        add, new = self.g.t_attendance.add, self.g.t_attendance.new_id
        random_, take = rng.random, self.budget.take
        absent = present + (1 - present) * 0.65
        for participant_id, joined, left in members:
            if joined > day or (left is not None and day >= left):
                continue
            if not take():
                return
            draw = random_()
            status = "present" if draw < present else ("absent" if draw < absent else "excused")
            add((new(), session_id, participant_id, status))

    def _series(self, lead, people, code, weeks, slot, minutes, who, *, group_name="",
                fortnightly=False, co_workers=()) -> None:  # fmt: skip
        """A group meeting each week (or each second week) of the school year, its members
        joining in the first weeks, a few leaving during the year."""
        rng = self.rng
        step = 2 if fortnightly else 1
        start = rng.randint(0, 2)
        days = [w + timedelta(days=slot[0]) for w in weeks[start::step]]
        if not days or not who:
            return
        title = TITLES[code].format(group=group_name)
        recurrence = Activity.Recurrence.FORTNIGHTLY if fortnightly else Activity.Recurrence.WEEKLY
        activity_id = self._activity(lead, people, code, title, recurrence, days[0], days[-1],
                                     slot, minutes, capacity=len(who) + 2,
                                     co_workers=co_workers)  # fmt: skip
        members = []
        for kind, person in who:
            joined = days[min(len(days) - 1, rng.choice((0, 0, 0, 1, 2, 4)))]
            left = None
            if rng.random() < 0.12 and len(days) > 6:
                # Never before they joined (the database refuses it).
                left = days[rng.randint(max(3, days.index(joined)), len(days) - 1)]
            outcome = "" if days[-1] >= self.today else rng.choice(("achieved", "partly", ""))
            participant_id = self._participant(activity_id, kind, person, joined, left,
                                               outcome=outcome)  # fmt: skip
            members.append((participant_id, joined, left))
        at = (slot[1], 0)
        for day in days:
            self._session(activity_id, lead, day, at, minutes, members, 0.82)
            if self.budget.spent:
                return

    def _individual_stream(self, lead, institutions, weeks, slot, adults=0.25) -> None:
        """One weekly time for individual work: a person meets the worker four to ten times,
        then the next one takes the time."""
        rng = self.rng
        n = rng.randint(0, 1)
        while n < len(weeks) and not self.budget.spent:
            people = rng.choice(institutions)
            length = rng.randint(4, 10)
            days = [w + timedelta(days=slot[0]) for w in weeks[n : n + length]]
            n += length
            if rng.random() < adults and people.parents:
                kind, person = "adult", rng.choice(people.parents)
                code = rng.choice(ADULT_SERIES)
            else:
                code = rng.choice(CHILD_SERIES)
                pool = people.consented if code == "wellbeing_conversation" else people.children
                if not pool:
                    code, pool = "mentoring", people.children
                kind, person = "child", rng.choice(pool)
            recurrence = Activity.Recurrence.WEEKLY if rng.random() < 0.7 else "custom"
            activity_id = self._activity(lead, people, code, TITLES[code], recurrence, days[0],
                                         days[-1], slot, 50)  # fmt: skip
            done = days[-1] < self.today
            outcome = rng.choice(("achieved", "achieved", "partly", "not_achieved")) if done else ""
            participant_id = self._participant(activity_id, kind, person, days[0], outcome=outcome)
            members = [(participant_id, days[0], None)]
            for day in days:
                self._session(activity_id, lead, day, (slot[1], 0), 50, members, 0.88)
                if self.budget.spent:
                    return

    def _event(self, lead, people, day: date) -> None:
        """A community event: the people whose names were taken, and a head count."""
        rng = self.rng
        code = "health_day" if rng.random() < 0.5 else "community_development"
        at = (10, 0) if day.weekday() == 5 else (14, 0)
        activity_id = self._activity(lead, people, code, TITLES[code], "once", day, day,
                                     at, 180)  # fmt: skip
        if day >= self.today:
            self._session(activity_id, lead, day, at, 180, [], 1.0)
            return
        members = []
        kids = rng.sample(people.children, min(len(people.children), rng.randint(10, 30)))
        adults = rng.sample(people.parents, min(len(people.parents), rng.randint(3, 12)))
        for kind, chosen in (("child", kids), ("adult", adults)):
            for person in chosen:
                members.append((self._participant(activity_id, kind, person, day), day, None))
        for name in rng.sample(ON_THE_DAY, rng.randint(0, 3)):
            members.append((self._participant(activity_id, "", None, day, name=name), day, None))
        self._session(activity_id, lead, day, at, 180, members, 1.0, rng.randint(20, 150))

    def _staff_once(self, lead, people, code, day: date, count: int, minutes: int) -> None:
        """A meeting with staff of the institution: a workshop they registered for (with
        their feedback), sparring with one of them, a round table."""
        rng = self.rng
        if not people.staff:
            return
        at = (rng.randint(13, 15), 0)
        workshop = code == "staff_workshop"
        activity_id = self._activity(lead, people, code, TITLES[code], "once", day, day, at,
                                     minutes, capacity=20 if workshop else None)  # fmt: skip
        registered = day - timedelta(days=14) if workshop else day
        members = []
        for person in rng.sample(people.staff, min(len(people.staff), count)):
            rating = (
                rng.randint(3, 5) if workshop and day < self.today and rng.random() < 0.6 else None
            )
            participant_id = self._participant(activity_id, "staff", person, registered,
                                               rating=rating)  # fmt: skip
            members.append((participant_id, registered, None))
        self._session(activity_id, lead, day, at, minutes, members, 0.9)


def _write_activities_of(generator: Generator, place: Place, children, rng: random.Random) -> None:
    if not place.activity_types or not children.ids:
        return
    ActivityWriter(generator, place, children, rng).write()
