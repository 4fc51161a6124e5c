"""Who may see and work an activity: the social helper delivers it at school A1 and its
supervisor works it too; A1's lead sees it without who took part; a workshop is also seen
(and registered for) by A1's staff. Outside: the same held in municipality B. A sparring
request is asked by A1's educator and answered by A1's social helper."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from earlyhelp.activities.models import (
    Activity,
    ActivityType,
    Participant,
    Session,
    SparringRequest,
)
from earlyhelp.tests.matrix import CW, EDU, HELP, LEAD, SUP, Expect, answers, url
from earlyhelp.tests.personas import World


def make_activity(w: World, inside: bool, code: str = "parent_club") -> Activity:
    users = w.users if inside else w.outsiders
    school = w.school_a1 if inside else w.school_b1
    activity = Activity.objects.create(
        municipality=school.municipality, institution=school,
        type=ActivityType.objects.get(municipality=school.municipality, code=code),
        title="Parent club", lead=users[HELP], created_by=users[HELP],
        starts_on=timezone.localdate() - timedelta(days=7),
    )  # fmt: skip
    Session.objects.create(
        activity=activity, municipality=school.municipality, lead=activity.lead, minutes=60,
        starts_at=timezone.now() - timedelta(days=7),
    )  # fmt: skip
    Participant.objects.create(
        activity=activity, municipality=school.municipality, name="A guest",
        joined_on=activity.starts_on,
    )  # fmt: skip
    return activity


def activity(w: World, inside: bool) -> int:
    return make_activity(w, inside).pk


def workshop(w: World, inside: bool) -> int:
    return make_activity(w, inside, "staff_workshop").pk


def session_url(w: World, inside: bool) -> str:
    made = make_activity(w, inside)
    return reverse("activities:session", args=[made.pk, made.sessions.get().pk])


def participant_url(w: World, inside: bool) -> str:
    made = make_activity(w, inside)
    return reverse("activities:participant", args=[made.pk, made.participants.get().pk])


def sparring(w: World, inside: bool) -> int:
    users = w.users if inside else w.outsiders
    school = w.school_a1 if inside else w.school_b1
    return SparringRequest.objects.create(
        municipality=school.municipality, institution=school, requested_by=users[EDU],
        about=SparringRequest.About.CLASS, topic="The class fights a lot after breaks.",
    ).pk  # fmt: skip


NOT_FOUND = answers(404)
# The activity's details and changes: its lead (the social helper) and the supervisor.
WORKERS = answers(404, **{HELP: 200, SUP: 200, LEAD: 403})
WORKERS_POST = answers(404, **{HELP: 302, SUP: 302, LEAD: 403})
LISTERS = answers(403, **{HELP: 200, CW: 200, SUP: 200, LEAD: 200})
SPARRING_ANSWERERS = answers(404, **{HELP: 302, SUP: 302, EDU: 403})


def _schedule(w, inside):
    later = timezone.localtime() + timedelta(days=2)
    return {"starts_at": later.strftime("%Y-%m-%dT%H:%M"), "minutes": 45, "version": 1}


EXPECTATIONS = {
    "activities:list": Expect(url("activities:list"), LISTERS),
    "activities:new": Expect(url("activities:new"), answers(403, **{HELP: 200, CW: 200, SUP: 200})),
    "activities:week": Expect(url("activities:week"), LISTERS),
    "activities:export": Expect(
        lambda w, i: reverse("activities:export") + "?month=2026-11&format=csv", LISTERS
    ),
    "activities:workshops": Expect(
        url("activities:workshops"), answers(403, **{EDU: 200, LEAD: 200})
    ),
    "activities:detail": Expect(
        url("activities:detail", pk=activity),
        answers(404, **{HELP: 200, SUP: 200, LEAD: 200}),
        NOT_FOUND,
    ),
    "activities:edit": Expect(url("activities:edit", pk=activity), WORKERS, NOT_FOUND),
    "activities:session_add": Expect(
        url("activities:session_add", pk=activity),
        WORKERS_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"day": "2030-01-07", "start": "15:00", "minutes": 60},
    ),
    "activities:session": Expect(session_url, WORKERS, NOT_FOUND),
    "activities:participant_add": Expect(
        url("activities:participant_add", pk=activity),
        WORKERS_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"name": "Another guest", "joined_on": "2026-11-30"},
    ),
    "activities:participant": Expect(
        participant_url,
        WORKERS_POST,
        NOT_FOUND,
        method="post",
        # The form's fields carry the participant's prefix; it is the one the URL just made.
        data=lambda w, i: {f"p{Participant.objects.latest('pk').pk}-version": 1},
    ),
    # A workshop: A1's staff register; the social helper and supervisor see it but do not.
    "activities:register": Expect(
        url("activities:register", pk=workshop),
        answers(404, **{EDU: 302, LEAD: 302, HELP: 403, SUP: 403}),
        NOT_FOUND,
        method="post",
    ),
    "activities:unregister": Expect(
        url("activities:unregister", pk=workshop),
        answers(404, **{EDU: 302, LEAD: 302, HELP: 302, SUP: 302}),
        NOT_FOUND,
        method="post",
    ),
    # Nobody of the matrix registered, so feedback is refused with the reason on the page.
    "activities:feedback": Expect(
        url("activities:feedback", pk=workshop),
        answers(404, **{EDU: 400, LEAD: 400, HELP: 400, SUP: 400}),
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"rating": 4},
    ),
    "activities:sparring_list": Expect(
        url("activities:sparring_list"),
        answers(403, **{EDU: 200, LEAD: 200, HELP: 200, SUP: 200}),
    ),
    "activities:sparring_new": Expect(
        url("activities:sparring_new"), answers(403, **{EDU: 200, LEAD: 200})
    ),
    "activities:sparring": Expect(
        url("activities:sparring", pk=sparring),
        answers(404, **{EDU: 200, HELP: 200, SUP: 200}),
        NOT_FOUND,
    ),
    "activities:sparring_schedule": Expect(
        url("activities:sparring_schedule", pk=sparring),
        SPARRING_ANSWERERS,
        NOT_FOUND,
        method="post",
        data=_schedule,
    ),
    "activities:sparring_decline": Expect(
        url("activities:sparring_decline", pk=sparring),
        SPARRING_ANSWERERS,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"answer": "Please ask the school psychologist.", "version": 1},
    ),
    "activities:sparring_withdraw": Expect(
        url("activities:sparring_withdraw", pk=sparring),
        answers(404, **{EDU: 302, HELP: 403, SUP: 403}),
        NOT_FOUND,
        method="post",
    ),
}
