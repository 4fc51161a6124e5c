"""Who may open the programme pages. Each helper keeps its own block below.

Set-up (helper `setup`): a programme of municipality A (no lead) is read by A's manager and
analyst and run by A's manager; the workers who count records for it (social helper, case
worker, supervisor) do not see it as a programme. Outside: the same in municipality B. Action
areas are drawn by A's manager and administrator and read also by its analyst and workers."""

from datetime import date

from django.core.files.base import ContentFile
from django.urls import reverse

from earlyhelp.programmes.models import ActionArea, Document, Partner, Programme
from earlyhelp.tests.matrix import ADM, ANA, CW, HELP, MGR, SUP, Expect, answers, url
from earlyhelp.tests.personas import World

# --- Set-up (helper `setup`) -------------------------------------------------------------------


def make_programme(w: World, inside: bool) -> Programme:
    users = w.users if inside else w.outsiders
    return Programme.objects.create(
        municipality=w.municipality_a if inside else w.municipality_b,
        name="Early help 2030",
        funder="A funder",
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
        created_by=users[MGR],
    )


def programme(w: World, inside: bool) -> int:
    return make_programme(w, inside).pk


def partner_url(action: str):
    def build(w: World, inside: bool) -> str:
        made = make_programme(w, inside)
        item = Partner.objects.create(programme=made, name="A partner", role="cooperating")
        return reverse(f"programmes:{action}", args=[made.pk, "partners", item.pk])

    return build


def document(w: World, inside: bool) -> int:
    made = make_programme(w, inside)
    users = w.users if inside else w.outsiders
    return Document.objects.create(
        programme=made, title="Grant agreement", file=ContentFile(b"%PDF-1.4\n", name="g.pdf"),
        original_name="grant.pdf", content_type="application/pdf", size=9,
        uploaded_by=users[MGR],
    ).pk  # fmt: skip


def area(w: World, inside: bool) -> int:
    return ActionArea.objects.create(
        municipality=w.municipality_a if inside else w.municipality_b, name="Riverside"
    ).pk


def item_new_url(w: World, inside: bool) -> str:
    return reverse("programmes:item_new", args=[programme(w, inside), "partners"])


SETUP_READERS = answers(404, **{MGR: 200, ANA: 200})
SETUP_RUNNERS = answers(404, **{MGR: 200, ANA: 403})
NOT_FOUND = answers(404)

SETUP_EXPECTATIONS = {
    "programmes:list": Expect(url("programmes:list"), answers(403, **{MGR: 200, ANA: 200})),
    "programmes:create": Expect(url("programmes:create"), answers(403, **{MGR: 200})),
    "programmes:edit": Expect(url("programmes:edit", pk=programme), SETUP_RUNNERS, NOT_FOUND),
    "programmes:setup": Expect(url("programmes:setup", pk=programme), SETUP_READERS, NOT_FOUND),
    "programmes:document_add": Expect(
        url("programmes:document_add", pk=programme), SETUP_RUNNERS, NOT_FOUND
    ),
    "programmes:item_new": Expect(item_new_url, SETUP_RUNNERS, NOT_FOUND),
    "programmes:item_edit": Expect(partner_url("item_edit"), SETUP_RUNNERS, NOT_FOUND),
    "programmes:item_remove": Expect(
        partner_url("item_remove"),
        answers(404, **{MGR: 302, ANA: 403}),
        NOT_FOUND,
        method="post",
    ),
    "programmes:document": Expect(
        url("programmes:document", pk=document), SETUP_READERS, NOT_FOUND
    ),
    "programmes:areas": Expect(
        url("programmes:areas"), answers(403, **{ADM: 200, MGR: 200, ANA: 200})
    ),
    "programmes:area_create": Expect(
        url("programmes:area_create"), answers(403, **{ADM: 200, MGR: 200})
    ),
    "programmes:area_edit": Expect(
        url("programmes:area_edit", pk=area),
        answers(404, **{ADM: 200, MGR: 200, ANA: 403, HELP: 403, CW: 403, SUP: 403}),
        NOT_FOUND,
    ),
}

# --- End of set-up -----------------------------------------------------------------------------

EXPECTATIONS = {**SETUP_EXPECTATIONS}
