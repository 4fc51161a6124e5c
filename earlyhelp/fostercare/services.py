"""Supporting foster carers: households, carers, placements and support agreements; visits,
training and respite recorded against the agreement; the methodology's steps and the carers'
development plan. Every change is checked against the policy, done in one transaction and
audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can
from earlyhelp.audit.services import audit_record
from earlyhelp.core.versioning import proposed, update_versioned
from earlyhelp.duties.services import refresh
from earlyhelp.fostercare.access import fostercare_services
from earlyhelp.fostercare.models import (
    Carer,
    ChecklistStep,
    DevelopmentItem,
    Household,
    Placement,
    Respite,
    SupportAgreement,
    Training,
    Visit,
)
from earlyhelp.knowledge.items import Kind, current_version
from earlyhelp.people.models import Adult
from earlyhelp.programmes.services import programmes_link

HOUSEHOLD_FIELDS = ("name", "address", "address_protected", "active")
PLACEMENT_FIELDS = ("kind", "starts_on", "ends_on")
AGREEMENT_FIELDS = ("key_worker", "reference", "signed_on", "ends_on")
# Records are not dated further ahead than this (a date typed a year wrong is refused).
FUTURE_DAYS = 7


def _require(user, action: str, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def _audit(
    user, action: str, obj, changes: dict, role: str, request_id: str, subject: str | None = None
) -> None:
    audit_record(
        actor=user, action=action, obj=obj, role=role, request_id=request_id, changes=changes,
        subject=subject,
    )  # fmt: skip
    # Every change of a household and what belongs to it passes here: its duties follow.
    household = obj if isinstance(obj, Household) else getattr(obj, "household", None)
    if isinstance(household, Household):
        refresh(household)


def _adult_update(user, adult_ids, fields: dict, role: str, request_id: str) -> None:
    """A change this service makes to the carers' own records: versioned and audited on each
    adult, as if it were made on the adult's page."""
    adults = list(Adult.objects.filter(pk__in=adult_ids))
    if not adults:
        return
    Adult.objects.filter(pk__in=[a.pk for a in adults]).update(
        **fields, updated_at=timezone.now(), version=F("version") + 1
    )
    for adult in adults:
        changes = {n: [getattr(adult, n), v] for n, v in fields.items() if getattr(adult, n) != v}
        audit_record(
            actor=user, action="change", obj=adult, role=role, request_id=request_id,
            changes=changes,
        )  # fmt: skip


def _changes(before: dict, fields: dict) -> dict:
    return {n: [str(before[n]), str(v)] for n, v in fields.items() if before[n] != v}


def _not_future(day: date, field: str) -> None:
    if (day - timezone.localdate()).days > FUTURE_DAYS:
        raise ValidationError({field: _("This date lies in the future.")})


def _protect_carers(user, household: Household, role: str, request_id: str) -> None:
    """The carers' own address is protected as soon as they are carers: the child's other
    workers (the birth family's side among them) may open the carers' records through their
    relationship to the child, and must not learn where the child lives."""
    unprotected = Adult.objects.filter(
        pk__in=household.carers.values("adult_id"), address_protected=False
    ).values_list("pk", flat=True)
    _adult_update(user, list(unprotected), {"address_protected": True}, role, request_id)


@transaction.atomic
def household_create(
    *, user, service, data: dict, role: str = "", request_id: str = ""
) -> Household:
    if service.pk not in fostercare_services(user):
        raise PermissionDenied
    fields = {name: data[name] for name in HOUSEHOLD_FIELDS if name in data}
    fields["address"] = fields.get("address") or ""
    # The household follows the service's support method as it is today, for good.
    household = Household(
        municipality_id=service.municipality_id, service=service, created_by=user,
        steps_version=current_version(service, Kind.FOSTERCARE_STEPS), **fields,
    )  # fmt: skip
    household.full_clean(exclude=["created_by"])
    household.save()
    _audit(user, "create", household, {"name": [None, household.name]}, role, request_id)
    return household


@transaction.atomic
def household_update(
    *, user, household: Household, data: dict, version: int, role: str = "",
    request_id: str = "",
) -> Household:  # fmt: skip
    _require(user, Action.CHANGE, household)
    fields = {name: data[name] for name in HOUSEHOLD_FIELDS if name in data}
    if "address" in fields:
        fields["address"] = fields["address"] or ""
    if not (fields.get("name") or household.name).strip():
        raise ValidationError(_("Give the household a name."))
    before = {name: getattr(household, name) for name in fields}
    update_versioned(household, expected_version=version, fields=fields)
    _protect_carers(user, household, role, request_id)
    _audit(user, "change", household, _changes(before, fields), role, request_id)
    return household


@transaction.atomic
def carer_add(
    *, user, household: Household, adult: Adult, since: date | None = None, role: str = "",
    request_id: str = "",
) -> Carer:  # fmt: skip
    """An adult already in the people register (a grandparent, say) becomes a carer."""
    _require(user, Action.CHANGE, adult)
    return _carer_add(
        user=user, household=household, adult=adult, since=since, role=role,
        request_id=request_id,
    )  # fmt: skip


def _carer_add(
    *, user, household: Household, adult: Adult, since: date | None, role: str, request_id: str
) -> Carer:
    _require(user, Action.CHANGE, household)
    if adult.municipality_id != household.municipality_id:
        raise ValidationError(_("The carer and the household belong to different municipalities."))
    if household.carers.filter(adult=adult).exists():
        raise ValidationError(_("This person is already a carer of the household."))
    carer = Carer.objects.create(household=household, adult=adult, since=since)
    if adult.kind == Adult.Kind.OTHER:
        _adult_update(user, [adult.pk], {"kind": Adult.Kind.FOSTER_CARER}, role, request_id)
    _protect_carers(user, household, role, request_id)
    _audit(
        user, "change", household, {"carer": [None, str(adult)]}, role, request_id,
        subject=f"people.adult:{adult.pk}",
    )  # fmt: skip
    return carer


@transaction.atomic
def carer_create(
    *, user, household: Household, given_name: str, family_name: str, phone: str = "",
    since: date | None = None, role: str = "", request_id: str = "",
) -> Carer:  # fmt: skip
    """A carer who is not in the people register yet: recorded as a foster-carer adult."""
    _require(user, Action.CHANGE, household)
    adult = Adult(
        municipality_id=household.municipality_id, given_name=given_name.strip(),
        family_name=family_name.strip(), kind=Adult.Kind.FOSTER_CARER, phone=phone,
        address_protected=household.address_protected,
    )  # fmt: skip
    adult.full_clean()
    adult.save()
    _audit(user, "create", adult, {"kind": [None, adult.kind]}, role, request_id)
    return _carer_add(
        user=user, household=household, adult=adult, since=since, role=role,
        request_id=request_id,
    )  # fmt: skip


def _check_placement(placement: Placement) -> None:
    placement.full_clean(exclude=["household", "child", "municipality"])
    overlapping = Placement.objects.filter(child_id=placement.child_id).exclude(pk=placement.pk)
    if placement.ends_on:
        overlapping = overlapping.filter(starts_on__lte=placement.ends_on)
    overlapping = overlapping.exclude(ends_on__lt=placement.starts_on)
    if overlapping.exists():
        raise ValidationError(_("The child is placed elsewhere at that time."))


@transaction.atomic
def placement_create(
    *, user, household: Household, child, data: dict, role: str = "", request_id: str = ""
) -> Placement:
    _require(user, Action.CHANGE, household)
    if not can(user, Action.VIEW, child):
        raise PermissionDenied
    if child.municipality_id != household.municipality_id:
        raise ValidationError(_("The child and the household belong to different municipalities."))
    placement = Placement(
        household=household, municipality_id=household.municipality_id, child=child,
        **{name: data.get(name) for name in PLACEMENT_FIELDS},
    )  # fmt: skip
    _check_placement(placement)
    placement.save()
    _audit(user, "create", placement, {"kind": [None, placement.kind]}, role, request_id)
    return placement


@transaction.atomic
def placement_update(
    *, user, placement: Placement, data: dict, version: int, role: str = "",
    request_id: str = "",
) -> Placement:  # fmt: skip
    _require(user, Action.CHANGE, placement)
    fields = {name: data[name] for name in PLACEMENT_FIELDS if name in data}
    probe = proposed(placement, fields)
    _check_placement(probe)
    before = {name: getattr(placement, name) for name in fields}
    update_versioned(placement, expected_version=version, fields=fields)
    _audit(user, "change", placement, _changes(before, fields), role, request_id)
    return placement


def _check_agreement(agreement: SupportAgreement) -> None:
    agreement.full_clean(exclude=["household", "municipality", "service", "key_worker"])
    if agreement.service_id not in fostercare_services(agreement.key_worker):
        raise ValidationError(_("The key worker must work in the household's service."))
    others = SupportAgreement.objects.filter(household_id=agreement.household_id).exclude(
        pk=agreement.pk
    )
    if agreement.ends_on:
        others = others.filter(signed_on__lte=agreement.ends_on)
    if others.exclude(ends_on__lt=agreement.signed_on).exists():
        raise ValidationError(_("Another agreement of the household runs at that time."))


@transaction.atomic
def agreement_create(
    *, user, household: Household, data: dict, role: str = "", request_id: str = ""
) -> SupportAgreement:
    _require(user, Action.CHANGE, household)
    agreement = SupportAgreement(
        household=household, municipality_id=household.municipality_id,
        service_id=household.service_id,
        **{name: data.get(name) for name in AGREEMENT_FIELDS},
    )  # fmt: skip
    agreement.reference = agreement.reference or ""
    _check_agreement(agreement)
    agreement.save()
    linked = programmes_link(user=user, record=agreement, chosen=data.get("programmes"))
    _audit(user, "create", agreement, {"signed_on": [None, str(agreement.signed_on)], **linked},
           role, request_id)  # fmt: skip
    return agreement


@transaction.atomic
def agreement_update(
    *, user, agreement: SupportAgreement, data: dict, version: int, role: str = "",
    request_id: str = "",
) -> SupportAgreement:  # fmt: skip
    _require(user, Action.CHANGE, agreement)
    fields = {name: data[name] for name in AGREEMENT_FIELDS if name in data}
    if "reference" in fields:
        fields["reference"] = fields["reference"] or ""
    probe = proposed(agreement, fields)
    _check_agreement(probe)
    before = {name: getattr(agreement, name) for name in fields}
    update_versioned(agreement, expected_version=version, fields=fields)
    changes = _changes(before, fields)
    if "programmes" in data:
        changes.update(programmes_link(user=user, record=agreement, chosen=data["programmes"]))
    _audit(user, "change", agreement, changes, role, request_id)
    return agreement


@transaction.atomic
def visit_record(
    *, user, household: Household, kind: str, on: date, note: str = "", role: str = "",
    request_id: str = "",
) -> Visit:  # fmt: skip
    _require(user, Action.CHANGE, household)
    if kind not in Visit.Kind.values:
        raise ValidationError(_("Choose the kind of contact."))
    _not_future(on, "on")
    visit = Visit.objects.create(
        household=household, municipality_id=household.municipality_id, kind=kind, on=on,
        by=user, note=note.strip(),
    )  # fmt: skip
    _audit(user, "create", visit, {"kind": [None, kind], "on": [None, str(on)]}, role, request_id)
    return visit


@transaction.atomic
def training_record(
    *, user, household: Household, carer: Carer, on: date, title: str, hours: Decimal,
    role: str = "", request_id: str = "",
) -> Training:  # fmt: skip
    _require(user, Action.CHANGE, household)
    if carer.household_id != household.pk:
        raise ValidationError(_("Choose a carer of this household."))
    if hours is None or hours <= 0:
        raise ValidationError({"hours": _("Enter the hours attended (more than 0).")})
    if hours > 200:
        raise ValidationError({"hours": _("Check the hours: more than 200 in one training.")})
    if not title.strip():
        raise ValidationError({"title": _("Name the training.")})
    _not_future(on, "on")
    training = Training.objects.create(
        household=household, municipality_id=household.municipality_id, carer=carer, on=on,
        title=title.strip(), hours=hours, recorded_by=user,
    )  # fmt: skip
    _audit(user, "create", training, {"hours": [None, str(hours)]}, role, request_id)
    return training


@transaction.atomic
def respite_record(
    *, user, household: Household, placement: Placement, starts_on: date, ends_on: date,
    note: str = "", role: str = "", request_id: str = "",
) -> Respite:  # fmt: skip
    _require(user, Action.CHANGE, household)
    if placement.household_id != household.pk:
        raise ValidationError(_("Choose a child placed with this household."))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The respite ends before it starts.")})
    if (ends_on - starts_on).days > 60:
        raise ValidationError({"ends_on": _("Check the dates: more than 60 days of respite.")})
    if starts_on < placement.starts_on or (placement.ends_on and ends_on > placement.ends_on):
        raise ValidationError(_("The respite lies outside the child's placement."))
    clash = Respite.objects.filter(
        placement=placement, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if clash.exists():
        raise ValidationError(_("Respite is already recorded for some of these days."))
    respite = Respite.objects.create(
        household=household, municipality_id=household.municipality_id, placement=placement,
        starts_on=starts_on, ends_on=ends_on, note=note.strip(), recorded_by=user,
    )  # fmt: skip
    _audit(
        user, "create", respite, {"days": [None, respite.days]}, role, request_id,
        subject=f"people.child:{placement.child_id}",
    )  # fmt: skip
    return respite


@transaction.atomic
def step_set(
    *, user, household: Household, step: str, done: bool, on: date | None = None,
    role: str = "", request_id: str = "",
) -> ChecklistStep | None:  # fmt: skip
    """Mark a step of the methodology done (on a day) or not done."""
    _require(user, Action.CHANGE, household)
    if step not in household.method_steps.codes:
        raise ValidationError(_("Not a step of this household's support method."))
    existing = household.steps.filter(step=step).first()
    if not done:
        if existing is not None:
            existing.delete()
            _audit(user, "change", household, {step: [str(existing.done_on), None]}, role,
                   request_id)  # fmt: skip
        return None
    on = on or timezone.localdate()
    _not_future(on, "on")
    if existing is not None:
        return existing
    row = ChecklistStep.objects.create(household=household, step=step, done_on=on, done_by=user)
    _audit(user, "change", household, {step: [None, str(on)]}, role, request_id)
    return row


@transaction.atomic
def development_item_create(
    *, user, household: Household, goal: str, how: str = "", due_on: date | None = None,
    carer: Carer | None = None, role: str = "", request_id: str = "",
) -> DevelopmentItem:  # fmt: skip
    _require(user, Action.CHANGE, household)
    if not goal.strip():
        raise ValidationError({"goal": _("Write the goal.")})
    if carer is not None and carer.household_id != household.pk:
        raise ValidationError(_("Choose a carer of this household."))
    item = DevelopmentItem.objects.create(
        household=household, municipality_id=household.municipality_id, carer=carer,
        goal=goal.strip(), how=how.strip(), due_on=due_on, created_by=user,
    )  # fmt: skip
    _audit(user, "create", item, {"goal": [None, item.goal]}, role, request_id)
    return item


@transaction.atomic
def development_item_done(
    *, user, item: DevelopmentItem, done_on: date | None, version: int, role: str = "",
    request_id: str = "",
) -> DevelopmentItem:  # fmt: skip
    _require(user, Action.CHANGE, item)
    if done_on is not None:
        _not_future(done_on, "done_on")
    before = item.done_on
    update_versioned(item, expected_version=version, fields={"done_on": done_on})
    _audit(user, "change", item, {"done_on": [str(before), str(done_on)]}, role, request_id)
    return item


def _alert_recipients(service_ids) -> dict[int, list]:
    """Per service, its active supervisors."""
    from earlyhelp.organisations.models import Membership, Role

    table: dict[int, list] = {}
    for membership in (
        Membership.objects.active()
        .filter(role=Role.SUPERVISOR, service_id__in=service_ids, user__is_active=True)
        .select_related("user")
    ):
        table.setdefault(membership.service_id, []).append(membership.user)
    return table


def requirements_due(households, today: date | None = None):
    """The requirements of these households that fall due within 30 days or were missed, each
    with who is told: `(compliance, requirement, recipients)`, the key worker and the service's
    supervisors (active accounts only). Behind the daily alerts and the start page's duties."""
    from earlyhelp.fostercare.rules import compliance_for

    today = today or timezone.localdate()
    compliances = [c for c in compliance_for(households, today) if c.agreement is not None]
    supervisors = _alert_recipients({c.agreement.service_id for c in compliances})
    for compliance in compliances:
        recipients = {compliance.agreement.key_worker}
        recipients.update(supervisors.get(compliance.agreement.service_id, []))
        recipients = {u for u in recipients if u.is_active}
        for requirement in compliance.requirements:
            if requirement.alerting:
                yield compliance, requirement, recipients


@transaction.atomic
def requirement_alerts(today: date | None = None) -> int:
    """Tell the key worker and the service's supervisors of every requirement that falls due
    within 30 days or was missed: once per requirement, due date and status, however often
    this runs. Returns how many notifications are new."""
    from earlyhelp.notifications.models import Notification
    from earlyhelp.notifications.services import notify

    households = Household.objects.filter(active=True).order_by("pk")
    created = 0
    for compliance, requirement, recipients in requirements_due(households, today):
        who = f":{requirement.carer.pk}" if requirement.carer else ""
        created += notify(
            recipients=recipients,
            kind=Notification.Kind.FOSTER_REQUIREMENT_DUE,
            url=compliance.household.get_absolute_url(),
            event=(
                f"foster:{compliance.household.pk}:{requirement.code}{who}:"
                f"{requirement.due_on}:{requirement.status}"
            ),
        )
    return created
