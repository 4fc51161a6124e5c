"""Who may see and work an assisted-contact arrangement: the case worker of service A is its
worker, the service's supervisor works it too (and reviews its reports); nobody else sees it.
Outside: the same arrangement in municipality B's service. The contact pages are for case
workers and supervisors."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from earlyhelp.contacts.models import Arrangement, Meeting, Report, Room
from earlyhelp.organisations.models import Service
from earlyhelp.tests.matrix import CW, SUP, Expect, admin_model, answers, url
from earlyhelp.tests.personas import World


def make_arrangement(w: World, inside: bool) -> Arrangement:
    users = w.users if inside else w.outsiders
    service = w.service_a if inside else Service.objects.get(municipality=w.municipality_b)
    child = w.inside if inside else w.abroad
    parent = w.parent_inside if inside else w.parent_abroad
    arrangement = Arrangement.objects.create(
        municipality=child.municipality, service=service, child=child, visitor=parent,
        basis=Arrangement.Basis.AGREEMENT, lead=users[CW], created_by=users[CW],
        starts_on=timezone.localdate() - timedelta(days=30),
    )  # fmt: skip
    start = timezone.now() - timedelta(days=2)
    Meeting.objects.create(
        arrangement=arrangement, municipality=child.municipality, child=child, lead=users[CW],
        starts_at=start, ends_at=start + timedelta(hours=1), stage=arrangement.stage,
    )  # fmt: skip
    Report.objects.create(
        arrangement=arrangement, municipality=child.municipality, recipient="court",
        period_from=arrangement.starts_on, period_to=timezone.localdate(),
        summary="Contacts take place.", written_by=users[CW],
    )  # fmt: skip
    return arrangement


def arrangement(w: World, inside: bool) -> int:
    return make_arrangement(w, inside).pk


def _meeting(name: str):
    def build(w: World, inside: bool) -> str:
        made = make_arrangement(w, inside)
        return reverse(name, args=[made.pk, made.meetings.get().pk])

    return build


def _report(name: str):
    def build(w: World, inside: bool) -> str:
        made = make_arrangement(w, inside)
        return reverse(name, args=[made.pk, made.reports.get().pk])

    return build


def room(w: World, inside: bool) -> Room:
    service = w.service_a if inside else Service.objects.get(municipality=w.municipality_b)
    return Room.objects.create(municipality=service.municipality, service=service, name="Room 1")


NOT_FOUND = answers(404)
CONTACT_ROLES = answers(403, **{CW: 200, SUP: 200})
WORKERS = answers(404, **{CW: 200, SUP: 200})
WORKERS_POST = answers(404, **{CW: 302, SUP: 302})


EXPECTATIONS = {
    "contacts:list": Expect(url("contacts:list"), CONTACT_ROLES),
    "contacts:new": Expect(url("contacts:new"), CONTACT_ROLES),
    "contacts:calendar": Expect(url("contacts:calendar"), CONTACT_ROLES),
    "contacts:detail": Expect(url("contacts:detail", pk=arrangement), WORKERS, NOT_FOUND),
    "contacts:edit": Expect(url("contacts:edit", pk=arrangement), WORKERS, NOT_FOUND),
    "contacts:stage": Expect(
        url("contacts:stage", pk=arrangement),
        WORKERS_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"stage": "handover", "on": "2026-11-30", "version": 1},
    ),
    "contacts:plan": Expect(url("contacts:plan", pk=arrangement), WORKERS, NOT_FOUND),
    "contacts:shift": Expect(
        url("contacts:shift", pk=arrangement),
        WORKERS_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"from_day": "2026-11-30", "days": 0, "minutes": 30},
    ),
    "contacts:meeting": Expect(_meeting("contacts:meeting"), WORKERS, NOT_FOUND),
    "contacts:meeting_cancel": Expect(
        _meeting("contacts:meeting_cancel"),
        WORKERS_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"status": "no_show", "caused_by": "visitor", "version": 1},
    ),
    "contacts:report_new": Expect(url("contacts:report_new", pk=arrangement), WORKERS, NOT_FOUND),
    "contacts:report": Expect(_report("contacts:report"), WORKERS, NOT_FOUND),
    # Only the writer (the case worker) changes a report and sends it for review.
    "contacts:report_submit": Expect(
        _report("contacts:report_submit"),
        answers(404, **{CW: 302, SUP: 403}),
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"version": 1},
    ),  # fmt: skip
    # The writer (the case worker) never reviews their own report.
    "contacts:report_review": Expect(
        _report("contacts:report_review"),
        answers(404, **{CW: 403, SUP: 302}),
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"decision": "return", "note": "Add the incidents.", "version": 1},
    ),
    "contacts:report_pdf": Expect(_report("contacts:report_pdf"), WORKERS, NOT_FOUND),
    **admin_model("contacts_room", room),
}
