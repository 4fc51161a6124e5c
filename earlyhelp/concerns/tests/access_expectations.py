"""Who may open each concern page: a concern reported by the educator of class 1.a in school
A1 (inside) or by the educator of school B1 (outside)."""

from django.urls import reverse
from django.utils import timezone

from earlyhelp.concerns.models import Concern
from earlyhelp.tests.matrix import EDU, HELP, LEAD, SUP, Expect, answers, url
from earlyhelp.tests.personas import World

REPORTERS = {EDU: 200, LEAD: 200, HELP: 200}


def concern(w: World, inside: bool, status: str = Concern.Status.SUBMITTED) -> int:
    reporter = (w.users if inside else w.outsiders)[EDU]
    school = w.school_a1 if inside else w.school_b1
    child = w.inside if inside else w.abroad
    created = Concern.objects.create(
        municipality=school.municipality,
        institution=school,
        reporter=reporter,
        status=status,
        received_at=None if status == Concern.Status.DRAFT else timezone.now(),
        what_happened="Came to school hungry three days this week.",
        categories=["neglect"],
        parents_know="no",
        parents_not_told_why="Not reachable.",
    )
    created.children.create(child=child, role="harmed")
    return created.pk


def oral(w: World, inside: bool) -> int:
    pk = concern(w, inside)
    Concern.objects.filter(pk=pk).update(channel=Concern.Channel.ORAL, immediate_danger=True)
    return pk


def draft(w: World, inside: bool) -> int:
    return concern(w, inside, Concern.Status.DRAFT)


def attachment(w, inside: bool) -> dict:
    from django.core.files.base import ContentFile

    concern_pk = concern(w, inside)
    created = Concern.objects.get(pk=concern_pk).attachments.create(
        file=ContentFile(b"%PDF-1.4 test", name="note.pdf"),
        original_name="note.pdf",
        content_type="application/pdf",
        size=13,
        uploaded_by=(w.users if inside else w.outsiders)[EDU],
    )
    return reverse("concerns:attachment", args=[concern_pk, created.pk])


def _match_url(w: World, inside: bool) -> str:
    concern_pk = concern(w, inside)
    link = Concern.objects.get(pk=concern_pk).children.create(
        described_as="Her brother, 3.b", role="sibling"
    )
    return reverse("concerns:match_child", args=[concern_pk, link.pk])


TRIAGE_POST = answers(404, **{EDU: 403, LEAD: 403, HELP: 302, SUP: 302})

EXPECTATIONS = {
    "concerns:report": Expect(url("concerns:report"), answers(403, **REPORTERS)),
    "concerns:mine": Expect(url("concerns:mine"), answers(403, **REPORTERS)),
    "concerns:record": Expect(url("concerns:record"), answers(403, **{HELP: 200, SUP: 200})),
    "concerns:follow_up": Expect(
        url("concerns:follow_up", pk=oral),
        answers(404, **{EDU: 302, LEAD: 403, HELP: 403, SUP: 403}),
        answers(404),
    ),
    "concerns:confidential": Expect(
        url("concerns:confidential", pk=concern),
        TRIAGE_POST,
        answers(404),
        method="post",
        data=lambda w, i: {"version": 1},
    ),
    "concerns:queue": Expect(url("concerns:queue"), answers(403, **{HELP: 200, SUP: 200})),
    "concerns:institution": Expect(url("concerns:institution"), answers(403, **{LEAD: 200})),
    "concerns:dashboard": Expect(
        url("concerns:dashboard"),
        answers(403, **{LEAD: 200, HELP: 200, SUP: 200, "manager": 200, "analyst": 200}),
    ),
    "concerns:detail": Expect(
        url("concerns:detail", pk=concern),
        answers(404, **{EDU: 200, LEAD: 200, HELP: 200, SUP: 200}),
        answers(404),
    ),
    "concerns:edit": Expect(
        url("concerns:edit", pk=draft),
        # A draft is its reporter's alone: everyone else is outside its scope.
        answers(404, **{EDU: 200}),
        answers(404),
    ),
    "concerns:sent": Expect(
        url("concerns:sent", pk=concern),
        answers(404, **{EDU: 200, LEAD: 403, HELP: 403, SUP: 403}),
        answers(404),
    ),
    "concerns:acknowledge": Expect(
        url("concerns:acknowledge", pk=concern),
        TRIAGE_POST,
        answers(404),
        method="post",
        data=lambda w, i: {"version": 1},
    ),
    "concerns:decide": Expect(
        url("concerns:decide", pk=concern),
        TRIAGE_POST,
        answers(404),
        method="post",
        data=lambda w, i: {"decision": "advice", "reason": "Talk with the family.", "version": 1},
    ),
    "concerns:attachment": Expect(
        attachment, answers(404, **{EDU: 200, LEAD: 403, HELP: 200, SUP: 200}), answers(404)
    ),
    "concerns:official_form": Expect(
        url("concerns:official_form", pk=concern),
        answers(404, **{EDU: 200, LEAD: 403, HELP: 200, SUP: 200}),
        answers(404),
    ),
    "concerns:match_child": Expect(
        lambda w, i: _match_url(w, i),
        TRIAGE_POST,
        answers(404),
        method="post",
        data=lambda w, i: {"child": (w.inside if i else w.abroad).pk},
    ),
    "concerns:close": Expect(
        url("concerns:close", pk=lambda w, i: concern(w, i, Concern.Status.TRIAGED)),
        TRIAGE_POST,
        answers(404),
        method="post",
        data=lambda w, i: {"version": 1},
    ),
    "concerns:message": Expect(
        url("concerns:message", pk=concern),
        answers(404, **{EDU: 302, LEAD: 403, HELP: 302, SUP: 302}),
        answers(404),
        method="post",
        data=lambda w, i: {"body": "Could you tell me more about Monday?"},
    ),
}
