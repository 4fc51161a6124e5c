"""Who may see and work a foster household: the case worker of service A is the key worker of
its support agreement, the service's supervisor works it too; nobody else sees it. Managers and
analysts read only the compliance overview (small cells suppressed). Outside: the same household
in municipality B's service."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from earlyhelp.fostercare.models import (
    Carer,
    DevelopmentItem,
    Household,
    Placement,
    RequirementRule,
    SupportAgreement,
)
from earlyhelp.organisations.models import Service
from earlyhelp.tests.matrix import ANA, CW, MGR, SUP, Expect, admin_model, answers, url
from earlyhelp.tests.personas import World


def make_household(w: World, inside: bool) -> Household:
    users = w.users if inside else w.outsiders
    service = w.service_a if inside else Service.objects.get(municipality=w.municipality_b)
    child = w.inside if inside else w.abroad
    carer = w.parent_inside if inside else w.parent_abroad
    today = timezone.localdate()
    household = Household.objects.create(
        municipality=service.municipality, service=service, name="Novákovi",
        address="Lipová 1", created_by=users[CW],
    )  # fmt: skip
    Carer.objects.create(household=household, adult=carer)
    Placement.objects.create(
        household=household, municipality=service.municipality, child=child, kind="long_term",
        starts_on=today - timedelta(days=400),
    )  # fmt: skip
    SupportAgreement.objects.create(
        household=household, municipality=service.municipality, service=service,
        key_worker=users[CW], signed_on=today - timedelta(days=400),
    )  # fmt: skip
    DevelopmentItem.objects.create(
        household=household, municipality=service.municipality, goal="Parenting course",
        created_by=users[CW],
    )  # fmt: skip
    return household


def household(w: World, inside: bool) -> int:
    return make_household(w, inside).pk


def _row(name: str, related: str):
    def build(w: World, inside: bool) -> str:
        made = make_household(w, inside)
        return reverse(name, args=[made.pk, getattr(made, related).get().pk])

    return build


def rule(w: World, inside: bool) -> RequirementRule:
    municipality = w.municipality_a if inside else w.municipality_b
    return RequirementRule.objects.create(
        municipality=municipality, code="training", amount=Decimal(20), months=12
    )


NOT_FOUND = answers(404)
FOSTER_ROLES = answers(403, **{CW: 200, SUP: 200})
OVERVIEW = answers(403, **{CW: 200, SUP: 200, MGR: 200, ANA: 200})
WORKERS = answers(404, **{CW: 200, SUP: 200})
WORKERS_POST = answers(404, **{CW: 302, SUP: 302})
TODAY = date.today().isoformat


def _post(name: str, data, **kwargs):
    return Expect(
        url(name, pk=household, **kwargs), WORKERS_POST, NOT_FOUND, method="post", data=data
    )


EXPECTATIONS = {
    "fostercare:list": Expect(url("fostercare:list"), FOSTER_ROLES),
    "fostercare:overview": Expect(url("fostercare:overview"), OVERVIEW),
    "fostercare:new": Expect(url("fostercare:new"), FOSTER_ROLES),
    "fostercare:detail": Expect(url("fostercare:detail", pk=household), WORKERS, NOT_FOUND),
    "fostercare:edit": Expect(url("fostercare:edit", pk=household), WORKERS, NOT_FOUND),
    "fostercare:carer_new": Expect(url("fostercare:carer_new", pk=household), WORKERS, NOT_FOUND),
    "fostercare:placement_new": Expect(
        url("fostercare:placement_new", pk=household), WORKERS, NOT_FOUND
    ),
    "fostercare:placement_edit": Expect(
        _row("fostercare:placement_edit", "placements"), WORKERS, NOT_FOUND
    ),
    "fostercare:agreement_new": Expect(
        url("fostercare:agreement_new", pk=household), WORKERS, NOT_FOUND
    ),
    "fostercare:agreement_edit": Expect(
        _row("fostercare:agreement_edit", "agreements"), WORKERS, NOT_FOUND
    ),
    "fostercare:visit_new": _post(
        "fostercare:visit_new",
        lambda w, i: {"visit-kind": "key_worker_contact", "visit-on": TODAY()},
    ),
    "fostercare:training_new": _post(
        "fostercare:training_new",
        lambda w, i: {"training-on": TODAY(), "training-title": "First aid", "training-hours": 4},
    ),
    "fostercare:respite_new": _post(
        "fostercare:respite_new",
        lambda w, i: {"respite-starts_on": TODAY(), "respite-ends_on": TODAY()},
    ),
    "fostercare:step": _post("fostercare:step", lambda w, i: {"step": "intake", "done": "on"}),
    "fostercare:development_new": _post(
        "fostercare:development_new", lambda w, i: {"plan-goal": "Rest more"}
    ),
    "fostercare:development_done": Expect(
        _row("fostercare:development_done", "development_items"),
        WORKERS_POST,
        NOT_FOUND,
        method="post",
        data=lambda w, i: {"version": 1, "done_on": TODAY()},
    ),
    **admin_model("fostercare_requirementrule", rule),
}
