"""Use-cases of the signalling system: drafting, submitting, acknowledging, triaging and
talking about a concern. Each checks the policy, runs in one transaction and is audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can
from earlyhelp.audit.services import audit_record
from earlyhelp.concerns.access import (
    receiver_contacts,
    receiving_institutions,
    reporting_institutions,
    triage_institutions,
    triagers_for,
    unreceived_institutions,
)
from earlyhelp.concerns.models import (
    Category,
    Concern,
    ConcernAttachment,
    ConcernChild,
    ConcernDeadline,
    ConcernFeedback,
    ConcernMessage,
    refresh_next_due,
)
from earlyhelp.core.uploads import checked_upload
from earlyhelp.core.versioning import update_versioned
from earlyhelp.duties.services import refresh as refresh_duties
from earlyhelp.notifications.models import Notification
from earlyhelp.notifications.services import notify
from earlyhelp.organisations.access import workers
from earlyhelp.organisations.models import Institution, Role
from earlyhelp.protocols.models import Feedback
from earlyhelp.protocols.services import (
    anonymous_allowed,
    deadlines_for,
    feedback_allowed,
    identity_confidential,
    oral_allowed_when_urgent,
    profile_for,
    written_signal_required,
)

DRAFT_FIELDS = (
    "immediate_danger",
    "what_happened",
    "child_words",
    "categories",
    "already_done",
    "parents_know",
    "parents_not_told_why",
    "feedback_requested",
)
# Deadlines a triage decision keeps; acknowledgement and feedback deadlines are kept by
# their own steps.
FEEDBACK_CODES = ("acknowledg", "feedback", "written")  # "written": kept by the written signal
# Decisions that start an investigation or a measure (DK: what a professional may be told).
MEASURES = {
    Concern.Decision.SIGNS_OF_SAFETY,
    Concern.Decision.CASE,
    Concern.Decision.REFER,
    Concern.Decision.ESCALATE,
    Concern.Decision.WELLBEING_CONVERSATION,
}


# A report names at most this many children (the form's six rows), so that no request, from
# the form or the API, stores thousands of them.
MAX_CHILDREN = 6
# A second "Send" of exactly the same report by the same reporter within this time is the
# first one again (Back, then Send; a second tab), whatever form token it carries.
SAME_REPORT_WINDOW = timedelta(minutes=15)
# How many of the municipality's supervisors and administrators a refused reporter is told of.
CONTACTS_NAMED = 6


class ConcernAlreadySent(Exception):
    """This form's report, or the very same report, was sent already (`concern`): a second
    Send, an autosave arriving after Send, Back and Send again. Nothing was changed."""

    def __init__(self, concern: Concern):
        super().__init__(concern.pk)
        self.concern = concern


class ReportNotSent(ValidationError):
    """What a report lacks before it can be sent. The reporter's changes are saved in the
    draft (`draft`), so nothing typed is lost."""

    def __init__(self, messages, *, draft: Concern):
        super().__init__(messages)
        self.draft = draft


def categories_clean(values) -> list[str]:
    """The categories as stored: known codes only, each once, in the order given. The form,
    the API and every other caller go through this, so a list of thousands of repeats is
    stored as the one category it names."""
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise ValidationError(_("Choose the categories from the list."))
    codes = [str(value) for value in values]
    if any(code not in Category.values for code in codes):
        raise ValidationError(_("Choose the categories from the list."))
    return list(dict.fromkeys(codes))


def _draft_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data[k] for k in DRAFT_FIELDS if k in data}
    if "categories" in fields:
        fields["categories"] = categories_clean(fields["categories"] or [])
    return fields


def receiver_problems(institution: Institution) -> list[str]:
    """Why no concern can go to this institution: nobody triages its concerns (who does is
    the policy's `receiving_institutions`). The reporter is stopped and told whom to contact
    instead; the concern is never stored where it would reach nobody."""
    if institution.pk in receiving_institutions([institution.pk]):
        return []
    contacts = receiver_contacts(institution)[:CONTACTS_NAMED]
    names = ", ".join(person.get_full_name() or person.get_username() for person in contacts)
    municipality = institution.municipality
    emergency = municipality.jurisdiction.emergency_number
    if names:
        return [
            _(
                "Nobody receives concerns for %(institution)s in earlyhelp yet, so this report "
                "cannot be sent there. Contact %(names)s (%(municipality)s) instead. If a child "
                "is in danger right now, call %(emergency)s."
            )
            % {
                "institution": institution.name,
                "names": names,
                "municipality": municipality.name,
                "emergency": emergency,
            }
        ]
    return [
        _(
            "Nobody receives concerns for %(institution)s in earlyhelp yet, so this report "
            "cannot be sent there. Contact the social services of %(municipality)s instead. If "
            "a child is in danger right now, call %(emergency)s."
        )
        % {
            "institution": institution.name,
            "municipality": municipality.name,
            "emergency": emergency,
        }
    ]


def concern_of_form(*, user, form_token: str) -> Concern | None:
    """The reporter's concern started from this report form, sent or not, if any. The form
    makes its token of letters and digits; anything else (a NUL byte, which PostgreSQL refuses
    in a query) names no form."""
    if not (form_token and form_token.isascii() and form_token.isalnum()):
        return None
    return Concern.objects.filter(reporter=user, form_token=form_token).first()


def _locked_draft(user, concern: Concern) -> Concern:
    """The draft, read again and locked until the transaction ends, so that two requests of
    one form (a double click, an autosave racing Send) take turns; the later one finds it sent
    and is told so, and a sent concern never becomes a draft again."""
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    if locked.status != Concern.Status.DRAFT and locked.reporter_id == user.pk:
        raise ConcernAlreadySent(locked)
    if not can(user, Action.CHANGE, locked):
        raise PermissionDenied
    return locked


def awaiting_written_signal() -> QuerySet:
    """Oral signals whose written signal is still missing, with when it is due: for the daily
    reminders; a page reads them through the policy."""
    missing = ConcernDeadline.objects.filter(
        concern_id=OuterRef("pk"), code=ConcernDeadline.WRITTEN_FOLLOW_UP, met_at__isnull=True
    )
    return Concern.objects.filter(Exists(missing), channel=Concern.Channel.ORAL).annotate(
        written_due=Subquery(missing.values("due_at")[:1])
    )


def _give_feedback(concern: Concern, user, kind: str, measure: str = "") -> None:
    """Record what the reporter is told, tell them, and keep the feedback deadlines."""
    ConcernFeedback.objects.get_or_create(
        concern=concern, kind=kind, defaults={"sent_by": user, "measure": measure}
    )
    if kind != ConcernFeedback.Kind.ACKNOWLEDGED:  # acknowledging keeps its own deadline
        _keep_deadlines(concern, lambda code: code.startswith("feedback"))
    # A private person has no account: the triager passes the recorded feedback on.
    notify(
        recipients=[concern.reporter] if concern.reporter_id else [],
        kind=Notification.Kind.FEEDBACK,
        url=concern.get_absolute_url(),
        event=f"concern:{concern.pk}:feedback:{kind}",
    )


def outcome_feedback(
    concern: Concern, *, decision: str, child_at_risk: bool | None, share_measure_type: bool
) -> tuple[str, str] | None:
    """What the reporter may be told of a decision under the concern's profile: (kind,
    measure), or None. Raises ValidationError when the profile needs an answer not given."""
    rule = feedback_allowed(concern.profile, concern.reporter_kind) if concern.profile else ""
    if rule == Feedback.ACKNOWLEDGEMENT_AND_OUTCOME_TYPE:
        # DK: whether an investigation or measure was started; its type only where relevant
        # to the professional's own support of the child.
        if decision in MEASURES:
            return ConcernFeedback.Kind.MEASURE_STARTED, decision if share_measure_type else ""
        return ConcernFeedback.Kind.NO_MEASURE, ""
    if rule == Feedback.WHETHER_AT_RISK_ON_REQUEST:
        # CZ: only if the reporter asked, and then only whether the child was found at risk.
        if not concern.feedback_requested:
            return None
        if child_at_risk is None:
            raise ValidationError(
                _("The reporter asked to be told whether the child was found to be at risk.")
            )
        return (
            ConcernFeedback.Kind.AT_RISK if child_at_risk else ConcernFeedback.Kind.NOT_AT_RISK
        ), ""
    if rule == Feedback.MUNICIPAL:
        return ConcernFeedback.Kind.ASSESSED, ""
    return None


def _audit(user, action: str, concern: Concern, role: str, request_id: str, changes=None):
    # Every change of a concern is audited here, last: its duties (concerns/duties.py) are
    # brought up to date in the same transaction first.
    refresh_duties(concern)
    audit_record(
        actor=user,
        action=action,
        obj=concern,
        role=role,
        request_id=request_id,
        changes=changes or {},
    )


def _child_rows(concern: Concern, children: list[dict[str, Any]], *, created=False) -> None:
    if len(children) > MAX_CHILDREN:
        raise ValidationError(
            _("Name at most %(count)d children in one report.") % {"count": MAX_CHILDREN}
        )
    if not created:
        concern.children.all().delete()
    ConcernChild.objects.bulk_create(
        ConcernChild(
            concern=concern,
            child=row.get("child"),
            described_as=row.get("described_as", "") or "",
            role=row["role"],
        )
        for row in children
    )


@transaction.atomic
def concern_save_draft(
    *,
    user,
    institution: Institution,
    data: dict[str, Any],
    children: list[dict[str, Any]],
    concern: Concern | None = None,
    form_token: str = "",
    follows_up: Concern | None = None,
    role: str = "",
    request_id: str = "",
) -> Concern:
    """Create a draft or save the reporter's changes to it; nothing is checked for
    completeness yet, so a half-written report is never lost. A draft has one author, so the
    latest save wins: an autosave still on its way never blocks the author's own "Send".
    A form's token names its one concern: a second request of the same form finds it (even
    one created a moment ago by a parallel request), and once it is sent the token is spent
    (`ConcernAlreadySent`). `follows_up` is the reporter's own oral signal that this written
    one follows (HU)."""
    if institution.pk not in reporting_institutions(user):
        raise PermissionDenied
    problems = receiver_problems(institution)
    if problems:
        raise ValidationError(problems)
    fields = _draft_fields(data)
    if follows_up is not None:
        if follows_up.reporter_id != user.pk or follows_up.channel != Concern.Channel.ORAL:
            raise PermissionDenied
        fields["follows_up"] = follows_up
    if concern is None:
        concern = concern_of_form(user=user, form_token=form_token)
    if concern is None:
        try:
            with transaction.atomic():
                concern = Concern.objects.create(
                    municipality_id=institution.municipality_id,
                    institution=institution,
                    reporter=user,
                    form_token=form_token,
                    **fields,
                )
        except IntegrityError:
            # A parallel request of the same form created it first (the unique token): this
            # one is a later save of that draft, or finds it sent.
            concern = concern_of_form(user=user, form_token=form_token)
            if concern is None:
                raise ValidationError(
                    _("This form is damaged: open the report form again.")
                ) from None
        else:
            _audit(user, "create", concern, role, request_id, {"status": [None, "draft"]})
            _child_rows(concern, children, created=True)
            return concern
    concern = _locked_draft(user, concern)
    update_versioned(
        concern,
        expected_version=concern.version,
        fields={**fields, "institution_id": institution.pk},
    )
    concern.institution = institution
    _child_rows(concern, children)
    return concern


def concern_send(
    *,
    user,
    institution: Institution,
    data: dict[str, Any],
    children: list[dict[str, Any]],
    concern: Concern | None = None,
    form_token: str = "",
    follows_up: Concern | None = None,
    uploads=(),
    role: str = "",
    request_id: str = "",
) -> Concern:
    """The report form's "Send": save the reporter's last changes, attach their files and
    send, in one transaction under a lock on the draft. Two Sends of one form, or an autosave
    racing Send, send one concern; the later request is told (`ConcernAlreadySent`). So is a
    Send of exactly the report the reporter sent moments ago under another token (Back, then
    Send): its duplicate draft is dropped. An incomplete report stays a draft with the changes
    saved, and `ReportNotSent` says what is missing."""
    duplicate = None
    with transaction.atomic():
        draft = concern_save_draft(
            user=user,
            institution=institution,
            data=data,
            children=children,
            concern=concern,
            form_token=form_token,
            follows_up=follows_up,
            role=role,
            request_id=request_id,
        )
        problems = []
        if uploads:
            try:
                concern_attach(
                    user=user, concern=draft, uploads=uploads, role=role, request_id=request_id
                )
            except ValidationError as error:
                problems.extend(error.messages)
        problems.extend(submission_problems(draft))
        if not problems:
            duplicate = _same_report_sent(draft)
            if duplicate is None:
                return _receive(
                    draft,
                    received_at=timezone.now(),
                    user=user,
                    version=draft.version,
                    role=role,
                    request_id=request_id,
                )
            _audit(user, "delete", draft, role, request_id, {"same_as": [None, duplicate.pk]})
            draft.delete()
    if duplicate is not None:
        raise ConcernAlreadySent(duplicate)
    raise ReportNotSent(problems, draft=draft)


def _report_content(concern: Concern) -> tuple:
    """What makes two reports the same report: every answer and every child named."""
    children = sorted(
        (link.child_id or 0, link.described_as, link.role) for link in concern.children.all()
    )
    return (
        concern.institution_id,
        concern.immediate_danger,
        concern.what_happened.strip(),
        concern.child_words.strip(),
        sorted(concern.categories),
        concern.already_done.strip(),
        concern.parents_know,
        concern.parents_not_told_why.strip(),
        concern.feedback_requested,
        concern.follows_up_id,
        children,
    )


def _same_report_sent(draft: Concern) -> Concern | None:
    """The concern the reporter sent within `SAME_REPORT_WINDOW` with exactly this draft's
    content, if any. A draft with files of its own is new content."""
    if draft.reporter_id is None or draft.attachments.exists():
        return None
    recent = (
        Concern.objects.filter(
            reporter_id=draft.reporter_id,
            institution_id=draft.institution_id,
            what_happened=draft.what_happened,
            received_at__gte=timezone.now() - SAME_REPORT_WINDOW,
        )
        .exclude(status=Concern.Status.DRAFT)
        .exclude(pk=draft.pk)
        .order_by("-received_at")
    )
    content = _report_content(draft)
    return next((sent for sent in recent if _report_content(sent) == content), None)


@transaction.atomic
def concern_report(
    *,
    user,
    institution: Institution,
    data: dict[str, Any],
    children: list[dict[str, Any]],
    role: str = "",
    request_id: str = "",
) -> Concern:
    """Report and send in one step (another system, through the API): the concern is created
    as sent, with one audit row. Nothing is stored if it cannot be sent, nor if nobody would
    receive it (`receiver_problems`)."""
    if institution.pk not in reporting_institutions(user):
        raise PermissionDenied
    problems = receiver_problems(institution)
    if problems:
        raise ValidationError(problems)
    concern = Concern.objects.create(
        municipality=institution.municipality,
        institution=institution,
        reporter=user,
        **_draft_fields(data),
    )
    _child_rows(concern, children, created=True)
    problems = submission_problems(concern, has_children=bool(children))
    if problems:
        raise ValidationError(problems)
    return _receive(
        concern,
        received_at=timezone.now(),
        user=user,
        version=concern.version,
        role=role,
        request_id=request_id,
        created=True,
    )


def submission_problems(concern: Concern, *, has_children: bool | None = None) -> list[str]:
    """What a report still lacks before it can be sent, in the reporter's words
    (`has_children`: whether it names a child, where the caller has just written them)."""
    problems = []
    if not (concern.children.exists() if has_children is None else has_children):
        problems.append(_("Name at least one child, or describe a child who is not in the list."))
    if not concern.what_happened.strip():
        problems.append(_("Describe what you saw or heard."))
    if not concern.categories:
        problems.append(_("Choose at least one thing the concern is about."))
    if not concern.parents_know:
        problems.append(_("Say whether the parents know about the concern."))
    elif (
        concern.parents_know == Concern.ParentsKnow.NO and not concern.parents_not_told_why.strip()
    ):
        problems.append(_("Say why the parents do not know."))
    return problems


# Categories that suggest serious neglect or abuse: where the profile says so (HU), the
# reporter's identity is then kept confidential. A triager may also mark it for any concern.
SERIOUS_CATEGORIES = frozenset(
    {
        Category.PHYSICAL_HARM,
        Category.SEXUAL_HARM,
        Category.EMOTIONAL_HARM,
        Category.DOMESTIC_VIOLENCE,
    }
)


def _suggests_serious_harm(concern: Concern) -> bool:
    return concern.immediate_danger or bool(SERIOUS_CATEGORIES & set(concern.categories))


def _receive(
    concern: Concern,
    *,
    received_at,
    user,
    version: int,
    role: str,
    request_id: str,
    created: bool = False,
):
    """The concern is received at `received_at` under the profile in force now: its deadlines
    are computed once and stored, the triagers are told, and it is audited."""
    profile = profile_for(concern.municipality)
    confidential = concern.reporter_confidential or identity_confidential(
        profile, serious_neglect_or_abuse=_suggests_serious_harm(concern)
    )
    update_versioned(
        concern,
        expected_version=version,
        fields={
            "status": Concern.Status.SUBMITTED,
            "received_at": received_at,
            "profile": profile,
            "reporter_confidential": confidential,
        },
    )
    # Stored in the project's language; pages translate the label for each reader.
    with translation.override(settings.LANGUAGE_CODE):
        due = deadlines_for(
            profile=profile,
            municipality=concern.municipality,
            received_at=received_at,
            reporter_kind=concern.reporter_kind,
            immediate_danger=concern.immediate_danger,
            reporter_requested_feedback=concern.feedback_requested,
            oral_signal=concern.channel == Concern.Channel.ORAL,
        )
        ConcernDeadline.objects.bulk_create(
            ConcernDeadline(
                concern=concern,
                code=d.code,
                label=str(d.label),
                basis=str(d.basis),
                due_at=d.due_at,
            )
            for d in due
        )
    refresh_next_due([concern.pk])
    if concern.follows_up_id:
        # The written signal that follows an oral one: the oral one's reminder stops.
        _keep_deadlines(concern.follows_up, lambda code: code == ConcernDeadline.WRITTEN_FOLLOW_UP)
    # Immediate danger reaches every triager and their supervisor at once, queue or no queue.
    notify(
        recipients=triagers_for(concern.institution_id).exclude(pk=user.pk),
        kind=Notification.Kind.IMMEDIATE_DANGER
        if concern.immediate_danger
        else Notification.Kind.NEW_CONCERN,
        url=concern.get_absolute_url(),
        event=f"concern:{concern.pk}:submitted",
    )
    if concern.channel == Concern.Channel.ORAL and any(
        d.code == ConcernDeadline.WRITTEN_FOLLOW_UP for d in due
    ):
        remind_written_signal(concern, today=timezone.localdate())
    # Audited last: appending to the audit chain holds its lock until the commit, so the less
    # work after it, the less other writers wait.
    _audit(
        user,
        "create" if created else "change",
        concern,
        role,
        request_id,
        {
            "status": [None if created else "draft", "submitted"],
            "profile": [None, f"{profile.key}@{profile.version}"],
            "channel": [None, concern.channel],
            "reporter_confidential": [None, confidential],
        },
    )
    return concern


@transaction.atomic
def concern_submit(*, user, concern: Concern, version: int, role: str = "", request_id: str = ""):
    """Send the report: it is received now, under the profile in force now, and its deadlines
    are computed and stored. Immediate danger bypasses every queue: it sorts first. Sent
    already: `ConcernAlreadySent`."""
    concern = _locked_draft(user, concern)
    problems = receiver_problems(concern.institution) + submission_problems(concern)
    if problems:
        raise ValidationError(problems)
    return _receive(
        concern,
        received_at=timezone.now(),
        user=user,
        version=version,
        role=role,
        request_id=request_id,
    )


# How far back a report that reached a triager outside earlyhelp may be recorded.
RECORD_MAX_AGE_DAYS = 30


def recording_problems(
    concern: Concern, *, received_at, reporter, reporter_name: str, reporter_contact: str
) -> list[str]:
    """What makes a report received outside earlyhelp impossible to record as given, under the
    profile of the concern's municipality."""
    profile = profile_for(concern.municipality)
    problems = []
    now = timezone.now()
    if received_at > now + timedelta(minutes=5):
        problems.append(_("The time of receipt cannot be in the future."))
    elif received_at < now - timedelta(days=RECORD_MAX_AGE_DAYS):
        problems.append(
            _("Record a report within %(days)d days of receiving it.")
            % {"days": RECORD_MAX_AGE_DAYS}
        )
    if concern.reporter_kind == Concern.ReporterKind.PROFESSIONAL:
        if reporter is None:
            problems.append(_("Choose the professional who gave the signal."))
        elif concern.institution_id not in reporting_institutions(reporter):
            problems.append(_("The reporter does not work at this institution."))
        if concern.channel == Concern.Channel.ORAL and written_signal_required(
            profile, Concern.ReporterKind.PROFESSIONAL
        ):
            if not oral_allowed_when_urgent(profile, Concern.ReporterKind.PROFESSIONAL):
                problems.append(
                    _(
                        "Here a professional reports in writing: ask them to send the report "
                        "in earlyhelp."
                    )
                )
            elif not concern.immediate_danger:
                problems.append(
                    _(
                        "A professional may signal orally only when the child may be in "
                        "immediate danger; otherwise they report in writing."
                    )
                )
    elif not reporter_name.strip() and not anonymous_allowed(profile, concern.reporter_kind):
        problems.append(
            _("Here a private person cannot report anonymously: write down their name.")
        )
    return problems + submission_problems(concern)


@transaction.atomic
def concern_record(
    *,
    user,
    institution: Institution,
    data: dict[str, Any],
    children: list[dict[str, Any]],
    channel: str,
    reporter_kind: str,
    received_at,
    reporter=None,
    reporter_name: str = "",
    reporter_contact: str = "",
    role: str = "",
    request_id: str = "",
) -> Concern:
    """Record a report that reached a triager outside earlyhelp: a phone call, a letter, a
    visit, from a professional or a private person. It is received when it reached the
    triager, and its deadlines count from then. Nothing is stored if anything is wrong."""
    if institution.pk not in triage_institutions(user):
        raise PermissionDenied
    is_private = reporter_kind == Concern.ReporterKind.CITIZEN
    if not is_private and reporter is None:
        # Before the row: the database refuses a professional's report without its reporter.
        raise ValidationError(_("Choose the professional who gave the signal."))
    concern = Concern.objects.create(
        municipality_id=institution.municipality_id,
        institution=institution,
        reporter=None if is_private else reporter,
        reporter_kind=reporter_kind,
        reporter_name=reporter_name.strip() if is_private else "",
        reporter_contact=reporter_contact.strip() if is_private else "",
        channel=channel,
        received_by=user,
        **_draft_fields(data),
    )
    _child_rows(concern, children)
    problems = recording_problems(
        concern,
        received_at=received_at,
        reporter=None if is_private else reporter,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
    )
    if problems:
        raise ValidationError(problems)
    return _receive(
        concern,
        received_at=received_at,
        user=user,
        version=concern.version,
        role=role,
        request_id=request_id,
        created=True,
    )


def receivers_check(*, today=None) -> int:
    """Tell the supervisors and administrators of each municipality of every institution
    where someone may report a concern that nobody would receive (`unreceived_institutions`),
    once a day however often it runs. Administrators are led to the institution in the
    administration, supervisors to the memberships awaiting their approval."""
    today = today or timezone.localdate()
    created = 0
    gaps = unreceived_institutions(Institution.objects.all()).order_by("municipality_id", "pk")
    for institution in gaps:
        event = f"institution:{institution.pk}:no_receiver:{today.isoformat()}"
        for roles, url in (
            (
                [Role.ADMIN],
                reverse("admin:organisations_institution_change", args=[institution.pk]),
            ),
            ([Role.SUPERVISOR], reverse("organisations:approvals")),
        ):
            created += notify(
                recipients=workers(roles, municipalities=[institution.municipality_id]),
                kind=Notification.Kind.NO_RECEIVER,
                url=url,
                event=event,
            )
    return created


def remind_written_signal(concern: Concern, *, today) -> int:
    """Remind the reporter of an oral signal that the written one is due: once a day while it
    is missing."""
    if concern.reporter_id is None:
        return 0
    return notify(
        recipients=[concern.reporter],
        kind=Notification.Kind.WRITTEN_SIGNAL_DUE,
        url=reverse("concerns:follow_up", args=[concern.pk]),
        event=f"concern:{concern.pk}:written_signal_due:{today.isoformat()}",
    )


def remind_written_signals(*, today=None) -> int:
    """Today's reminders for every oral signal whose written signal is still missing."""
    today = today or timezone.localdate()
    waiting = awaiting_written_signal().select_related("reporter")
    return sum(remind_written_signal(concern, today=today) for concern in waiting)


@transaction.atomic
def concern_mark_confidential(
    *, user, concern: Concern, version: int, role: str = "", request_id: str = ""
) -> Concern:
    """Keep the reporter's identity confidential from now on (a triager's judgment that the
    concern suggests serious neglect or abuse). It is never undone."""
    if not can(user, Action.VIEW_DECISION, concern):
        raise PermissionDenied
    if concern.reporter_confidential:
        return concern
    update_versioned(concern, expected_version=version, fields={"reporter_confidential": True})
    _audit(user, "change", concern, role, request_id, {"reporter_confidential": [False, True]})
    return concern


def _keep_deadlines(concern: Concern, kept_by_this_step) -> None:
    """Mark as met the open deadlines whose code `kept_by_this_step(code)` accepts."""
    open_ones = concern.deadlines.filter(met_at__isnull=True).values_list("pk", "code")
    kept = [pk for pk, code in open_ones if kept_by_this_step(code)]
    if kept:
        ConcernDeadline.objects.filter(pk__in=kept).update(met_at=timezone.now())
        refresh_next_due([concern.pk])


@transaction.atomic
def concern_acknowledge(
    *, user, concern: Concern, version: int, role: str = "", request_id: str = ""
):
    if not can(user, Action.TRIAGE, concern) or concern.status != Concern.Status.SUBMITTED:
        raise PermissionDenied
    update_versioned(
        concern, expected_version=version, fields={"status": Concern.Status.ACKNOWLEDGED}
    )
    _keep_deadlines(concern, lambda code: code.startswith("acknowledg"))
    rule = feedback_allowed(concern.profile, concern.reporter_kind) if concern.profile else ""
    if rule == Feedback.ACKNOWLEDGEMENT_AND_OUTCOME_TYPE:
        # DK: a professional notifier is told that the report was received.
        _give_feedback(concern, user, ConcernFeedback.Kind.ACKNOWLEDGED)
    _audit(user, "change", concern, role, request_id, {"status": ["submitted", "acknowledged"]})
    return concern


@transaction.atomic
def concern_decide(
    *,
    user,
    concern: Concern,
    decision: str,
    reason: str,
    version: int,
    child_at_risk: bool | None = None,
    share_measure_type: bool = False,
    role: str = "",
    request_id: str = "",
) -> Concern:
    """Record the triage decision. Two triagers deciding at once: the first wins, the second
    is refused by the version check and told."""
    if not can(user, Action.TRIAGE, concern):
        raise PermissionDenied
    if decision not in Concern.Decision.values:
        raise ValidationError(_("Choose a decision."))
    if not reason.strip():
        raise ValidationError(_("A decision needs a reason."))
    feedback = outcome_feedback(
        concern,
        decision=decision,
        child_at_risk=child_at_risk,
        share_measure_type=share_measure_type,
    )
    before = concern.status
    update_versioned(
        concern,
        expected_version=version,
        fields={
            "status": Concern.Status.TRIAGED,
            "decision": decision,
            "decision_reason": reason.strip(),
            "decided_by": user,
            "decided_at": timezone.now(),
        },
    )
    _keep_deadlines(concern, lambda code: not code.startswith(FEEDBACK_CODES))
    if feedback is not None:
        _give_feedback(concern, user, *feedback)
    _audit(
        user,
        "change",
        concern,
        role,
        request_id,
        {
            "status": [before, "triaged"],
            "decision": [None, decision],
            "feedback": [None, feedback[0] if feedback else None],
        },
    )
    return concern


@transaction.atomic
def concern_attach(
    *, user, concern: Concern, uploads, role: str = "", request_id: str = ""
) -> list[ConcernAttachment]:
    """Attach photos or PDFs to the reporter's draft. Every file is checked first, so one bad
    file attaches none and the reporter is told which and why."""
    if not can(user, Action.CHANGE, concern):
        raise PermissionDenied
    errors, checked = [], []
    for upload in uploads:
        try:
            checked.append(checked_upload(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    attached = [
        ConcernAttachment.objects.create(
            concern=concern,
            file=upload.file,
            original_name=upload.display_name,
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by=user,
        )
        for upload in checked
    ]
    if attached:
        _audit(user, "change", concern, role, request_id, {"attachments": [None, len(attached)]})
    return attached


@transaction.atomic
def concern_match_child(
    *, user, concern: Concern, link: ConcernChild, child, role: str = "", request_id: str = ""
) -> ConcernChild:
    """Match a child described in a report ("not in the list") to their record."""
    if not can(user, Action.VIEW_DECISION, concern) or not can(user, Action.VIEW_DETAILS, child):
        raise PermissionDenied
    if link.child_id is not None:
        raise ValidationError(_("This child is already matched to a record."))
    link.child = child
    link.save(update_fields=["child"])
    _audit(
        user,
        "change",
        concern,
        role,
        request_id,
        {"matched": [link.described_as, child.pk]},
    )
    return link


@transaction.atomic
def concern_close(*, user, concern: Concern, version: int, role: str = "", request_id: str = ""):
    if not can(user, Action.CLOSE, concern):
        raise PermissionDenied
    update_versioned(
        concern,
        expected_version=version,
        fields={"status": Concern.Status.CLOSED, "closed_at": timezone.now()},
    )
    _audit(user, "change", concern, role, request_id, {"status": ["triaged", "closed"]})
    return concern


@transaction.atomic
def concern_message(
    *, user, concern: Concern, body: str, role: str = "", request_id: str = ""
) -> ConcernMessage:
    if not can(user, Action.MESSAGE, concern):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a message."))
    message = ConcernMessage.objects.create(concern=concern, author=user, body=body)
    others = (
        triagers_for(concern.institution_id)
        if user.pk == concern.reporter_id
        else [concern.reporter]
    )
    notify(
        recipients=[u for u in others if u.pk != user.pk],
        kind=Notification.Kind.MESSAGE,
        url=f"{concern.get_absolute_url()}#conversation",
        event=f"message:{message.pk}",
    )
    _audit(user, "change", concern, role, request_id, {"message": [None, message.pk]})
    return message
