"""Every municipality has the shipped scale of evidence from the start; its administrators
rename, describe, reorder and add steps, and nobody else reaches the scale."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.knowledge.catalogue import evidence_level_save
from earlyhelp.knowledge.models import EVIDENCE_SCALE, EvidenceLevel
from earlyhelp.organisations.models import Municipality, Role
from earlyhelp.sampledata.bench import generate
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_new_municipality_gets_the_shipped_scale_weakest_first():
    municipality = f.MunicipalityFactory()
    levels = list(EvidenceLevel.objects.filter(municipality=municipality).order_by("rank"))
    assert [level.code for level in levels] == list(EVIDENCE_SCALE)
    assert str(levels[0]) == "Practice experience"
    assert levels[-1].meaning.startswith("Several rigorous studies")


def test_an_administrator_renames_reorders_and_adds_a_step(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    practice = EvidenceLevel.objects.get(municipality=world.municipality_a, code="practice")
    response = client.post(
        reverse("knowledge:evidence_level_edit", args=[practice.pk]),
        {"name": "Local practice", "description": "Written down by our team.", "rank": "5"},
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert (str(practice), practice.meaning, practice.rank) == (
        "Local practice", "Written down by our team.", 5,
    )  # fmt: skip
    added = client.post(
        reverse("knowledge:evidence_scale", args=[world.municipality_a.pk]),
        {"code": "local-evaluation", "name": "Local evaluation", "rank": "25"},
    )
    assert added.status_code == 302
    page = client.get(reverse("knowledge:evidence_scale", args=[world.municipality_a.pk]))
    codes = [level.code for level in page.context["levels"]]
    assert codes == ["practice", "theory", "local-evaluation", "preliminary", "efficacy",
                     "effectiveness"]  # fmt: skip
    assert AuditEvent.objects.filter(object_type="knowledge.evidencelevel").count() == 2


def test_a_new_step_needs_a_name_and_a_code_of_its_own(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    url = reverse("knowledge:evidence_scale", args=[world.municipality_a.pk])
    unnamed = client.post(url, {"code": "mine", "rank": "15"})
    taken = client.post(url, {"code": "theory", "name": "Theory", "rank": "15"})
    assert unnamed.status_code == 200 and taken.status_code == 200
    assert unnamed.context["form"].non_field_errors()
    assert taken.context["form"].non_field_errors()
    assert EvidenceLevel.objects.filter(municipality=world.municipality_a).count() == 5


def test_only_the_municipalitys_administrators_reach_its_scale(world, signed_in):
    url = reverse("knowledge:evidence_scale", args=[world.municipality_a.pk])
    for role in (Role.MANAGER, Role.SUPERVISOR, Role.SOCIAL_HELPER):
        assert signed_in(world.users[role]).get(url).status_code == 404
    assert signed_in(world.outsiders[Role.ADMIN]).get(url).status_code == 404


def test_the_service_refuses_a_step_in_another_municipalitys_scale(world):
    with pytest.raises(PermissionDenied):
        evidence_level_save(
            user=world.users[Role.ADMIN],
            level=EvidenceLevel(municipality=world.municipality_b),
            data={"code": "mine", "name": "Mine", "rank": 15},
        )


def test_the_bench_gives_every_municipality_the_shipped_scale():
    generate(scale_factor=0.0005, seed=7, bench_accounts=2, now=datetime(2026, 3, 16, tzinfo=UTC))
    places = Municipality.objects.filter(code__startswith="bench-")
    assert places.exists()
    for place in places:
        levels = EvidenceLevel.objects.filter(municipality=place).order_by("rank")
        assert [level.code for level in levels] == list(EVIDENCE_SCALE), place
