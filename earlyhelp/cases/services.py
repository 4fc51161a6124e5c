"""Changing cases: opening, the team, the chronology, allocation, closing and reopening.

Every change goes through the access policy, writes its chronology entry in the same
transaction and one audit row. Edits that could race name the version they were based on.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.audit.services import audit_record
from earlyhelp.cases.access import case_services
from earlyhelp.cases.models import (
    Case,
    CaseChild,
    CaseConcern,
    CaseConference,
    CaseDocument,
    CaseMember,
    CaseParticipant,
    ChronologyEntry,
    ConferenceDecision,
    Goal,
    LifeDomain,
    PlanAction,
    PlanReview,
    ProblemAssessment,
    Referral,
)
from earlyhelp.cases.selectors import CONTACT_KINDS
from earlyhelp.concerns.models import Concern
from earlyhelp.core.uploads import checked_upload
from earlyhelp.core.versioning import update_versioned
from earlyhelp.duties.services import refresh as refresh_duties
from earlyhelp.knowledge.catalogue import check_method
from earlyhelp.notifications.models import Notification
from earlyhelp.notifications.services import notify
from earlyhelp.organisations.models import Membership, Role, Service
from earlyhelp.people.models import Child, ChildTeamMember
from earlyhelp.programmes.services import programmes_link

# Who may be named on a case's team: someone working with families in the case's municipality.
TEAM_ROLES = (Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR)


def _audit(user, action: str, case: Case, role: str, request_id: str, changes=None) -> None:
    # Every change of a case (team, chronology, plan, reviews, closing) is audited here: its
    # duties (cases/duties.py) are brought up to date in the same transaction first.
    refresh_duties(case)
    audit_record(
        actor=user,
        action=action,
        obj=case,
        role=role,
        request_id=request_id,
        changes=changes or {},
    )


def chronicle(case: Case, user, kind: str, title: str, text: str = "", at=None, corrects=None):
    """Write one entry into the case's chronology (when it happened: `at`, else now). Every
    app that records something in a case writes its entry through this."""
    entry = ChronologyEntry.objects.create(
        case=case,
        kind=kind,
        happened_at=at or timezone.now(),
        author=user,
        title=title[:200],
        text=text,
        corrects=corrects,
    )
    if kind in CONTACT_KINDS:
        # A contact moves the family's next one (written here by other apps too).
        refresh_duties(case)
    return entry


def team_candidates(case: Case):
    """The people who may join the team: active social helpers, case workers and supervisors
    of the case's municipality."""
    from earlyhelp.organisations.access import workers

    return workers(TEAM_ROLES, municipalities=[case.municipality_id])


def _name_on_children(case: Case, user) -> None:
    """A team member reads the case's children's records: they are named on each child's team
    (`people.ChildTeamMember`, the policy's `team` path)."""
    for place in case.case_children.all():
        ChildTeamMember.objects.get_or_create(
            child_id=place.child_id,
            user=user,
            defaults={"note": _("Case #%(n)s") % {"n": case.pk}},
        )


def _unname_on_children(case: Case, user) -> None:
    """Leaving the team ends the child-record access the case gave, unless another open case
    of the child still has the user on its team."""
    for place in case.case_children.all():
        elsewhere = CaseMember.objects.filter(
            user=user,
            left_at__isnull=True,
            case__status=Case.Status.OPEN,
            case__case_children__child_id=place.child_id,
        ).exclude(case=case)
        if not elsewhere.exists():
            # The note was written in the language of whoever opened the case; its number
            # is what identifies it.
            ChildTeamMember.objects.filter(
                child_id=place.child_id, user=user, note__endswith=f"#{case.pk}"
            ).delete()


def _check_concerns(user, concerns: list[Concern]) -> None:
    for concern in concerns:
        if not can(user, Action.VIEW_DECISION, concern):
            raise PermissionDenied
        if concern.decision != Concern.Decision.CASE:
            raise ValidationError(
                _("Concern #%(n)s was not decided as “open or join a case”. Decide it first.")
                % {"n": concern.pk}
            )
        if CaseConcern.objects.filter(concern=concern).exists():
            raise ValidationError(
                _("Concern #%(n)s already belongs to a case.") % {"n": concern.pk}
            )


def _link_concern(case: Case, concern: Concern, user) -> None:
    CaseConcern.objects.create(case=case, concern=concern, linked_by=user)
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.CONCERN,
        _("Concern #%(n)s from %(institution)s")
        % {"n": concern.pk, "institution": concern.institution.name},
        at=concern.received_at or concern.created_at,
    )


@transaction.atomic
def case_open(
    *,
    user,
    service: Service,
    title: str,
    kind: str,
    reason: str,
    children: list[Child] | None = None,
    concerns: list[Concern] | None = None,
    restricted: bool = False,
    lead_worker=None,
    subject: str = Case.Subject.CHILDREN,
    adults: list | None = None,
    programmes=None,
    role: str = "",
    request_id: str = "",
) -> Case:
    """Open a case in `service` about `children` (a sibling group or household), optionally
    from concerns decided as "open or join a case"; or about one adult or a household of
    adults (`subject`), who become its clients. The opener and the lead worker form the
    first team; both are named on the children's records."""
    if service.pk not in case_services(user):
        raise PermissionDenied
    concerns = concerns or []
    children = list(children or [])
    adults = list(adults or [])
    _check_subject(user, subject, children, adults)
    _check_concerns(user, concerns)
    lead_worker = lead_worker or user
    if lead_worker != user and not team_candidates_in(service.municipality_id, lead_worker):
        raise ValidationError(_("The lead worker must work with families in this municipality."))
    now = timezone.now()
    case = Case.objects.create(
        municipality_id=service.municipality_id,
        service=service,
        title=title.strip(),
        kind=kind,
        reason=reason.strip(),
        subject=subject,
        restricted=restricted,
        lead_worker=lead_worker,
        opened_at=now,
        opened_by=user,
    )
    CaseChild.objects.bulk_create(CaseChild(case=case, child=child) for child in children)
    CaseParticipant.objects.bulk_create(
        CaseParticipant(case=case, adult=adult, role=CaseParticipant.Role.CLIENT, added_by=user)
        for adult in adults
    )
    CaseMember.objects.create(case=case, user=lead_worker, role=CaseMember.Role.LEAD)
    if lead_worker != user:
        CaseMember.objects.create(case=case, user=user, role=_opener_role(user))
    for member in {user, lead_worker}:
        _name_on_children(case, member)
    chronicle(case, user, ChronologyEntry.Kind.OPENED, _("Case opened"), case.reason, at=now)
    for concern in concerns:
        _link_concern(case, concern, user)
    if lead_worker != user:
        _tell_lead(case, lead_worker)
    linked = programmes_link(user=user, record=case, chosen=programmes)
    _audit(
        user,
        "create",
        case,
        role,
        request_id,
        {
            "subject": [None, subject],
            "children": [None, sorted(c.pk for c in children)],
            "clients": [None, sorted(a.pk for a in adults)],
            "concerns": [None, sorted(c.pk for c in concerns)],
            "restricted": [None, restricted],
            **linked,
        },
    )
    return case


def _check_subject(user, subject: str, children: list[Child], adults: list) -> None:
    """A case is about children, or about one adult or a household of adults (never both);
    the opener must see everyone it is about."""
    from earlyhelp.people.models import Adult

    if subject not in Case.Subject.values:
        raise ValidationError(_("Say whom the case is about."))
    if subject == Case.Subject.CHILDREN:
        if not children:
            raise ValidationError(_("Choose at least one child the case is about."))
        if adults:
            raise ValidationError(_("A case about children names its adults as participants."))
        people, model = children, Child
    else:
        if children:
            raise ValidationError(_("A case about adults is not about a child."))
        if not adults:
            raise ValidationError(_("Choose the adult the case is about."))
        if subject == Case.Subject.ADULT and len(adults) != 1:
            raise ValidationError(_("A case about an adult is about one adult."))
        if subject == Case.Subject.HOUSEHOLD and len(adults) < 2:
            raise ValidationError(_("A household case is about at least two adults."))
        people, model = adults, Adult
    ids = {p.pk for p in people}
    readable = set(
        visible(user, model.objects.filter(pk__in=ids), Action.VIEW).values_list("pk", flat=True)
    )
    if readable != ids:
        raise PermissionDenied


def team_candidates_in(municipality_id: int, user) -> bool:
    return (
        Membership.objects.active()
        .filter(municipality_id=municipality_id, role__in=TEAM_ROLES, user=user)
        .exists()
    )


def _opener_role(user) -> str:
    memberships = Membership.objects.active().filter(user=user, role=Role.SOCIAL_HELPER)
    return CaseMember.Role.SOCIAL_HELPER if memberships.exists() else CaseMember.Role.CO_WORKER


def _tell_lead(case: Case, lead_worker) -> None:
    notify(
        recipients=[lead_worker],
        kind=Notification.Kind.CASE_ALLOCATED,
        url=case.get_absolute_url(),
        event=f"case:{case.pk}:lead:{lead_worker.pk}:{case.version}",
    )


def _require(user, action: str, case: Case) -> None:
    if not can(user, action, case):
        raise PermissionDenied


@transaction.atomic
def case_link_concern(*, user, case: Case, concern: Concern, role="", request_id="") -> None:
    """A concern about a child of an open case joins it."""
    _require(user, Action.CHANGE, case)
    if case.status != Case.Status.OPEN:
        raise ValidationError(_("A closed case takes no new concerns. Reopen it first."))
    _check_concerns(user, [concern])
    _link_concern(case, concern, user)
    _audit(user, "change", case, role, request_id, {"concerns": [None, concern.pk]})


@transaction.atomic
def entry_add(
    *,
    user,
    case: Case,
    kind: str,
    happened_at: datetime,
    title: str,
    text: str,
    corrects: ChronologyEntry | None = None,
    role: str = "",
    request_id: str = "",
) -> ChronologyEntry:
    """A written entry: a contact, a session, a document, a note. Never changed afterwards;
    a correction is a new entry that names the one it corrects."""
    _require(user, Action.CHANGE, case)
    if kind not in ChronologyEntry.MANUAL_KINDS:
        raise ValidationError(_("Choose what kind of entry this is."))
    if happened_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError(
            _("An entry records what happened: its time cannot be in the future.")
        )
    if happened_at < case.opened_at - timedelta(days=365):
        raise ValidationError(_("The time is more than a year before the case was opened."))
    if not title.strip():
        raise ValidationError(_("Give the entry a title."))
    if corrects is not None and corrects.case_id != case.pk:
        raise ValidationError(_("A correction belongs to the same case."))
    entry = chronicle(case, user, kind, title.strip(), text.strip(), happened_at, corrects)
    _audit(
        user,
        "change",
        case,
        role,
        request_id,
        {"chronology": [None, entry.pk], "corrects": [None, corrects.pk if corrects else None]},
    )
    return entry


@transaction.atomic
def member_add(*, user, case: Case, member, member_role: str, role="", request_id="") -> None:
    _require(user, Action.CHANGE, case)
    if member_role not in CaseMember.Role.values or member_role == CaseMember.Role.LEAD:
        raise ValidationError(_("Choose the member's role; the lead worker is allocated."))
    if not team_candidates_in(case.municipality_id, member):
        raise ValidationError(_("Only people working with families in this municipality can join."))
    if case.members.filter(user=member, left_at__isnull=True).exists():
        raise ValidationError(_("%(name)s is already on the team.") % {"name": _name(member)})
    CaseMember.objects.create(case=case, user=member, role=member_role)
    _name_on_children(case, member)
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.TEAM,
        _("%(name)s joined the team as %(role)s")
        % {"name": _name(member), "role": CaseMember.Role(member_role).label},
    )
    _audit(user, "change", case, role, request_id, {"team": [None, member.pk]})


@transaction.atomic
def member_leave(*, user, case: Case, membership: CaseMember, role="", request_id="") -> None:
    _require(user, Action.CHANGE, case)
    if membership.case_id != case.pk or membership.left_at is not None:
        raise ValidationError(_("This person is not on the team."))
    if not membership.may_leave:
        raise ValidationError(_("The lead worker leaves by allocating the case to someone else."))
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at", "updated_at"])
    _unname_on_children(case, membership.user)
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.TEAM,
        _("%(name)s left the team") % {"name": _name(membership.user)},
    )
    _audit(user, "change", case, role, request_id, {"team": [membership.user_id, None]})


@transaction.atomic
def case_allocate(
    *, user, case: Case, version: int, lead_worker, handover: str, role="", request_id=""
) -> Case:
    """A supervisor gives the case to another lead worker with a handover note; the former
    lead stays on the team as a co-worker until they leave it."""
    _require(user, Action.ALLOCATE, case)
    if lead_worker.pk == case.lead_worker_id:
        raise ValidationError(_("The case is already allocated to this worker."))
    if not team_candidates_in(case.municipality_id, lead_worker):
        raise ValidationError(_("The lead worker must work with families in this municipality."))
    if not handover.strip():
        raise ValidationError(_("Write a handover note for the new lead worker."))
    former = case.lead_worker
    update_versioned(case, expected_version=version, fields={"lead_worker": lead_worker})
    case.members.filter(role=CaseMember.Role.LEAD, left_at__isnull=True).update(
        role=CaseMember.Role.CO_WORKER
    )
    current = case.members.filter(user=lead_worker, left_at__isnull=True).first()
    if current is None:
        CaseMember.objects.create(case=case, user=lead_worker, role=CaseMember.Role.LEAD)
        _name_on_children(case, lead_worker)
    else:
        current.role = CaseMember.Role.LEAD
        current.save(update_fields=["role", "updated_at"])
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.TEAM,
        _("Allocated to %(new)s (before: %(old)s)")
        % {"new": _name(lead_worker), "old": _name(former)},
        handover.strip(),
    )
    _tell_lead(case, lead_worker)
    _audit(user, "change", case, role, request_id, {"lead_worker": [former.pk, lead_worker.pk]})
    return case


@transaction.atomic
def case_programmes(*, user, case: Case, version: int, programmes, role="", request_id="") -> Case:
    """Change the programmes the case counts for, among those the user may link; links to
    programmes the user cannot see stay. Based on the case's version: a stale save is refused.
    The chronology says how many were added and removed, not their names (its readers may not
    all be allowed to name them); the audit row keeps which."""
    _require(user, Action.CHANGE, case)
    before = set(case.programmes.values_list("pk", flat=True))
    update_versioned(case, expected_version=version, fields={})
    linked = programmes_link(user=user, record=case, chosen=programmes)
    if linked:
        after = set(case.programmes.values_list("pk", flat=True))
        chronicle(
            case,
            user,
            ChronologyEntry.Kind.NOTE,
            _("Programmes the case counts for changed"),
            _("Added: %(added)s, removed: %(removed)s")
            % {"added": len(after - before), "removed": len(before - after)},
        )
        _audit(user, "change", case, role, request_id, linked)
    return case


@transaction.atomic
def case_close(
    *, user, case: Case, version: int, reason: str, outcome: str, note: str, role="", request_id=""
) -> Case:
    _require(user, Action.CLOSE, case)
    if case.status == Case.Status.CLOSED:
        raise ValidationError(_("The case is already closed."))
    if reason not in Case.ClosureReason.values:
        raise ValidationError(_("Choose why the case is closed."))
    if outcome not in Case.Outcome.values:
        raise ValidationError(_("Choose the outcome."))
    update_versioned(
        case,
        expected_version=version,
        fields={
            "status": Case.Status.CLOSED,
            "closed_at": timezone.now(),
            "closure_reason": reason,
            "outcome": outcome,
        },
    )
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.CLOSED,
        _("Case closed: %(reason)s; %(outcome)s")
        % {
            "reason": Case.ClosureReason(reason).label,
            "outcome": Case.Outcome(outcome).label,
        },
        note.strip(),
    )
    _audit(user, "change", case, role, request_id, {"status": ["open", "closed"]})
    return case


@transaction.atomic
def case_reopen(*, user, case: Case, version: int, why: str, role="", request_id="") -> Case:
    """Reopen with the history kept: the closure stays in the chronology."""
    _require(user, Action.CLOSE, case)
    if case.status != Case.Status.CLOSED:
        raise ValidationError(_("Only a closed case can be reopened."))
    if not why.strip():
        raise ValidationError(_("Say why the case is reopened."))
    update_versioned(
        case,
        expected_version=version,
        fields={"status": Case.Status.OPEN, "closed_at": None, "closure_reason": "", "outcome": ""},
    )
    chronicle(case, user, ChronologyEntry.Kind.CLOSED, _("Case reopened"), why.strip())
    _audit(user, "change", case, role, request_id, {"status": ["closed", "open"]})
    return case


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


# --- The problem map and the plan ----------------------------------------------------------------


@transaction.atomic
def assess_problems(
    *, user, case: Case, assessed_on, severities: dict, role: str = "", request_id: str = ""
) -> list[ProblemAssessment]:
    """One assessment of the life domains given ({domain: (severity, note)}); the earlier ones
    stay, so the map shows the change."""
    _require(user, Action.CHANGE, case)
    if assessed_on > timezone.localdate():
        raise ValidationError(_("An assessment cannot be dated in the future."))
    rows = []
    for domain, (severity, note) in severities.items():
        if domain not in case.domains:
            raise ValidationError(_("Unknown life domain."))
        if not 1 <= int(severity) <= 5:
            raise ValidationError(_("Severity is from 1 (no problem) to 5 (severe)."))
        rows.append(
            ProblemAssessment(
                case=case,
                domain=domain,
                severity=int(severity),
                assessed_on=assessed_on,
                assessed_by=user,
                note=(note or "").strip()[:500],
            )
        )
    if not rows:
        raise ValidationError(_("Rate at least one life domain."))
    ProblemAssessment.objects.bulk_create(rows)
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.PLAN,
        _("Problem map assessed: %(domains)s")
        % {"domains": ", ".join(f"{LifeDomain(r.domain).label} {r.severity}" for r in rows)},
    )
    _audit(user, "change", case, role, request_id, {"problem_map": [None, len(rows)]})
    return rows


@transaction.atomic
def goal_add(
    *, user, case: Case, child: Child | None = None, text: str, domain: str = "", adult=None,
    role="", request_id="",
) -> Goal:  # fmt: skip
    """A goal of a child's plan, or in a case about adults of a client's plan."""
    _require(user, Action.CHANGE, case)
    if case.is_about_adults:
        if (
            child is not None
            or adult is None
            or not case.participants.filter(adult=adult, role=CaseParticipant.Role.CLIENT).exists()
        ):
            raise ValidationError(_("The goal belongs to an adult the case is about."))
    elif adult is not None or not case.case_children.filter(child=child).exists():
        raise ValidationError(_("The goal belongs to a child of the case."))
    if domain and domain not in case.domains:
        raise ValidationError(_("Unknown life domain."))
    if not text.strip():
        raise ValidationError(_("Write the goal, in the family's own words."))
    goal = Goal.objects.create(
        case=case, child=child, adult=adult, text=text.strip(), domain=domain, created_by=user
    )
    chronicle(case, user, ChronologyEntry.Kind.PLAN, _("Goal set: %(goal)s") % {"goal": goal.text})
    _audit(user, "change", case, role, request_id, {"goal": [None, goal.pk]})
    return goal


@transaction.atomic
def goal_set_status(*, user, goal: Goal, version: int, status: str, role="", request_id="") -> Goal:
    _require(user, Action.CHANGE, goal.case)
    if status not in Goal.Status.values:
        raise ValidationError(_("Choose the goal's status."))
    before = goal.status
    update_versioned(goal, expected_version=version, fields={"status": status})
    chronicle(
        goal.case,
        user,
        ChronologyEntry.Kind.PLAN,
        _("Goal %(status)s: %(goal)s")
        % {"status": Goal.Status(status).label.lower(), "goal": goal.text},
    )
    _audit(user, "change", goal.case, role, request_id, {"goal_status": [before, status]})
    return goal


@transaction.atomic
def action_add(
    *,
    user,
    goal: Goal,
    text: str,
    owner_kind: str,
    due_on,
    owner=None,
    owner_name: str = "",
    method=None,
    role="",
    request_id="",
) -> PlanAction:
    """A step towards a goal. A professional owner must be on the case's team; a parent, the
    child or a network member is named. It may follow an intervention of the case's
    municipality's catalogue."""
    case = goal.case
    _require(user, Action.CHANGE, case)
    check_method(user, method, case.municipality_id)
    if owner_kind not in PlanAction.Owner.values:
        raise ValidationError(_("Say who does it."))
    if owner_kind == PlanAction.Owner.PROFESSIONAL:
        if owner is None or not case.members.filter(user=owner, left_at__isnull=True).exists():
            raise ValidationError(_("A professional who does a step must be on the case's team."))
        owner_name = ""
    else:
        owner = None
        if not owner_name.strip():
            raise ValidationError(_("Name the person who does it."))
    if not text.strip():
        raise ValidationError(_("Say what is to be done."))
    if due_on < timezone.localdate(case.opened_at):
        raise ValidationError(_("The due date is before the case was opened."))
    action = PlanAction.objects.create(
        goal=goal,
        text=text.strip(),
        owner_kind=owner_kind,
        owner=owner,
        owner_name=owner_name.strip(),
        due_on=due_on,
        method=method,
    )
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.PLAN,
        _("Step planned: %(step)s (%(who)s, by %(due)s)")
        % {"step": action.text, "who": action.who, "due": due_on.isoformat()},
    )
    _audit(user, "change", case, role, request_id, {"action": [None, action.pk]})
    return action


@transaction.atomic
def action_set_status(
    *, user, action: PlanAction, version: int, status: str, role="", request_id=""
) -> PlanAction:
    case = action.goal.case
    _require(user, Action.CHANGE, case)
    if status not in PlanAction.Status.values:
        raise ValidationError(_("Choose the step's status."))
    before = action.status
    update_versioned(
        action,
        expected_version=version,
        fields={
            "status": status,
            "done_on": timezone.localdate() if status == PlanAction.Status.DONE else None,
        },
    )
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.PLAN,
        _("Step %(status)s: %(step)s")
        % {"status": PlanAction.Status(status).label.lower(), "step": action.text},
    )
    _audit(user, "change", case, role, request_id, {"action_status": [before, status]})
    return action


@transaction.atomic
def plan_review(*, user, case: Case, reviewed_on, note: str, role="", request_id="") -> PlanReview:
    """A review of the plan; the next falls due after the case kind's cadence."""
    _require(user, Action.CHANGE, case)
    if reviewed_on > timezone.localdate():
        raise ValidationError(_("A review cannot be dated in the future."))
    if not note.strip():
        raise ValidationError(_("Write what the review found."))
    review = PlanReview.objects.create(
        case=case,
        reviewed_on=reviewed_on,
        reviewed_by=user,
        note=note.strip(),
        next_review_on=reviewed_on + case.review_every,
    )
    chronicle(case, user, ChronologyEntry.Kind.PLAN, _("Plan reviewed"), review.note)
    _audit(user, "change", case, role, request_id, {"review": [None, review.pk]})
    return review


# --- Referrals -----------------------------------------------------------------------------------


@transaction.atomic
def referral_add(
    *, user, case: Case, to: str, organisation: str = "", reason: str, referred_on,
    method=None, partner=None, role="", request_id="",
) -> Referral:  # fmt: skip
    """Refer the family to a partner organisation of the case's municipality, or to another
    organisation named in words; the organisation's name is kept with the referral."""
    _require(user, Action.CHANGE, case)
    check_method(user, method, case.municipality_id)
    if to not in Referral.To.values:
        raise ValidationError(_("Choose where the family is referred."))
    if partner is not None:
        if partner.municipality_id != case.municipality_id:
            raise ValidationError(_("Choose a partner organisation of the case's municipality."))
        organisation = partner.name
    if not organisation.strip() or not reason.strip():
        raise ValidationError(_("Name the organisation and say why."))
    if referred_on > timezone.localdate():
        raise ValidationError(_("A referral cannot be dated in the future."))
    referral = Referral.objects.create(
        case=case, to=to, organisation=organisation.strip(), partner=partner,
        reason=reason.strip(), referred_on=referred_on, created_by=user, method=method,
    )  # fmt: skip
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.REFERRAL,
        _("Referred to %(to)s: %(organisation)s")
        % {"to": Referral.To(to).label, "organisation": referral.organisation},
        referral.reason,
    )
    _audit(user, "change", case, role, request_id, {"referral": [None, referral.pk]})
    return referral


@transaction.atomic
def referral_update(
    *, user, referral: Referral, version: int, status: str, outcome: str, role="", request_id=""
) -> Referral:
    """Follow a referral: accepted, declined or ended, and what came of it."""
    case = referral.case
    _require(user, Action.CHANGE, case)
    if status not in Referral.Status.values:
        raise ValidationError(_("Choose the referral's status."))
    if status in (Referral.Status.DECLINED, Referral.Status.ENDED) and not outcome.strip():
        raise ValidationError(_("Say what came of the referral."))
    before = referral.status
    update_versioned(
        referral, expected_version=version, fields={"status": status, "outcome": outcome.strip()}
    )
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.REFERRAL,
        _("Referral to %(organisation)s: %(status)s")
        % {"organisation": referral.organisation, "status": Referral.Status(status).label},
        referral.outcome,
    )
    _audit(user, "change", case, role, request_id, {"referral_status": [before, status]})
    return referral


# --- Case conferences and discussions ---------------------------------------------------------


@transaction.atomic
def conference_record(
    *,
    user,
    case: Case,
    kind: str,
    held_at,
    agenda: str,
    attendees,
    external_attendees: str,
    minutes: str,
    partners=(),
    role="",
    request_id="",
) -> CaseConference:
    """A discussion or conference that took place: who was there (professionals of the team,
    partner organisations of the case's municipality, and others by name and role), the agenda
    and the minutes."""
    _require(user, Action.CHANGE, case)
    if kind not in CaseConference.Kind.values:
        raise ValidationError(_("Choose whether it was a case discussion or a conference."))
    if held_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError(_("Record a conference once it has taken place."))
    if not agenda.strip():
        raise ValidationError(_("Write the agenda."))
    team = set(case.members.filter(left_at__isnull=True).values_list("user_id", flat=True))
    if any(person.pk not in team for person in attendees):
        raise ValidationError(_("Professionals who took part are chosen from the case's team."))
    if any(partner.municipality_id != case.municipality_id for partner in partners):
        raise ValidationError(_("Choose partner organisations of the case's municipality."))
    if not attendees and not external_attendees.strip() and not partners:
        raise ValidationError(_("Say who took part."))
    conference = CaseConference.objects.create(
        case=case, kind=kind, held_at=held_at, agenda=agenda.strip(),
        external_attendees=external_attendees.strip(), minutes=minutes.strip(), created_by=user,
    )  # fmt: skip
    conference.attendees.set(attendees)
    conference.partners.set(partners)
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.CONFERENCE,
        str(CaseConference.Kind(kind).label),
        conference.minutes or conference.agenda,
        at=held_at,
    )
    _audit(user, "change", case, role, request_id, {"conference": [None, conference.pk]})
    return conference


@transaction.atomic
def decision_add(
    *,
    user,
    conference: CaseConference,
    text: str,
    goal: Goal | None = None,
    owner_kind: str = "",
    owner=None,
    owner_name: str = "",
    due_on=None,
    role="",
    request_id="",
) -> ConferenceDecision:
    """A decision of the conference; with a goal, an owner and a due date it also becomes a
    step of that goal's plan."""
    case = conference.case
    _require(user, Action.CHANGE, case)
    if not text.strip():
        raise ValidationError(_("Write the decision."))
    step = None
    if goal is not None:
        if goal.case_id != case.pk:
            raise ValidationError(_("The goal belongs to this case."))
        if due_on is None:
            raise ValidationError(_("A decision that becomes a step needs a due date."))
        step = action_add(
            user=user, goal=goal, text=text, owner_kind=owner_kind, owner=owner,
            owner_name=owner_name, due_on=due_on, role=role, request_id=request_id,
        )  # fmt: skip
    decision = ConferenceDecision.objects.create(
        conference=conference, text=text.strip(), step=step, decided_by=user
    )
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.CONFERENCE,
        _("Decision: %(text)s") % {"text": decision.text},
        at=conference.held_at,
    )
    _audit(user, "change", case, role, request_id, {"decision": [None, decision.pk]})
    return decision


# --- Documents -----------------------------------------------------------------------------------


@transaction.atomic
def document_add(*, user, case: Case, title: str, upload, role="", request_id="") -> CaseDocument:
    """A key document of the case, checked by its content (a PDF or a photo) and its size."""
    _require(user, Action.CHANGE, case)
    if not title.strip():
        raise ValidationError(_("Give the document a title."))
    checked = checked_upload(upload)
    document = CaseDocument.objects.create(
        case=case, title=title.strip(), file=checked.file, original_name=checked.display_name,
        content_type=checked.content_type, size=checked.size, uploaded_by=user,
    )  # fmt: skip
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.DOCUMENT,
        _("Document added: %(title)s") % {"title": document.title},
    )
    _audit(user, "change", case, role, request_id, {"document": [None, document.pk]})
    return document


@transaction.atomic
def participant_add(*, user, case: Case, adult, participant_role: str, role="", request_id=""):
    """An adult of the children's family takes part in the case."""
    from earlyhelp.cases.models import CaseParticipant
    from earlyhelp.people.models import Relationship

    _require(user, Action.CHANGE, case)
    if participant_role not in CaseParticipant.Role.values:
        raise ValidationError(_("Choose the person's role in the case."))
    related = Relationship.objects.filter(
        adult=adult, child_id__in=case.case_children.values("child_id")
    )
    if not related.exists():
        raise ValidationError(_("Only an adult related to a child of the case can take part."))
    if case.participants.filter(adult=adult).exists():
        raise ValidationError(_("This person already takes part in the case."))
    participant = CaseParticipant.objects.create(
        case=case, adult=adult, role=participant_role, added_by=user
    )
    chronicle(
        case, user, ChronologyEntry.Kind.TEAM,
        _("%(name)s takes part as %(role)s")
        % {"name": adult.full_name, "role": CaseParticipant.Role(participant_role).label},
    )  # fmt: skip
    _audit(user, "change", case, role, request_id, {"participant": [None, participant.pk]})
    return participant
