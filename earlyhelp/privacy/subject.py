"""A person's copy of their data (GDPR Article 15): everything earlyhelp holds about a child or
an adult, with other people's data withheld, as JSON and as PDF.

What goes in is decided by the models, not by a list that must remember them: the person's own
row, every row that names them (each model with a foreign key to the person), and for a concern,
a case, an activity or an arrangement they are in, that record with the rows below it. A test
(privacy/tests/test_subject.py) refuses a model that names a person and is neither copied nor
declared left out (`LEFT_OUT`, with the reason).

What is withheld, in the copy's words:
  * other children, and adults other than the person's own family ties, consent givers and the
    person themself: "another person";
  * the identity of a concern's reporter where the law protects it (the concern's
    `reporter_confidential`, or the profile's rule), and always a private person's;
  * other people's contact details (an adult's phone, e-mail and address);
  * the staff who read the record: the log of reads gives when, in which role and why.
Staff who acted in their work (a case's lead worker, a chronology's author) are named.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.pdf import Document
from earlyhelp.people.models import Adult, Child

# Models that name a person but are not copied, and why.
LEFT_OUT = {
    "privacy.legalhold": "an instruction to keep records, not data about the person",
    "privacy.subjectrequest": "the register of the person's own requests, answered separately",
    "duties.duty": "a worker's to-do list, derived from the records copied",
    # The log of reads has each opening (when, the role, the reason given), not who opened.
    "access.breakglassgrant": "a break-glass opening, given in the log of reads",
}
# How deep the rows below a row that names the person are copied, and the record it puts
# the person in (copied with the rows below it: one level, two for a case).
DEPTHS = {"contacts.arrangement": 1, "activities.participant": 1, "fostercare.placement": 1}
RECORDS = {
    "concerns.concernchild": ("concern", 1),
    "cases.casechild": ("case", 2),
    "cases.caseparticipant": ("case", 2),
    "activities.participant": ("activity", 0),
    "fostercare.placement": ("household", 0),
    "fostercare.carer": ("household", 0),
}
SKIPPED_FIELDS = {
    "id",
    "municipality",
    "version",
    "search_name",
    "form_token",
    "file",
    "file_sha256",
    "created_at",
    "updated_at",
    "erased_at",
    "anonymised_at",
    "next_due_at",
}
CONTACT_FIELDS = {"phone", "email", "address"}
REPORTER_FIELDS = {"reporter", "reporter_name", "reporter_contact"}
# Relations never followed from a record: they name no data of the person (the programmes a
# case counts for) or would copy other people's whole records.
SKIPPED_RELATIONS = {"legal_holds", "duties", "programmes"}


@dataclass
class Item:
    kind: str  # "concerns.concern"
    heading: str
    fields: list[tuple[str, str, str]]  # (name, label, value)
    children: list[Item] = field(default_factory=list)


@dataclass
class Copy:
    person: Child | Adult
    made_at: datetime
    sections: list[tuple[str, list[Item]]]

    def as_json(self) -> bytes:
        def item(it: Item) -> dict:
            return {
                "record": it.kind,
                "title": it.heading,
                "fields": {
                    name: {"label": label, "value": value} for name, label, value in it.fields
                },
                "below": [item(child) for child in it.children],
            }

        document = {
            "about": f"{self.person._meta.label_lower}:{self.person.pk}",
            "made_at": self.made_at.isoformat(),
            "withheld": _withheld_note(),
            "sections": [
                {"title": title, "records": [item(it) for it in items]}
                for title, items in self.sections
            ],
        }
        return json.dumps(document, ensure_ascii=False, indent=2).encode()

    def as_pdf(self) -> bytes:
        title = _("Copy of the personal data held about %(name)s") % {"name": self.person.full_name}
        notice = _("Confidential: personal data. For the person it is about.")
        pdf = Document(running_head=_("Copy of personal data"), notice=notice)
        pdf.begin(_("Copy of personal data"))
        pdf.heading(title, size=14)
        pdf.paragraph(
            _("Made on %(when)s under Article 15 of the General Data Protection Regulation.")
            % {"when": _moment(self.made_at)},
            size=9,
        )
        pdf.paragraph(_withheld_note(), size=9)
        for heading, items in self.sections:
            pdf.section(heading)
            if not items:
                pdf.paragraph(_("Nothing is held."), size=9)
            for it in items:
                _pdf_item(pdf, it, 0)
        return pdf.to_bytes()


def _pdf_item(pdf: Document, it: Item, depth: int) -> None:
    pdf.paragraph(it.heading, bold=True, size=10 if depth else 11)
    for _name, label, value in it.fields:
        pdf.row(label, value)
    for child in it.children:
        _pdf_item(pdf, child, depth + 1)
    pdf.ln(1)


def _withheld_note() -> str:
    return _(
        "Other people's data is withheld: other children, adults who are not the person's "
        "family ties, contact details, and a reporter whose identity the law protects. The "
        "log of reads says when, in which role and why the record was read, not by whom."
    )


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


# --- What one row says ---------------------------------------------------------------------------


class _Redactor:
    def __init__(self, person):
        self.person = person
        self.label = person._meta.label_lower
        # The adults a child's copy may name: the child's own family ties and consent givers.
        self.named_adults: set[int] = set()
        if isinstance(person, Child):
            self.named_adults = set(person.relationships.values_list("adult_id", flat=True))
        else:
            self.named_adults = {person.pk}

    def person_value(self, other) -> str:
        if other._meta.label_lower == self.label and other.pk == self.person.pk:
            return other.full_name
        if isinstance(other, Adult) and other.pk in self.named_adults:
            return other.full_name
        return _("[another person]")

    def is_other(self, other) -> bool:
        """Whether `other` (a child or adult) is someone the copy does not name."""
        if other._meta.label_lower == self.label and other.pk == self.person.pk:
            return False
        return not (isinstance(other, Adult) and other.pk in self.named_adults)

    def about_other(self, obj) -> bool:
        """Whether a row is about another person: it names one (a sibling in a concern,
        another participant), so its free texts are not copied."""
        for fld in obj._meta.concrete_fields:
            if fld.is_relation and fld.related_model in (Child, Adult):
                related = getattr(obj, fld.name)
                if related is not None and self.is_other(related):
                    return True
        return False

    def reporter_withheld(self, concern) -> bool:
        """A private person's identity, and a professional's where the law protects it
        (set on the concern at receipt from the profile's rule, or later by a triager)."""
        return concern.reporter_kind == "citizen" or concern.reporter_confidential


def _value(redactor: _Redactor, obj, fld, about_other: bool) -> str | None:
    """A field's value in words, "[withheld …]", or None to leave the field out."""
    if fld.name in SKIPPED_FIELDS or isinstance(fld, models.FileField):
        return None
    free_text = isinstance(fld, models.CharField | models.TextField) and not fld.choices
    if about_other and free_text:
        return _("[withheld: about another person]")
    model = obj._meta.label_lower
    reporter = model == "concerns.concern" and fld.name in REPORTER_FIELDS
    if reporter and redactor.reporter_withheld(obj):
        return _("[withheld: the reporter's identity is protected]")
    if (
        model == "people.adult"
        and fld.name in CONTACT_FIELDS
        and obj.pk != (redactor.person.pk if redactor.label == "people.adult" else None)
    ):
        return None
    if fld.is_relation:
        related = getattr(obj, fld.name)
        if related is None:
            return None
        if isinstance(related, Child | Adult):
            return redactor.person_value(related)
        return str(related)
    value = getattr(obj, fld.attname)
    if value in (None, "", [], {}):
        return None
    if fld.choices:
        return str(getattr(obj, f"get_{fld.name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return _moment(value)
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _item(redactor: _Redactor, obj, depth: int = 0) -> Item:
    fields = []
    about_other = redactor.about_other(obj)
    for fld in obj._meta.concrete_fields:
        value = _value(redactor, obj, fld, about_other)
        if value is not None:
            fields.append((fld.name, str(fld.verbose_name), value))
    if isinstance(obj, Child | Adult) and obj.pk != redactor.person.pk:
        heading = f"{obj._meta.verbose_name} {redactor.person_value(obj)}"
    else:
        heading = f"{str(obj._meta.verbose_name).capitalize()} {obj.pk}"
    item = Item(obj._meta.label_lower, heading, fields)
    if depth > 0:
        item.children = _below(redactor, obj, depth - 1)
    return item


def _below(redactor: _Redactor, obj, depth: int) -> list[Item]:
    """The rows that belong to `obj` (reverse foreign keys), each a person's row withheld."""
    found = []
    for relation in obj._meta.related_objects:
        if relation.many_to_many:
            continue
        accessor = relation.get_accessor_name()
        if accessor in SKIPPED_RELATIONS or relation.related_model._meta.app_label == "privacy":
            continue
        if relation.related_model in (Child, Adult):
            continue
        if relation.one_to_one:
            related = getattr(obj, accessor, None)
            rows = [related] if related is not None else []
        else:
            rows = list(getattr(obj, accessor).all()[:2000])
        found.extend(_item(redactor, row, depth) for row in rows)
    return found


# --- The copy ------------------------------------------------------------------------------------


def naming_models(person_model) -> list:
    """The relations by which rows name a person of `person_model` (foreign keys to it)."""
    return [
        relation for relation in person_model._meta.related_objects if not relation.many_to_many
    ]


def subject_copy(person: Child | Adult) -> Copy:
    redactor = _Redactor(person)
    sections: list[tuple[str, list[Item]]] = [(_("The person"), [_item(redactor, person)])]
    for relation in naming_models(type(person)):
        label = relation.related_model._meta.label_lower
        if label in LEFT_OUT:
            continue
        rows = relation.related_model._default_manager.filter(**{relation.field.name: person})
        items = []
        for row in rows.order_by("pk")[:2000]:
            item = _item(redactor, row, DEPTHS.get(label, 0))
            if label in RECORDS:
                parent, depth = RECORDS[label]
                item.children.insert(0, _item(redactor, getattr(row, parent), depth))
            items.append(item)
        if items:
            sections.append(
                (str(relation.related_model._meta.verbose_name_plural).capitalize(), items)
            )
    sections.append((_("Who read or changed the record"), _reads(person)))
    return Copy(person=person, made_at=timezone.now(), sections=sections)


def _reads(person) -> list[Item]:
    subject = f"{person._meta.label_lower}:{person.pk}"
    rows = AuditEvent.objects.filter(subject=subject).order_by("at", "id")
    items = []
    for event in rows.iterator(chunk_size=2000):
        fields = [
            ("at", _("when"), _moment(event.at)),
            ("action", _("action"), str(event.get_action_display())),
            ("role", _("role"), event.role or "—"),
        ]
        if event.purpose and not event.is_erased:
            fields.append(("purpose", _("purpose"), event.purpose))
        items.append(
            Item("audit.auditevent", f"{event.object_type} {event.object_id}".strip(), fields)
        )
    return items


def copy_filename(person, extension: str) -> str:
    kind = "child" if isinstance(person, Child) else "adult"
    return f"personal-data-{kind}-{person.pk}-{timezone.localdate():%Y%m%d}.{extension}"
