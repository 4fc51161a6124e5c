"""What foster care asks of people (docs/duties.md): a requirement of a foster family (training,
respite, the key worker's contact, counselling) that falls due within 30 days or was missed asks
its key worker and the service's supervisors to see to it, by its due date. The requirements are
those of the daily alerts (`fostercare.services.requirements_due`, behind `manage.py
fostercare_alerts`): computed once, in one place. One duty per family and person, due by the
family's nearest such requirement; the family's page shows them all.

A household is the source; it is refreshed by `fostercare.services._audit`, which every change
of a household and what belongs to it passes through. Whether a requirement is within 30 days
depends on the day, so the nightly `rebuild_duties` brings in those that come within reach."""

from __future__ import annotations

from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.policy import Action
from earlyhelp.duties.registry import (
    Due,
    Kind,
    Source,
    Target,
    at_end_of,
    register_kind,
    register_source,
    register_target,
)
from earlyhelp.fostercare.models import Household
from earlyhelp.fostercare.services import requirements_due

REQUIREMENT = register_kind(
    Kind(
        "fostercare_requirement",
        _("See to a foster family's requirement coming due or missed"),
        Action.VIEW,
    )
).code
# Households read per batch: `compliance_for` reads each batch's records in a few queries.
BATCH = 2000

register_target(
    Target(
        "fostercare.household",
        queryset=lambda: Household.objects.all(),
        url=lambda household: household.get_absolute_url(),
        title=lambda household: _("Foster family no. %(number)s") % {"number": household.pk},
    )
)


def _dues(households, today) -> list[Due]:
    dues = []
    # Nearest first: the duty of a family and person is its nearest requirement's.
    found = sorted(
        (row for row in requirements_due(households, today) if row[1].due_on),
        key=lambda row: row[1].due_on,
    )
    for compliance, requirement, recipients in found:
        household = compliance.household
        for user in sorted(recipients, key=lambda u: u.pk):
            dues.append(
                Due(
                    user.pk,
                    REQUIREMENT,
                    at_end_of(requirement.due_on),
                    (Household, household.pk),
                    (Household, household.pk),
                    household.municipality_id,
                    True,
                )
            )
    return dues


def household_duties(household: Household) -> list[Due]:
    if not household.active:
        return []
    return _dues(Household.objects.filter(pk=household.pk), timezone.localdate())


def every_household_duty():
    today = timezone.localdate()
    ids = Household.objects.filter(active=True).order_by("pk").values_list("pk", flat=True)
    ids = ids.iterator(chunk_size=BATCH)
    while batch := list(islice(ids, BATCH)):
        seen = set()
        for due in _dues(Household.objects.filter(pk__in=batch).order_by("pk"), today):
            if (due.owner_id, due.source[1]) not in seen:
                seen.add((due.owner_id, due.source[1]))
                yield due


register_source(
    Source(
        "fostercare.household",
        kinds=(REQUIREMENT,),
        duties=household_duties,
        everything=every_household_duty,
    )
)
