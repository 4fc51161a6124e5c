"""The official form of a concern as a PDF: the HU jelzőlap (Gyvt. 17. §), the CZ oznámení
OSPOD (§ 10(4) zákona 359/1999 Sb.), the DK underretning (Barnets Lov), and a generic form.

The layout is earlyhelp's own; the fields are those each country expects. A country's form is
written in the country's language, since it goes to that country's authority whoever prints it;
the generic form is in the reader's language. Drawn with fpdf2 and the DejaVu fonts vendored in
`fonts/` (README.md there), so no system library is needed and diacritics (ő ű, ř ě ů, ø å æ)
come out right.

Whoever may read the report may print it; a child's date of birth, national identifier and
parents are printed only where the reader may also read that child's full record.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop, pgettext
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from earlyhelp.access.policy import Action, visible
from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.selectors import concern_children
from earlyhelp.organisations.models import Membership
from earlyhelp.people.models import Adult, Child, Relationship
from earlyhelp.protocols.selectors import authority_name

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"

TICKED, UNTICKED = "\u2612", "\u2610"  # ☒ ☐
EMPTY = "\u2014"  # —
OMITTED = "[\u2026]"  # […], as for words left out of a quotation

LINE = 5.5  # mm, the height of a line of body text
LABEL_WIDTH = 55  # mm, the label column of a two-column row

CONFIDENTIAL = gettext_noop(
    "CONFIDENTIAL: the reporter's identity must not be disclosed to the child's family."
)


@dataclass(frozen=True)
class FormKind:
    """One country's form. The texts are msgids, translated into `language` when drawn."""

    language: str | None  # None: the reader's current language
    filename: str
    title: str
    basis: str  # the law the form is sent under; "" for the generic form
    confidential: str
    feedback: str  # the reporter's request to be told what came of it


FORMS = {
    "HU": FormKind(
        language="hu",
        filename="jelzolap",
        title=gettext_noop("Signal form"),
        basis=gettext_noop(
            "Signal to the family and child welfare service under section 17 of the Child "
            "Protection Act (Gyvt.)"
        ),
        confidential=gettext_noop(
            "CONFIDENTIAL: the reporter's identity must not be disclosed to the child's family "
            "(Gyvt. section 17(3))."
        ),
        feedback=gettext_noop("The reporter asks to be told what came of the signal."),
    ),
    "CZ": FormKind(
        language="cs",
        filename="oznameni",
        title=gettext_noop(
            "Notification to the authority for the social and legal protection of children (OSPOD)"
        ),
        basis=gettext_noop(
            "Under section 10(4) of Act No. 359/1999 Coll., on the social and legal protection "
            "of children"
        ),
        confidential=CONFIDENTIAL,
        feedback=gettext_noop("I ask to be notified under section 10(4) of Act No. 359/1999 Coll."),
    ),
    "DK": FormKind(
        language="da",
        filename="underretning",
        title=gettext_noop("Notification about a child (underretning)"),
        basis=gettext_noop("Under the Children's Act (Barnets Lov)"),
        confidential=CONFIDENTIAL,
        feedback=gettext_noop(
            "The notifier asks to be told whether an investigation or a measure was started."
        ),
    ),
}
GENERIC = FormKind(
    language=None,
    filename="concern",
    title=gettext_noop("Concern about a child"),
    basis="",
    confidential=CONFIDENTIAL,
    feedback=gettext_noop("The reporter asks to be told what came of it."),
)


def form_kind(concern: Concern) -> FormKind:
    """The form of the profile the concern was received under (a concern received before
    profiles existed takes its country's form)."""
    if concern.profile_id is not None:
        return FORMS.get(concern.profile.key, GENERIC)
    return FORMS.get(concern.municipality.jurisdiction.code, GENERIC)


def official_form_filename(concern: Concern) -> str:
    """`jelzolap-12.pdf`, `oznameni-12.pdf`, `underretning-12.pdf` or `concern-12.pdf`."""
    return f"{form_kind(concern).filename}-{concern.pk}.pdf"


def render_official_form(concern: Concern, *, user=None) -> bytes:
    """The concern's official form as a PDF. A child's date of birth, national identifier and
    parents are printed only where `user` may read the child's full record; without a user,
    for none."""
    kind = form_kind(concern)
    override = translation.override(kind.language) if kind.language else contextlib.nullcontext()
    with override:
        return _FormWriter(concern, kind, user).render()


# --- Formatting ---------------------------------------------------------------------------------


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else EMPTY


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else EMPTY


def _choices(options, chosen) -> str:
    """A line of ballot boxes, the chosen one ticked: "☒ Yes   ☐ No"."""
    return "   ".join(
        f"{TICKED if value == chosen else UNTICKED} {label}" for value, label in options
    )


def _yes_no(value: bool) -> str:
    return _choices([(True, gettext("Yes")), (False, gettext("No"))], value)


@functools.cache
def _covered() -> frozenset[int]:
    """The characters the vendored fonts draw (both fonts were subset to the same ranges)."""
    with TTFont(FONTS / "DejaVuSans.ttf") as font:
        return frozenset(font.getBestCmap())


def _printable(text: str) -> str:
    """`text` with each run of characters the fonts cannot draw (Cyrillic, Arabic, emoji)
    shown as […]: fpdf2 would leave them out without a trace, and a quotation that silently
    loses words is worse than one that says where it does."""
    covered = _covered()
    kept: list[str] = []
    spaces = ""  # spaces after a gap, dropped if the gap goes on after them
    in_gap = False
    for char in text:
        if in_gap and char == " ":
            spaces += char
        elif ord(char) in covered or char in "\n\r\t":
            kept.append(spaces + char)
            spaces, in_gap = "", False
        else:
            if not in_gap:
                kept.append(OMITTED)
            spaces, in_gap = "", True
    return "".join(kept) + spaces


class DocumentPDF(FPDF):
    """A4 with a running head from the second page (repeating the confidentiality notice, if
    any, since a page may be read alone) and "page/pages" at the foot."""

    def __init__(self, running_head: str, notice: str = ""):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.running_head = running_head
        self.notice = notice
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(_printable(text))

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(90)
        self.cell(0, 5, self.running_head, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)
        if self.notice:
            self.set_font(FONT, "B", 8)
            self.multi_cell(0, 4, self.notice, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(90)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


class _FormWriter:
    def __init__(self, concern: Concern, kind: FormKind, user):
        self.concern = concern
        self.kind = kind
        self.user = user
        title = gettext(kind.title)
        number = gettext("Concern #%(n)s") % {"n": concern.pk}
        notice = gettext(kind.confidential) if concern.reporter_confidential else ""
        self.pdf = DocumentPDF(running_head=f"{title} · {number}", notice=notice)
        self.title, self.number = title, number

    def render(self) -> bytes:
        pdf = self.pdf
        # The title only: the metadata must not name the child, the family or the reporter.
        pdf.set_title(f"{self.title} · {self.number}")
        pdf.set_lang(translation.get_language() or "en")
        pdf.set_creator("earlyhelp")
        pdf.add_page()
        self._heading()
        self._sender()
        self._reporter()
        self._receipt()
        self._children()
        self._concern()
        self._deadlines()
        self._signature()
        return bytes(pdf.output())

    # --- Building blocks ---

    def _section(self, text: str) -> None:
        pdf = self.pdf
        if pdf.will_page_break(4 * LINE):
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FONT, "B", 12)
        pdf.cell(0, 7, text, border="B", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    def _row(self, label: str, value: str) -> None:
        """Label and value side by side; a value too long for that is written under its label."""
        pdf = self.pdf
        value = value or EMPTY
        value_width = pdf.epw - LABEL_WIDTH
        pdf.set_font(FONT, "B", 9.5)
        label_lines = pdf.multi_cell(LABEL_WIDTH - 2, LINE, label, dry_run=True, output="LINES")
        pdf.set_font(FONT, "", 10)
        value_lines = pdf.multi_cell(value_width, LINE, value, dry_run=True, output="LINES")
        height = max(len(label_lines), len(value_lines)) * LINE
        if height > pdf.eph / 3:
            self._block(label, value)
            return
        if pdf.will_page_break(height):
            pdf.add_page()
        top = pdf.get_y()
        pdf.set_font(FONT, "B", 9.5)
        pdf.multi_cell(LABEL_WIDTH - 2, LINE, label, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.set_x(pdf.l_margin + LABEL_WIDTH)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(value_width, LINE, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(max(top + height, pdf.get_y()) + 0.8)

    def _block(self, label: str, value: str, *, indent: float = 0) -> None:
        """A label and, under it, a text of any length: it wraps and runs onto the next pages."""
        pdf = self.pdf
        if pdf.will_page_break(2 * LINE):
            pdf.add_page()
        pdf.set_font(FONT, "B", 9.5)
        pdf.multi_cell(0, LINE, label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 10)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(
            pdf.epw - indent, LINE, value or EMPTY, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.ln(1.5)

    # --- The parts of the form ---

    def _heading(self) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B", 16)
        pdf.multi_cell(0, 8, self.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 10)
        if self.kind.basis:
            pdf.multi_cell(
                0, LINE, gettext(self.kind.basis), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        pdf.multi_cell(0, LINE, self.number, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        if self.concern.reporter_confidential:
            pdf.set_font(FONT, "B", 11)
            pdf.set_fill_color(235)
            pdf.set_line_width(0.6)
            pdf.multi_cell(
                0,
                6,
                pdf.notice,
                border=1,
                fill=True,
                align="L",
                padding=2,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            pdf.set_line_width(0.2)
            pdf.ln(2)

    def _sender(self) -> None:
        institution = self.concern.institution
        self._section(gettext("Sending institution"))
        self._row(gettext("Institution"), institution.name)
        if institution.address:
            self._row(gettext("Address"), institution.address)

    def _reporter(self) -> None:
        concern = self.concern
        self._section(gettext("Reporter"))
        reporter = concern.reporter
        if reporter is not None:
            self._row(gettext("Name"), str(reporter))
            self._row(gettext("Position"), self._position(reporter))
            self._row(gettext("E-mail"), reporter.email)
            return
        # A private person's report, recorded by a triager.
        if not concern.reporter_name and not concern.reporter_contact:
            self._row(gettext("Name"), gettext("Anonymous"))
        else:
            self._row(gettext("Name"), concern.reporter_name)
            self._row(pgettext("how to reach someone", "Contact"), concern.reporter_contact)
        self._row(gettext("Position"), str(concern.get_reporter_kind_display()))
        if concern.received_by is not None:
            self._row(capfirst(gettext("recorded by")), str(concern.received_by))

    def _position(self, reporter) -> str:
        """The reporter's role in the institution on the day of the report."""
        concern = self.concern
        on = timezone.localdate(concern.received_at) if concern.received_at else None
        membership = (
            Membership.objects.active(on)
            .filter(user=reporter, institution_id=concern.institution_id)
            .order_by("starts_on", "pk")
            .first()
        )
        if membership is not None:
            return str(membership.get_role_display())
        return str(concern.get_reporter_kind_display())

    def _receipt(self) -> None:
        concern = self.concern
        self._section(gettext("Receipt"))
        self._row(gettext("Received"), _when(concern.received_at))
        self._row(
            gettext("How it was received"),
            _choices([(c.value, str(c.label)) for c in Concern.Channel], concern.channel),
        )
        if concern.profile is not None:
            profile = concern.profile
            self._row(
                gettext("Protocol"),
                f"{profile.name} ({gettext('version')} {profile.version})",
            )
            self._row(gettext("Statutory authority"), authority_name(profile))

    def _children(self) -> None:
        self._section(gettext("Children"))
        links = list(concern_children(concern=self.concern))
        matched = [link.child_id for link in links if link.child_id]
        detailed = self._readable_children(matched)
        parents = self._parents(detailed)
        for number, link in enumerate(links, start=1):
            pdf = self.pdf
            if pdf.will_page_break(3 * LINE):
                pdf.add_page()
            pdf.set_font(FONT, "B", 10)
            pdf.multi_cell(
                0,
                LINE + 1,
                f"{number}. {link.get_role_display()}",
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            if link.child is None:
                self._row(
                    gettext("Name"),
                    f"{link.described_as} ({gettext('not matched to a record yet')})",
                )
                continue
            child = link.child
            self._row(gettext("Name"), child.full_name)
            if child.pk in detailed:
                self._row(gettext("Date of birth"), _day(child.birth_date))
                self._row(gettext("National identifier"), child.national_id)
                self._row(
                    gettext("Parents with parental responsibility"),
                    "\n".join(parents.get(child.pk, [])),
                )

    def _readable_children(self, child_ids: list[int]) -> set[int]:
        if self.user is None or not child_ids:
            return set()
        readable = visible(self.user, Child.objects.filter(pk__in=child_ids), Action.VIEW_DETAILS)
        return set(readable.values_list("pk", flat=True))

    def _parents(self, child_ids: set[int]) -> dict[int, list[str]]:
        """Adults with parental responsibility, by child, among those the reader may see."""
        if not child_ids:
            return {}
        ties = Relationship.objects.filter(
            child_id__in=child_ids, parental_responsibility=True
        ).select_related("adult__municipality__jurisdiction")
        adults = Adult.objects.filter(pk__in=ties.values("adult_id"))
        seen = set(visible(self.user, adults, Action.VIEW).values_list("pk", flat=True))
        parents: dict[int, list[str]] = {}
        for tie in ties.order_by("child_id", "kind", "adult__search_name"):
            if tie.adult_id in seen:
                parents.setdefault(tie.child_id, []).append(
                    f"{tie.adult.full_name} ({tie.get_kind_display()})"
                )
        return parents

    def _concern(self) -> None:
        concern = self.concern
        self._section(gettext("The concern"))
        self._row(
            capfirst(gettext("the child may be in danger right now")),
            _yes_no(concern.immediate_danger),
        )
        self._row(
            capfirst(gettext("what it is about")), ", ".join(map(str, concern.category_labels()))
        )
        self._block(gettext("What was seen or heard"), concern.what_happened)
        # Verbatim: printed exactly as typed, never corrected or translated.
        self._block(gettext("The child's own words"), concern.child_words, indent=6)
        self._block(gettext("Already done"), concern.already_done)
        self._row(
            capfirst(gettext("do the parents know about this concern?")),
            _choices([(c.value, str(c.label)) for c in Concern.ParentsKnow], concern.parents_know),
        )
        if concern.parents_not_told_why:
            self._block(capfirst(gettext("why not?")), concern.parents_not_told_why)
        pdf = self.pdf
        pdf.ln(1)
        pdf.set_font(FONT, "", 10)
        box = TICKED if concern.feedback_requested else UNTICKED
        pdf.multi_cell(
            0,
            LINE,
            f"{box} {gettext(self.kind.feedback)}",
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def _deadlines(self) -> None:
        deadlines = list(self.concern.deadlines.all())
        if not deadlines:
            return
        self._section(gettext("Deadlines"))
        pdf = self.pdf
        pdf.set_font(FONT, "", 10)
        for deadline in deadlines:
            text = f"{gettext(deadline.label)}: {gettext('due')} {_when(deadline.due_at)}"
            if deadline.met_at:
                text += f"; {gettext('met')} {_when(deadline.met_at)}"
            pdf.multi_cell(
                0, LINE, f"\u2022 {text}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )

    def _signature(self) -> None:
        pdf = self.pdf
        if pdf.will_page_break(40):
            pdf.add_page()
        pdf.ln(12)
        width = (pdf.epw - 10) / 2
        top = pdf.get_y()
        pdf.line(pdf.l_margin, top, pdf.l_margin + width, top)
        pdf.line(pdf.l_margin + width + 10, top, pdf.l_margin + pdf.epw, top)
        pdf.set_font(FONT, "", 9)
        pdf.cell(width, LINE, gettext("Place and date"))
        pdf.set_x(pdf.l_margin + width + 10)
        pdf.cell(width, LINE, gettext("Signature"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
