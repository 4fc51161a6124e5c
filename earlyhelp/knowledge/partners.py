"""Keeping the partner organisations: adding one to a municipality and changing it. Every
change is checked against the policy, done in one transaction, refused when someone else saved
the partner since it was loaded, and audited.

And what a partner's page shows of the work done with it: the referrals to it (counted only,
they are about families) and the round tables and conferences it took part in that the reader
may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can
from earlyhelp.audit.services import audit_record, field_changes
from earlyhelp.core.versioning import proposed, update_versioned
from earlyhelp.knowledge.access.partners import partner_municipalities
from earlyhelp.knowledge.models import Partner

FIELDS = (
    "name",
    "kind",
    "what_they_do",
    "address",
    "phone",
    "email",
    "website",
    "contact_person",
    "active",
)


def _content(partner: Partner) -> dict:
    return {name: getattr(partner, name) for name in FIELDS}


def _unique(partner: Partner) -> None:
    taken = Partner.objects.filter(
        municipality_id=partner.municipality_id, name__iexact=partner.name.strip()
    ).exclude(pk=partner.pk)
    if taken.exists():
        raise ValidationError(_("The municipality already has a partner of this name."))


@transaction.atomic
def partner_create(
    *, user, municipality, data: dict, role: str = "", request_id: str = ""
) -> Partner:
    """Add a partner organisation to the municipality."""
    if not partner_municipalities(user).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    partner = Partner(municipality=municipality, **{k: data[k] for k in FIELDS if k in data})
    partner.full_clean(validate_unique=False)
    _unique(partner)
    partner.save()
    audit_record(
        actor=user,
        action="create",
        obj=partner,
        role=role,
        request_id=request_id,
        changes=field_changes({}, _content(partner)),
    )
    return partner


@transaction.atomic
def partner_update(
    *, user, partner: Partner, data: dict, version: int, role: str = "", request_id: str = ""
) -> Partner:
    """Change a partner organisation. Refused when stale."""
    if not can(user, Action.CHANGE, partner):
        raise PermissionDenied
    fields = {k: data[k] for k in FIELDS if k in data}
    before = _content(partner)
    probe = proposed(partner, fields)
    probe.full_clean(exclude=["municipality"], validate_unique=False)
    _unique(probe)
    update_versioned(partner, expected_version=version, fields=fields)
    audit_record(
        actor=user,
        action="change",
        obj=partner,
        role=role,
        request_id=request_id,
        changes=field_changes(before, _content(partner)),
    )
    return partner
