"""Partner organisations as records: kept by the municipality's administrators, managers and
supervisors, named by referrals, conferences and round tables, and counted by the programme
indicators when they take part."""

from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import CaseConference, CaseMember, Referral
from earlyhelp.knowledge.models import Partner
from earlyhelp.organisations.models import Role
from earlyhelp.programmes.figures import indicator_value, rebuild
from earlyhelp.programmes.models import Indicator
from earlyhelp.programmes.tests import builders as b

pytestmark = pytest.mark.django_db


def _partner(municipality, name="Pedagogical counselling", **extra):
    return Partner.objects.create(
        municipality=municipality, name=name, kind=extra.pop("kind", Partner.Kind.EDUCATION),
        **extra,
    )  # fmt: skip


def _case(world):
    case = b.case(world, None, opened=date(2024, 1, 10), children=[world.inside])
    CaseMember.objects.get_or_create(
        case=case, user=world.users[Role.CASE_WORKER], defaults={"role": "lead"}
    )
    return case


def test_a_supervisor_adds_a_partner_and_everyone_of_the_municipality_sees_it(world, signed_in):
    client = signed_in(world.users[Role.SUPERVISOR])
    response = client.post(
        reverse("knowledge:partner_create"),
        {
            "municipality": world.municipality_a.pk,
            "name": "District court",
            "kind": "court",
            "website": "court.example",
            "active": "on",
        },
    )
    partner = Partner.objects.get(name="District court")
    assert response.status_code == 302
    assert partner.website == "https://court.example"
    assert AuditEvent.objects.filter(action="create", object_id=str(partner.pk)).exists()
    educator = signed_in(world.users[Role.EDUCATOR])
    assert "District court" in educator.get(reverse("knowledge:partners")).content.decode()


def test_a_second_partner_of_the_same_name_is_refused(world, signed_in):
    _partner(world.municipality_a, "Family centre")
    client = signed_in(world.users[Role.ADMIN])
    response = client.post(
        reverse("knowledge:partner_create"),
        {"municipality": world.municipality_a.pk, "name": "family centre ", "kind": "ngo"},
    )
    assert response.status_code == 200
    assert Partner.objects.filter(municipality=world.municipality_a).count() == 1


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(world, signed_in):
    partner = _partner(world.municipality_a)
    client = signed_in(world.users[Role.MANAGER])
    url = reverse("knowledge:partner_edit", args=[partner.pk])
    data = {"name": partner.name, "kind": "education", "version": "1"}
    assert client.post(url, {**data, "phone": "+36 1 111"}).status_code == 302
    stale = client.post(url, {**data, "phone": "+36 1 222"})
    assert stale.status_code == 200
    assert "+36 1 222" in stale.content.decode()
    partner.refresh_from_db()
    assert (partner.phone, partner.version) == ("+36 1 111", 2)


def test_a_referral_names_a_partner_of_the_cases_municipality_or_another_in_words(world, signed_in):
    case = _case(world)
    ours = _partner(world.municipality_a)
    theirs = _partner(world.municipality_b)
    client = signed_in(world.users[Role.CASE_WORKER])
    url = reverse("cases:referral_add", args=[case.pk])
    base = {"to": "other", "reason": "Learning support", "referred_on": "2024-02-01"}
    assert client.post(url, {**base, "partner": ours.pk}).status_code == 302
    referral = Referral.objects.get(case=case)
    assert (referral.partner, referral.organisation) == (ours, ours.name)

    refused = client.post(url, {**base, "partner": theirs.pk})
    assert refused.status_code == 200
    nothing = client.post(url, base)
    assert "Choose the partner organisation" in nothing.content.decode()

    assert client.post(url, {**base, "organisation": "Music school"}).status_code == 302
    other = Referral.objects.get(case=case, organisation="Music school")
    assert other.partner is None


def test_a_conference_records_the_partners_taking_part(world, signed_in):
    case = _case(world)
    partner = _partner(world.municipality_a)
    client = signed_in(world.users[Role.CASE_WORKER])
    response = client.post(
        reverse("cases:conference_add", args=[case.pk]),
        {
            "kind": "conference",
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "agenda": "Next steps",
            "partners": [partner.pk],
        },
    )
    assert response.status_code == 302
    assert list(CaseConference.objects.get(case=case).partners.all()) == [partner]


def test_the_partners_page_counts_referrals_and_lists_only_what_the_reader_sees(world, signed_in):
    case = _case(world)
    partner = _partner(world.municipality_a)
    for _ in range(6):
        Referral.objects.create(
            case=case, to="other", organisation=partner.name, partner=partner, reason="r",
            referred_on=date(2024, 2, 1), created_by=world.users[Role.CASE_WORKER],
        )  # fmt: skip
    table = b.activity(world, None, code="round_table")
    table.partners.add(partner)
    helper = signed_in(world.users[Role.SOCIAL_HELPER]).get(
        reverse("knowledge:partner", args=[partner.pk])
    )
    assert "Families referred: 6." in helper.content.decode()
    assert list(helper.context["round_tables"]) == [table]
    analyst = signed_in(world.users[Role.ANALYST]).get(
        reverse("knowledge:partner", args=[partner.pk])
    )
    assert list(analyst.context["round_tables"]) == []
    assert list(analyst.context["conferences"]) == []


def test_round_tables_count_only_with_partners_taking_part(world):
    prog = b.programme(world)
    partner = _partner(world.municipality_a)
    with_partners = b.activity(world, prog, code="round_table")
    with_partners.partners.add(partner)
    alone = b.activity(world, prog, code="round_table")
    b.meeting(with_partners, date(2020, 5, 5))
    b.meeting(alone, date(2020, 5, 6))
    rebuild([prog.pk], today=date(2021, 6, 30))
    types = [b.activity_type(world, "round_table")]
    every = b.indicator(prog, Indicator.Unit.EVENTS, types=types)
    tables = b.indicator(prog, Indicator.Unit.EVENTS, types=types, with_partners=True)
    assert indicator_value(every, date(2020, 1, 1), date(2020, 12, 31)) == 2
    assert indicator_value(tables, date(2020, 1, 1), date(2020, 12, 31)) == 1


def test_partners_narrow_only_what_activities_count(world):
    prog = b.programme(world)
    wrong = Indicator(
        programme=prog, name="x", unit=Indicator.Unit.CHILDREN, with_partners=True,
        target_value=1, target_date=prog.ends_on,
    )  # fmt: skip
    with pytest.raises(Exception, match="Partner organisations"):
        wrong.clean()


def test_the_migration_makes_partners_of_the_organisations_referrals_named(world):
    from importlib import import_module

    migration = import_module("earlyhelp.knowledge.migrations.0005_partners_from_referrals")
    case = _case(world)
    worker = world.users[Role.CASE_WORKER]
    for organisation, to in (("City GP", "health"), ("city gp ", "health"), ("OSPOD", "authority")):
        Referral.objects.create(
            case=case, to=to, organisation=organisation, reason="r",
            referred_on=date(2024, 2, 1), created_by=worker,
        )  # fmt: skip
    migration.partners_from_referrals(apps, None)
    partners = Partner.objects.filter(municipality=world.municipality_a).order_by("name")
    assert [(p.name, p.kind) for p in partners] == [("City GP", "health"), ("OSPOD", "authority")]
    assert not Referral.objects.filter(partner__isnull=True).exists()

    migration.links_removed(apps, None)
    assert not Partner.objects.exists()
    assert Referral.objects.filter(partner__isnull=True).count() == 3
