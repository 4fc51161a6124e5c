"""The official form of a concern as a PDF: the HU jelzőlap (Gyvt. 17. §), the CZ oznámení
OSPOD (§ 10(4) zákona 359/1999 Sb.), the DK underretning (Barnets Lov), and a generic form.

The layout is earlyhelp's own; the fields are those each country expects. A country's form is
written in the country's language, since it goes to that country's authority whoever prints it;
the generic form is in the reader's language. Laid out by `earlyhelp.core.pdf`, the one layout
of earlyhelp's documents, with its vendored fonts, so diacritics (ő ű, ř ě ů, ø å æ) come out
right.

Whoever may read the report may print it; a child's date of birth, national identifier and
parents are printed only where the reader may also read that child's full record.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop, pgettext

from earlyhelp.access.policy import Action, visible
from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.selectors import concern_children
from earlyhelp.core.pdf import EMPTY, LINE, Document
from earlyhelp.organisations.models import Membership
from earlyhelp.people.models import Adult, Child, Relationship
from earlyhelp.protocols.selectors import authority_name

TICKED, UNTICKED = "\u2612", "\u2610"  # ☒ ☐

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


def render_official_form(concern: Concern, *, user) -> bytes:
    """The concern's official form as a PDF, for `user` who may read the concern. A child's
    date of birth, national identifier and parents are printed only where `user` may read the
    child's full record."""
    kind = form_kind(concern)
    override = translation.override(kind.language) if kind.language else contextlib.nullcontext()
    with override:
        return _FormWriter(concern, kind, user).render()


# --- Formatting ---------------------------------------------------------------------------------


# Dates as the form's language writes them (the screens' own formats: 2026. 12. 06. in
# Hungarian, 06.12.2026 in Czech and Danish), never a pattern of one country for all.


def _when(value: datetime | None) -> str:
    if not value:
        return EMPTY
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _day(value: date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else EMPTY


def _choices(options, chosen) -> str:
    """A line of ballot boxes, the chosen one ticked: "☒ Yes   ☐ No"."""
    return "   ".join(
        f"{TICKED if value == chosen else UNTICKED} {label}" for value, label in options
    )


def _yes_no(value: bool) -> str:
    return _choices([(True, gettext("Yes")), (False, gettext("No"))], value)


class _FormWriter:
    def __init__(self, concern: Concern, kind: FormKind, user):
        self.concern = concern
        self.kind = kind
        self.user = user
        title = gettext(kind.title)
        number = gettext("Concern #%(n)s") % {"n": concern.pk}
        notice = gettext(kind.confidential) if concern.reporter_confidential else ""
        self.pdf = Document(running_head=f"{title} · {number}", notice=notice)
        self.title, self.number = title, number

    def render(self) -> bytes:
        pdf = self.pdf
        pdf.begin(f"{self.title} · {self.number}")
        self._heading()
        self._sender()
        self._reporter()
        self._receipt()
        self._children()
        self._concern()
        self._deadlines()
        self._signature()
        return pdf.to_bytes()

    # --- The parts of the form ---

    def _heading(self) -> None:
        pdf = self.pdf
        pdf.heading(self.title)
        if self.kind.basis:
            pdf.paragraph(gettext(self.kind.basis))
        pdf.paragraph(self.number)
        pdf.ln(2)
        if self.concern.reporter_confidential:
            pdf.boxed(pdf.notice)

    def _sender(self) -> None:
        institution = self.concern.institution
        self.pdf.section(gettext("Sending institution"))
        self.pdf.row(gettext("Institution"), institution.name)
        if institution.address:
            self.pdf.row(gettext("Address"), institution.address)

    def _reporter(self) -> None:
        concern = self.concern
        self.pdf.section(gettext("Reporter"))
        reporter = concern.reporter
        if reporter is not None:
            self.pdf.row(gettext("Name"), str(reporter))
            self.pdf.row(gettext("Position"), self._position(reporter))
            self.pdf.row(gettext("E-mail"), reporter.email)
            return
        # A private person's report, recorded by a triager.
        if not concern.reporter_name and not concern.reporter_contact:
            self.pdf.row(gettext("Name"), gettext("Anonymous"))
        else:
            self.pdf.row(gettext("Name"), concern.reporter_name)
            self.pdf.row(pgettext("how to reach someone", "Contact"), concern.reporter_contact)
        self.pdf.row(gettext("Position"), str(concern.get_reporter_kind_display()))
        if concern.received_by is not None:
            self.pdf.row(capfirst(gettext("recorded by")), str(concern.received_by))

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
        self.pdf.section(gettext("Receipt"))
        self.pdf.row(gettext("Received"), _when(concern.received_at))
        self.pdf.row(
            gettext("How it was received"),
            _choices([(c.value, str(c.label)) for c in Concern.Channel], concern.channel),
        )
        if concern.profile is not None:
            profile = concern.profile
            self.pdf.row(
                gettext("Protocol"),
                f"{profile.display_name()} ({gettext('version')} {profile.version})",
            )
            self.pdf.row(gettext("Statutory authority"), authority_name(profile))

    def _children(self) -> None:
        self.pdf.section(gettext("Children"))
        links = list(concern_children(user=self.user, concern=self.concern))
        matched = [link.child_id for link in links if link.child_id]
        detailed = self._readable_children(matched)
        parents = self._parents(detailed)
        for number, link in enumerate(links, start=1):
            self.pdf.keep_with_next(3 * LINE)
            self.pdf.paragraph(f"{number}. {link.get_role_display()}", bold=True, height=LINE + 1)
            if link.child is None:
                self.pdf.row(
                    gettext("Name"),
                    f"{link.described_as} ({gettext('not matched to a record yet')})",
                )
                continue
            child = link.child
            self.pdf.row(gettext("Name"), child.full_name)
            if child.pk in detailed:
                self.pdf.row(gettext("Date of birth"), _day(child.birth_date))
                self.pdf.row(gettext("National identifier"), child.national_id)
                self.pdf.row(
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
        ties = visible(
            self.user,
            Relationship.objects.filter(
                child_id__in=child_ids, parental_responsibility=True
            ).select_related("adult__municipality__jurisdiction"),
            Action.VIEW,
        )
        seen = set(
            visible(self.user, Adult.objects.filter(pk__in=ties.values("adult_id"))).values_list(
                "pk", flat=True
            )
        )
        parents: dict[int, list[str]] = {}
        for tie in ties.order_by("child_id", "kind", "adult__search_name"):
            if tie.adult_id in seen:
                parents.setdefault(tie.child_id, []).append(
                    f"{tie.adult.full_name} ({tie.get_kind_display()})"
                )
        return parents

    def _concern(self) -> None:
        concern = self.concern
        self.pdf.section(gettext("The concern"))
        self.pdf.row(
            capfirst(gettext("the child may be in danger right now")),
            _yes_no(concern.immediate_danger),
        )
        self.pdf.row(
            capfirst(gettext("what it is about")), ", ".join(map(str, concern.category_labels()))
        )
        self.pdf.block(gettext("What was seen or heard"), concern.what_happened)
        # Verbatim: printed exactly as typed, never corrected or translated.
        self.pdf.block(gettext("The child's own words"), concern.child_words, indent=6)
        self.pdf.block(gettext("Already done"), concern.already_done)
        self.pdf.row(
            capfirst(gettext("do the parents know about this concern?")),
            _choices([(c.value, str(c.label)) for c in Concern.ParentsKnow], concern.parents_know),
        )
        if concern.parents_not_told_why:
            self.pdf.block(capfirst(gettext("why not?")), concern.parents_not_told_why)
        pdf = self.pdf
        pdf.ln(1)
        box = TICKED if concern.feedback_requested else UNTICKED
        pdf.paragraph(f"{box} {gettext(self.kind.feedback)}")

    def _deadlines(self) -> None:
        deadlines = list(self.concern.deadlines.all())
        if not deadlines:
            return
        self.pdf.section(gettext("Deadlines"))
        for deadline in deadlines:
            text = f"{gettext(deadline.label)}: {gettext('due')} {_when(deadline.due_at)}"
            if deadline.met_at:
                text += f"; {gettext('met')} {_when(deadline.met_at)}"
            self.pdf.paragraph(f"\u2022 {text}")

    def _signature(self) -> None:
        self.pdf.signature_lines(gettext("Place and date"), gettext("Signature"))
