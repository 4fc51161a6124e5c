"""No English left on a page read in Hungarian, Czech or Danish.

A representative set of pages (a concern, the queue, the figures, a child's record, a case, the
administration's list of protocols, the break-glass page, the official PDF and a chronology) is
rendered for generated data in each language, and the
visible text (what is between tags, and what a screen reader reads in alt, title, aria-label
and placeholder) must hold none of the catalogue's English source strings: every msgid of at
least three words whose translation is not the same text. A msgid with placeholders is checked
by its longest run of words between them. What the test typed (names, the report) is taken out
first, and words the translation keeps as they are (proper nouns: "Signs of Safety", "Barnets
Lov") are never looked for.
"""

from __future__ import annotations

import functools
import gettext
import html
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from earlyhelp.cases import services as cases
from earlyhelp.cases.models import Case
from earlyhelp.concerns import services as concerns
from earlyhelp.concerns.models import Concern
from earlyhelp.organisations.models import Role
from earlyhelp.protocols.models import Profile
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db

LANGUAGES = ("hu", "cs", "da")
LOCALE = Path(__file__).resolve().parent.parent / "locale"

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{.*?\}\}|<[^>]+>")
SCRIPT = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S | re.I)
# A profile's rules as the administration shows them: JSON, data in the language of the rules.
JSON = re.compile(r'<div class="readonly">\s*\{.*?</div>', re.S)
READ_ALOUD = re.compile(r"""\s(?:alt|title|aria-label|placeholder)="([^"]*)\"""")
TAG = re.compile(r"<[^>]+>")
OTHER_DATES = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{4}\b")  # 06.12.2026, 06/12/2026

# What the test typed: user data, never looked at.
TYPED = (
    "Came to school hungry three days this week.",
    "I could not reach them.",
    "Kovács family",
    "Three concerns about neglect since September.",
)


def _words(text: str) -> str:
    return " ".join(text.split())


@functools.cache
def english_phrases(language: str) -> frozenset[str]:
    """The English phrases of the catalogue that must not be left on a page in `language`."""
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog
    phrases = set()
    for key, translated in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or (isinstance(key, tuple) and key[1] != 0):
            continue
        msgid = msgid.split("\x04")[-1]  # the text without its context
        if msgid == translated:
            continue
        runs = [_words(run) for run in PLACEHOLDER.split(msgid)]
        run = max(runs, key=lambda r: len(r.split()))
        # A run the translation keeps word for word is a proper noun, not English left over.
        run = run.strip(" .,:;!?()[]–-")
        if len(re.findall(r"\w+", run)) >= 3 and run not in _words(translated):
            phrases.add(run)
    return frozenset(phrases)


def visible_text(page: str) -> str:
    """The text a reader sees or hears: between the tags, and in alt, title, aria-label and
    placeholder; without scripts, styles and drawings; with the typed user data taken out."""
    page = JSON.sub(" ", SCRIPT.sub(" ", page))
    read_aloud = " ".join(READ_ALOUD.findall(page))
    text = _words(html.unescape(TAG.sub(" ", page) + " " + read_aloud))
    for typed in TYPED:
        text = text.replace(typed, " ")
    return text


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(_words(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages)


def english_left(page: str, language: str) -> list[str]:
    text = visible_text(page)
    return sorted(
        phrase
        for phrase in english_phrases(language)
        if phrase in text and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)
    )


def test_the_check_finds_english_and_leaves_proper_nouns_alone():
    phrases = english_phrases("hu")
    assert "Open a child's record in an emergency" in phrases
    assert "Signs of Safety" not in phrases
    page = (
        "<p>Adatlap</p><p>Open a child's record in an emergency</p><script>Open the record</script>"
    )
    assert english_left(page, "hu") == ["Open a child's record in an emergency"]


@pytest.fixture
def pages(world, signed_in):
    """url name -> (the client of a reader, the address), for a Hungarian municipality with a
    concern received under the shipped profile, its case, and a superuser of the admin."""
    helper = world.users[Role.SOCIAL_HELPER]
    concern = Concern.objects.create(
        municipality=world.municipality_a,
        institution=world.school_a1,
        reporter=world.users[Role.EDUCATOR],
        what_happened=TYPED[0],
        categories=["neglect"],
        parents_know=Concern.ParentsKnow.NO,
        parents_not_told_why=TYPED[1],
        feedback_requested=True,
        immediate_danger=True,
    )
    concern.children.create(child=world.inside, role="harmed")
    concerns.concern_submit(user=concern.reporter, concern=concern, version=concern.version)
    concern.refresh_from_db()
    case = cases.case_open(
        user=helper,
        service=world.service_a,
        title=TYPED[2],
        kind=Case.Kind.FAMILY,
        reason=TYPED[3],
        children=[world.inside],
    )
    root = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    f.TOTPDeviceFactory(user=root)
    assert Profile.objects.filter(key="HU").exists()
    return {
        "concern": (helper, reverse("concerns:detail", args=[concern.pk])),
        "queue": (helper, reverse("concerns:queue")),
        "figures": (world.users[Role.SUPERVISOR], reverse("concerns:dashboard")),
        "child": (
            world.users[Role.CASE_WORKER],
            reverse("people:child_detail", args=[world.inside.pk]),
        ),
        "case": (helper, reverse("cases:detail", args=[case.pk])),
        "protocols": (root, reverse("admin:protocols_profile_changelist")),
        "profile": (root, reverse("admin:protocols_profile_change", args=[concern.profile_id])),
        "admin": (root, reverse("admin:index")),
        "break-glass": (world.users[Role.MANAGER], reverse("access:break_glass")),
        # PDFs: the Hungarian signal form (always in Hungarian), the case's chronology.
        "signal form": (helper, reverse("concerns:official_form", args=[concern.pk])),
        "chronology": (helper, reverse("cases:chronology_pdf", args=[case.pk])),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_is_left_on_the_pages(pages, signed_in, language):
    left = {}
    for name, (user, address) in pages.items():
        client = signed_in(user)
        # The locale middleware activates the request's language and leaves it active: keep
        # it inside an override so that the tests after this one read English again.
        with translation.override(language):
            response = client.get(address, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, (name, response.status_code)
        if response["Content-Type"] == "application/pdf":
            text = pdf_text(response.getvalue())
            # Dates as the PDF's language writes them: never 06.12.2026 in Hungarian.
            hungarian = language == "hu" or name == "signal form"
            assert not hungarian or not OTHER_DATES.search(text), (name, text)
            found = english_left(text, "hu" if name == "signal form" else language)
        else:
            found = english_left(response.content.decode(), language)
        if found:
            left[name] = found
    assert left == {}
