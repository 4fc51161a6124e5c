"""A child's and an adult's identity as kinds of record for the retention job
(privacy/retention.py): a child's is erased once the child has been an adult for the period and
nothing else about them is kept; an adult's (a parent, a relative, a carer) once nothing about
them has been kept for the period.

"Nothing else is kept" is decided by the records that name the child: every model with a
foreign key to `Child` is one that keeps the child identified while it exists (`KEEP`, with the
condition under which it still counts), one whose content goes with the child (`GOES`), or
both (a request of the child's keeps them while open, and loses its texts with them). The
test privacy/tests/test_kinds.py refuses a model that is in neither. `ADULT_KEEP` and
`ADULT_GOES` say the same for the models with a foreign key to `Adult`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.dates import add_years
from earlyhelp.people.models import Adult, Child
from earlyhelp.privacy.retention import Holds, Kind, audit_rows_of, oldest_first, register

# Records that keep the child identified while they exist (until their own kind erases them).
KEEP: dict[str, Q] = {
    "concerns.concernchild": Q(concern__anonymised_at__isnull=True),
    "cases.casechild": Q(case__anonymised_at__isnull=True),
    "activities.participant": Q(activity__anonymised_at__isnull=True),
    "contacts.arrangement": Q(anonymised_at__isnull=True),
    "fostercare.placement": Q(anonymised_at__isnull=True),
    # A request of the child's own that is not answered yet (GDPR Articles 15 to 18).
    "privacy.subjectrequest": Q(state="open"),
}
# Records whose content goes with the child: deleted (None) or these text fields emptied.
GOES: dict[str, tuple[str, ...] | None] = {
    "people.relationship": None,  # the tie to the parents: it would name the child's family
    "people.childteammember": None,
    "people.enrolment": (),  # the class and dates stay for the figures
    "people.consent": ("given_by_other", "note"),
    "access.breakglassgrant": ("reason",),
    "absences.absence": ("note",),
    "screening.rating": ("comment", "outcome_reason"),
    # An answered request stays in the register, as the proof it was answered, without what
    # could name anyone.
    "privacy.subjectrequest": ("requester", "details", "extension_reason", "outcome"),
}
ERASED_FIELDS = ("given_name", "family_name", "search_name", "national_id", "languages", "needs")

# Records that keep an adult identified while they exist, by the foreign keys that name them.
ADULT_KEEP: dict[str, tuple[tuple[str, ...], Q]] = {
    # A tie to a child: it goes when the child's identity is erased.
    "people.relationship": (("adult",), Q()),
    "cases.caseparticipant": (("adult",), Q(case__anonymised_at__isnull=True)),
    "cases.goal": (("adult",), Q(case__anonymised_at__isnull=True)),
    "activities.participant": (("adult",), Q(activity__anonymised_at__isnull=True)),
    "contacts.arrangement": (("visitor", "carer"), Q(anonymised_at__isnull=True)),
    # A foster carer is kept with the household's records (fostercare/retention.py).
    "fostercare.carer": (("adult",), Q(household__anonymised_at__isnull=True)),
    # A consent the adult gave for a child still identified.
    "people.consent": (("given_by",), Q(child__erased_at__isnull=True)),
    "privacy.subjectrequest": (("adult",), Q(state="open")),
}
# Records whose texts go with the adult (the rows stay, naming the erased adult by number).
ADULT_GOES: dict[str, tuple[str, ...]] = {
    "privacy.subjectrequest": ("requester", "details", "extension_reason", "outcome"),
}
ADULT_ERASED_FIELDS = ("given_name", "family_name", "search_name", "national_id", "phone", "email",
                       "address")  # fmt: skip


def _kept_somewhere():
    return [
        Exists(apps.get_model(label).objects.filter(condition, child_id=OuterRef("pk")))
        for label, condition in KEEP.items()
    ]


def children_due(
    municipality_id: int, event: str, cutoff: date, holds: Holds, ids: Iterable[int] | None
) -> list[tuple[int, date]]:
    rows = Child.objects.filter(
        municipality_id=municipality_id,
        erased_at__isnull=True,
        birth_date__lte=add_years(cutoff, -18),
    ).exclude(pk__in=holds.children)
    for kept in _kept_somewhere():
        rows = rows.exclude(kept)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    found = rows.order_by("birth_date", "pk").values_list("pk", "birth_date")
    return [(pk, add_years(born, 18)) for pk, born in found]


@transaction.atomic
def children_erase(ids: list[int]) -> Q:
    now = timezone.now()
    for year, pks in _by_birth_year(Child, ids).items():
        Child.objects.filter(pk__in=pks).update(
            **{name: "" for name in ERASED_FIELDS},
            birth_date=date(year, 1, 1),
            home_district=None,
            erased_at=now,
            version=F("version") + 1,
            updated_at=now,
        )
    # Ending the adults' ties to the children is a change to their record: an adult's own
    # period counts from it (`adults_due`).
    Adult.objects.filter(relationships__child_id__in=ids).update(updated_at=now)
    for label, fields in GOES.items():
        rows = apps.get_model(label).objects.filter(child_id__in=ids)
        if fields is None:
            rows.delete()
        elif fields:
            rows.update(**{name: "" for name in fields})
    children = Child.objects.filter(pk__in=ids)
    return Q(subject__in=[f"people.child:{pk}" for pk in ids]) | audit_rows_of(children)


def _by_birth_year(model, ids: list[int]) -> dict[int, list[int]]:
    """The people of `ids` with a birth date, by the year of it."""
    years: dict[int, list[int]] = {}
    rows = model.objects.filter(pk__in=ids, birth_date__isnull=False)
    rows = rows.annotate(year=ExtractYear("birth_date"))
    for pk, year in rows.values_list("pk", "year"):
        years.setdefault(year, []).append(pk)
    return years


def _adult_kept_somewhere():
    for label, (fields, condition) in ADULT_KEEP.items():
        rows = apps.get_model(label).objects.filter(condition)
        naming = Q()
        for name in fields:
            naming |= Q(**{f"{name}_id": OuterRef("pk")})
        yield Exists(rows.filter(naming))


def adults_due(
    municipality_id: int, event: str, cutoff: date, holds: Holds, ids: Iterable[int] | None
) -> list[tuple[int, date]]:
    """Adults about whom nothing has been kept since `cutoff`: the period counts from the last
    change to the adult's record (erasing a child's identity, which ends the adult's tie to the
    child, is such a change). An adult whose processing is restricted is kept."""
    rows = Adult.objects.filter(
        municipality_id=municipality_id,
        erased_at__isnull=True,
        processing_restricted_at__isnull=True,
        updated_at__lt=end_of(cutoff),
    )
    for kept in _adult_kept_somewhere():
        rows = rows.exclude(kept)
    return oldest_first(rows, ids, "updated_at")


@transaction.atomic
def adults_erase(ids: list[int]) -> Q:
    now = timezone.now()
    Adult.objects.filter(pk__in=ids).update(
        **{name: "" for name in ADULT_ERASED_FIELDS},
        address_protected=False,
        home_district=None,
        erased_at=now,
        version=F("version") + 1,
        updated_at=now,
    )
    for year, pks in _by_birth_year(Adult, ids).items():
        Adult.objects.filter(pk__in=pks).update(birth_date=date(year, 1, 1))
    for label, fields in ADULT_GOES.items():
        apps.get_model(label).objects.filter(adult_id__in=ids).update(
            **{name: "" for name in fields}
        )
    adults = Adult.objects.filter(pk__in=ids)
    return Q(subject__in=[f"people.adult:{pk}" for pk in ids]) | audit_rows_of(adults)


def end_of(day: date):
    """The first moment after `day`, in the installation's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time()))


register(
    Kind(
        code="child",
        rule="child",
        label=_("Children's identities"),
        reference=_("Child %(number)s"),
        model="people.child",
        events=("adult",),
        due=children_due,
        erase=children_erase,
        subject=lambda pk: f"people.child:{pk}",
    )
)
register(
    Kind(
        code="adult",
        rule="adult",
        label=_("Adults' identities"),
        reference=_("Adult %(number)s"),
        model="people.adult",
        events=("last_change",),
        due=adults_due,
        erase=adults_erase,
        subject=lambda pk: f"people.adult:{pk}",
    )
)
