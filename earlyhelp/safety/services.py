"""Changing the Signs of Safety work of a case, under the case's own access rule (whoever may
change the case), each change written into the case's chronology and audited.

A case follows the version of its service's Signs of Safety tools that was current at its first
Signs of Safety record (kept on the case); a meeting the version current when it was recorded.
Work with a tool that version does not include is refused."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can
from earlyhelp.audit.services import audit_record
from earlyhelp.cases.models import Case, ChronologyEntry
from earlyhelp.cases.services import chronicle
from earlyhelp.core.uploads import checked_upload
from earlyhelp.core.versioning import update_versioned
from earlyhelp.knowledge.items import Kind, current_items, current_version, items_of
from earlyhelp.safety.access import meeting_institutions, meeting_service
from earlyhelp.safety.models import (
    MappingItem,
    NetworkMember,
    SafetyMeeting,
    SafetyRule,
    ScalingAnswer,
    Statement,
    ThreeHouses,
    Tool,
)


def case_tools(case: Case):
    """The Signs of Safety tools the case follows: the version it keeps, or (before its first
    Signs of Safety record) its service's current one."""
    if case.safety_tools_version is not None:
        return items_of(case.safety_tools_version, Kind.SAFETY_TOOLS)
    return current_items(case.service, Kind.SAFETY_TOOLS)


def _tool(case: Case, tool: str) -> None:
    """Refuse work with a tool the case's version does not include; keep the version on the
    case at its first Signs of Safety record."""
    if case.safety_tools_version_id is None:
        Case.objects.filter(pk=case.pk, safety_tools_version__isnull=True).update(
            safety_tools_version=current_version(case.service, Kind.SAFETY_TOOLS)
        )
        case.safety_tools_version = Case.objects.get(pk=case.pk).safety_tools_version
    tools = items_of(case.safety_tools_version, Kind.SAFETY_TOOLS)
    if tool not in tools.codes:
        raise ValidationError(
            _("The Signs of Safety tools of this case do not include “%(tool)s”.")
            % {"tool": tools.label(tool)}
        )


def _require(user, case: Case) -> None:
    if not can(user, Action.CHANGE, case):
        raise PermissionDenied
    if case.status != Case.Status.OPEN:
        raise ValidationError(_("The case is closed. Reopen it first."))


def _record(user, case: Case, title: str, text: str, changes: dict, role: str, request_id: str):
    chronicle(case, user, ChronologyEntry.Kind.SAFETY, title, text)
    audit_record(
        actor=user, action="change", obj=case, role=role, request_id=request_id, changes=changes
    )


@transaction.atomic
def mapping_add(
    *, user, case: Case, category: str, text: str, role="", request_id=""
) -> MappingItem:
    _require(user, case)
    _tool(case, Tool.MAPPING)
    if category not in MappingItem.Category.values:
        raise ValidationError(_("Choose where on the map this belongs."))
    if not text.strip():
        raise ValidationError(_("Write it in plain words."))
    item = MappingItem.objects.create(case=case, category=category, text=text.strip(), author=user)
    _record(
        user, case,
        _("Mapping: %(kind)s") % {"kind": MappingItem.Category(category).label},
        item.text, {"mapping": [None, item.pk]}, role, request_id,
    )  # fmt: skip
    return item


@transaction.atomic
def mapping_withdraw(*, user, item: MappingItem, role="", request_id="") -> MappingItem:
    """Take an item off the map; it stays on record, marked withdrawn."""
    case = item.case
    _require(user, case)
    if item.withdrawn_at is not None:
        raise ValidationError(_("This item was already withdrawn."))
    item.withdrawn_at = timezone.now()
    item.save(update_fields=["withdrawn_at"])
    _record(
        user, case, _("Mapping item withdrawn"), item.text,
        {"mapping": [item.pk, None]}, role, request_id,
    )  # fmt: skip
    return item


@transaction.atomic
def statement_write(
    *, user, case: Case, kind: str, text: str, based_on: int, role="", request_id=""
) -> Statement:
    """A new version of the danger statement or safety goal. `based_on` is the version the
    writer saw (0 for none): if someone wrote one since, theirs is kept and this is refused."""
    _require(user, case)
    _tool(case, Tool.STATEMENTS)
    if kind not in Statement.Kind.values:
        raise ValidationError(_("Choose a danger statement or a safety goal."))
    if not text.strip():
        raise ValidationError(_("Write it in plain words."))
    # Serialise writers of the same case's statements.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    latest = case.statements.filter(kind=kind).aggregate(n=Max("number"))["n"] or 0
    if latest != based_on:
        raise ValidationError(
            _(
                "Someone wrote a newer version while you were writing. Your text is kept "
                "below: read theirs on the page, then save yours again."
            )
        )
    statement = Statement.objects.create(
        case=case, kind=kind, number=latest + 1, text=text.strip(), author=user
    )
    _record(
        user, case,
        _("%(kind)s, version %(n)s") % {"kind": Statement.Kind(kind).label, "n": statement.number},
        statement.text, {"statement": [None, statement.pk]}, role, request_id,
    )  # fmt: skip
    return statement


@transaction.atomic
def scaling_answer(
    *,
    user,
    case: Case,
    respondent: str,
    respondent_name: str,
    score: int,
    answered_on,
    note: str = "",
    role="",
    request_id="",
) -> ScalingAnswer:
    _require(user, case)
    _tool(case, Tool.SCALING)
    if respondent not in ScalingAnswer.Respondent.values:
        raise ValidationError(_("Say who answered."))
    if not respondent_name.strip():
        raise ValidationError(_("Name the person who answered."))
    if not 0 <= int(score) <= 10:
        raise ValidationError(_("The answer is from 0 to 10."))
    if answered_on > timezone.localdate():
        raise ValidationError(_("An answer cannot be dated in the future."))
    answer = ScalingAnswer.objects.create(
        case=case, respondent=respondent, respondent_name=respondent_name.strip(),
        score=int(score), answered_on=answered_on, note=note.strip()[:500], recorded_by=user,
    )  # fmt: skip
    _record(
        user, case,
        _("Scaling: %(name)s answered %(score)s") % {"name": answer.respondent_name,
                                                     "score": answer.score},
        answer.note, {"scaling": [None, answer.pk]}, role, request_id,
    )  # fmt: skip
    return answer


@transaction.atomic
def three_houses(
    *, user, case: Case, child, held_on, worries: str, good_things: str, dreams: str,
    drawing=None, role="", request_id="",
) -> ThreeHouses:  # fmt: skip
    """The child's own words in the three houses; a drawing must be a photo or a PDF."""
    _require(user, case)
    _tool(case, Tool.THREE_HOUSES)
    if not case.case_children.filter(child=child).exists():
        raise ValidationError(_("The child is not one of the case's children."))
    if held_on > timezone.localdate():
        raise ValidationError(_("The talk cannot be dated in the future."))
    if not (worries.strip() or good_things.strip() or dreams.strip() or drawing):
        raise ValidationError(_("Write what the child said in at least one house."))
    checked = checked_upload(drawing) if drawing else None
    houses = ThreeHouses.objects.create(
        case=case, child=child, held_on=held_on, worries=worries.strip(),
        good_things=good_things.strip(), dreams=dreams.strip(),
        drawing=checked.file if checked else "",
        drawing_type=checked.content_type if checked else "", recorded_by=user,
    )  # fmt: skip
    _record(
        user, case, _("Three Houses with the child"),
        "\n".join(t for t in (houses.worries, houses.good_things, houses.dreams) if t),
        {"three_houses": [None, houses.pk]}, role, request_id,
    )  # fmt: skip
    return houses


@transaction.atomic
def network_add(
    *, user, case: Case, name: str, relation: str, contact: str, agreed: str,
    role="", request_id="",
) -> NetworkMember:  # fmt: skip
    _require(user, case)
    _tool(case, Tool.NETWORK)
    if not name.strip() or not relation.strip():
        raise ValidationError(_("Name the person and say who they are to the child."))
    member = NetworkMember.objects.create(
        case=case, name=name.strip(), relation=relation.strip(), contact=contact.strip(),
        agreed=agreed.strip(), added_by=user,
    )  # fmt: skip
    _record(
        user, case, _("Joined the safety network: %(name)s") % {"name": member.name},
        member.agreed, {"network": [None, member.pk]}, role, request_id,
    )  # fmt: skip
    return member


@transaction.atomic
def rule_add(
    *, user, case: Case, text: str, holder: NetworkMember, review_on, role="", request_id=""
) -> SafetyRule:
    _require(user, case)
    _tool(case, Tool.SAFETY_PLAN)
    if holder.case_id != case.pk:
        raise ValidationError(_("The rule is held by someone of this case's network."))
    if not text.strip():
        raise ValidationError(_("Write the rule."))
    if review_on < timezone.localdate():
        raise ValidationError(_("The review date has passed."))
    rule = SafetyRule.objects.create(
        case=case, text=text.strip(), holder=holder, review_on=review_on, added_by=user
    )
    _record(
        user, case, _("Safety plan rule: %(rule)s") % {"rule": rule.text},
        _("Held by %(name)s") % {"name": holder.name}, {"rule": [None, rule.pk]}, role,
        request_id,
    )  # fmt: skip
    return rule


# --- Meetings without a case ------------------------------------------------------------------

MEETING_FIELDS = ("held_on", "topic", "participants", "worried", "working", "needs", "scale",
                  "next_steps")  # fmt: skip


def _meeting_links(user, meeting_institution_id: int, concern, case) -> None:
    if concern is not None and (
        concern.institution_id != meeting_institution_id
        or not can(user, Action.VIEW_DECISION, concern)
    ):
        raise ValidationError(_("Link a concern of this institution that you triage."))
    if case is not None and not can(user, Action.CHANGE, case):
        raise ValidationError(_("Link a case you work on."))


# What a meeting records with each tool.
MEETING_TOOL_FIELDS = {Tool.MAPPING: ("worried", "working", "needs"), Tool.SCALING: ("scale",)}


def _meeting_tools(tools, fields: dict) -> None:
    """Refuse what a meeting records with a tool its version does not include."""
    for tool, names in MEETING_TOOL_FIELDS.items():
        if tool not in tools.codes and any(fields.get(n) not in (None, "") for n in names):
            raise ValidationError(
                _("The Signs of Safety tools of this service do not include “%(tool)s”.")
                % {"tool": tools.label(tool)}
            )


@transaction.atomic
def meeting_save(
    *, user, data: dict, institution=None, meeting: SafetyMeeting | None = None, version=None,
    role="", request_id="",
) -> SafetyMeeting:  # fmt: skip
    """Record a meeting (with `institution`) or change one (with `meeting` and the `version`
    the form was based on: a second writer is refused, never overwritten)."""
    if data["held_on"] > timezone.localdate():
        raise ValidationError(_("Record a meeting once it has taken place."))
    if not data["topic"].strip() or not data["participants"].strip():
        raise ValidationError(_("Say what the worry is and who took part."))
    fields = {name: data.get(name) for name in MEETING_FIELDS if name in data}
    fields.update(concern=data.get("concern"), case=data.get("case"))
    newly_linked = fields["case"] is not None and (
        meeting is None or meeting.case_id != fields["case"].pk
    )
    if meeting is None:
        if institution is None or institution.pk not in meeting_institutions(user):
            raise PermissionDenied
        _meeting_links(user, institution.pk, fields["concern"], fields["case"])
        service = meeting_service(user, institution)
        tools_version = service and current_version(service, Kind.SAFETY_TOOLS)
        _meeting_tools(items_of(tools_version, Kind.SAFETY_TOOLS), fields)
        meeting = SafetyMeeting.objects.create(
            municipality_id=institution.municipality_id, institution=institution,
            facilitator=user, tools_version=tools_version, **fields,
        )  # fmt: skip
        action, changes = "create", {"meeting": [None, meeting.pk]}
    else:
        if not can(user, Action.CHANGE, meeting):
            raise PermissionDenied
        _meeting_links(user, meeting.institution_id, fields["concern"], fields["case"])
        _meeting_tools(meeting.tools, fields)
        before = {name: getattr(meeting, name) for name in fields}
        update_versioned(meeting, expected_version=version, fields=fields)
        action = "change"
        changes = {k: [str(before[k]), str(v)] for k, v in fields.items() if before[k] != v}
    audit_record(
        actor=user, action=action, obj=meeting, role=role, request_id=request_id, changes=changes
    )
    if newly_linked:
        chronicle(
            meeting.case,
            user,
            ChronologyEntry.Kind.SAFETY,
            _("Signs of Safety meeting linked: %(topic)s") % {"topic": meeting.topic[:150]},
            meeting.next_steps,
        )
    return meeting
